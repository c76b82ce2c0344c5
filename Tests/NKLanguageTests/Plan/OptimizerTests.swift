import Foundation
import NKEngine
import NKLanguage
import NKTestSupport
import Testing

/// The optimizer's rules, each shown on a plan before and after, and each giving the answer
/// the plan gives without it. Reading every column is forced by a `derive` right after the
/// scans: the rules do not see through it.
@Suite struct OptimizerTests {
    static func session() -> Session {
        let s = Session()
        s.set("orders", makeTable([
            ("order_id", .integers([1, 2, 3, 4, 5, 6])),
            ("customer_id", .integers([10, 11, 10, 12, 13, 11])),
            ("revenue", .floats([100, 250.5, 80, 40, 999, 10])),
            ("name", .strings(["a", "b", "c", "d", "e", "f"])),
            ("note", .strings(["x", nil, "y", "z", nil, "w"])),
        ]))
        s.set("customers", makeTable([
            ("customer_id", .integers([10, 11, 12, 14])),
            ("name", .strings(["Kessler", "Brandt", "Sommer", "Vogel"])),
            ("region", .strings(["Süd", "Nord", "Süd", "Ost"])),
            ("employees", .integers([12, 250, 40, 7])),
        ]))
        return s
    }

    /// `explain`'s rows: (depth, node, columns).
    static func explain(_ text: String, _ session: Session) throws -> [(Int, String, String)] {
        var found: ExplainResult?
        let failures = session.run(Source(name: "t", text: "explain " + text)) { output in
            if case .result(let r as ExplainResult) = output { found = r }
        }
        if let f = failures.first { throw f }
        let table = try #require(found).table
        func string(_ v: Value) -> String { if case .string(let s) = v { return s } else { return "" } }
        func number(_ v: Value) -> Int { if case .integer(let n) = v { return Int(n) } else { return -1 } }
        return (0..<table.rowCount).map { i in
            (number(table.column("depth")!.values[i]), string(table.column("node")!.values[i]), string(table.column("columns")!.values[i]))
        }
    }

    static func result(_ text: String, _ session: Session) throws -> String {
        var tables: [Table] = []
        let failures = session.run(Source(name: "t", text: text)) { output in
            if case .result(let r) = output { tables.append(r.table) }
        }
        if let f = failures.first { throw f }
        return goldenText(try #require(tables.first))
    }

    @Test func aJoinFollowedByASegmentReadsOnlyTheColumnsItUses() throws {
        let s = Self.session()
        let text = "orders | join customers on customer_id | segment by region agg sum(revenue) as revenue, count() as n"
        let plan = try Self.explain(text, s)
        let scans = plan.filter { $0.1.hasPrefix("scan ") }.map { "\($0.1): \($0.2)" }
        #expect(scans == ["scan orders: customer_id integer, revenue float", "scan customers: customer_id integer, region string"])
        let fused = try #require(plan.first)
        #expect(fused.0 == 0 && fused.1 == "join customers on customer_id | segment by region agg sum(revenue) as revenue, count() as n")
        // the same answer as with every column read
        let everything = "(orders | derive k = 1) | join (customers | derive k2 = 1) on customer_id | segment by region agg sum(revenue) as revenue, count() as n"
        #expect(try Self.explain(everything, s).contains { $0.1 == "scan orders" && $0.2.contains("note string") })
        #expect(try Self.result(text, s) == Self.result(everything, s))
    }

    @Test(arguments: ["", " left"])
    func aSegmentRightAfterAJoinGroupsWhileJoining(_ kind: String) throws {
        let s = Self.session()
        // before: the segment over the join; after: one node over the join's inputs
        let text = "orders | join customers on customer_id\(kind) | segment by region agg sum(revenue) as revenue, count() as n, avg(employees), share()"
        let apart = "orders | join customers on customer_id\(kind) | derive k = 1 | segment by region agg sum(revenue) as revenue, count() as n, avg(employees), share()"
        #expect(try Self.explain(apart, s).map { "\($0.0) \($0.1)" } == [
            "0 segment by region agg sum(revenue) as revenue, count() as n, avg(employees), share()", "1 derive k = 1",
            "2 join customers on customer_id\(kind)", "3 scan orders", "3 scan customers"])
        #expect(try Self.explain(text, s).map { "\($0.0) \($0.1)" } == [
            "0 join customers on customer_id\(kind) | segment by region agg sum(revenue) as revenue, count() as n, avg(employees), share()",
            "1 scan orders", "1 scan customers"])
        #expect(try Self.result(text, s) == Self.result(apart, s))
        // keys on the left side, and no keys
        for tail in ["segment by name agg count() as n, sum(employees)", "segment agg count(), max(region)"] {
            let together = "orders | join customers on customer_id\(kind) | " + tail
            #expect(try Self.explain(together, s).count == 3, "\(together)")
            #expect(try Self.result(together, s) == Self.result("orders | join customers on customer_id\(kind) | derive k = 1 | " + tail, s))
        }
    }

    @Test func aSegmentOfComputedValuesStaysAboveTheJoin() throws {
        let s = Self.session()
        for text in [
            "orders | join customers on customer_id | segment by upper(region) agg count()",
            "orders | join customers on customer_id | segment by region agg sum(revenue * 2)",
        ] {
            let plan = try Self.explain(text, s).map(\.1)
            #expect(plan.first?.hasPrefix("segment") == true && plan.contains("join customers on customer_id"), "\(text)")
        }
    }

    @Test func aRightColumnKeepsItsNameWhenTheLeftColumnItClashesWithIsNotAskedFor() throws {
        let s = Self.session()
        let text = "orders | join customers on customer_id | select name_right, revenue"
        let plan = try Self.explain(text, s)
        #expect(plan.first { $0.1 == "scan orders" }?.2 == "customer_id integer, revenue float, name string")
        #expect(plan.first { $0.1 == "scan customers" }?.2 == "customer_id integer, name string")
        let everything = "(orders | derive k = 1) | join (customers | derive k2 = 1) on customer_id | select name_right, revenue"
        #expect(try Self.result(text, s) == Self.result(everything, s))
    }

    @Test func filtersSortsAndHeadsPassOnWhatTheyRead() throws {
        let s = Self.session()
        let text = "orders | filter note != \"y\" | join (customers | filter employees > 10) on customer_id | sort revenue desc | head 2 | select order_id, region"
        let plan = try Self.explain(text, s)
        #expect(plan.first { $0.1 == "scan orders" }?.2 == "order_id integer, customer_id integer, revenue float, note string")
        #expect(plan.first { $0.1 == "scan customers" }?.2 == "customer_id integer, region string, employees integer")
        let everything = "(orders | derive k = 1) | filter note != \"y\" | join (customers | derive k2 = 1 | filter employees > 10) on customer_id | sort revenue desc | head 2 | select order_id, region"
        #expect(try Self.result(text, s) == Self.result(everything, s))
    }

    @Test func aFilterOnOneSideOfAJoinRunsBeforeIt() throws {
        let s = Self.session()
        // before: the filter over the join; after: the filter on the customers, below the join
        let text = "orders | join customers on customer_id | filter region = \"Süd\" | select order_id, revenue, region"
        let plan = try Self.explain(text, s).map { "\($0.0) \($0.1)" }
        #expect(plan == ["0 select order_id, revenue, region", "1 join customers on customer_id", "2 scan orders",
                         "2 filter region = \"Süd\"", "3 scan customers"])
        let unmoved = "orders | join customers on customer_id | derive k = 1 | filter region = \"Süd\" | select order_id, revenue, region"
        #expect(try Self.result(text, s) == Self.result(unmoved, s))
        // on the left side, for a left join too
        let leftText = "orders | join customers on customer_id left | filter revenue > 90 | select order_id, name_right"
        let leftPlan = try Self.explain(leftText, s).map { "\($0.0) \($0.1)" }
        #expect(leftPlan.contains("2 filter revenue > 90") && leftPlan.contains("3 scan orders"))
        #expect(try Self.result(leftText, s) == Self.result("orders | join customers on customer_id left | derive k = 1 | filter revenue > 90 | select order_id, name_right", s))
    }

    @Test func aFilterStaysAboveTheJoinWhenMovingItWouldChangeTheRows() throws {
        let s = Self.session()
        for text in [
            // the right side of a left join: its unmatched rows would change
            "orders | join customers on customer_id left | filter region = \"Süd\"",
            // both sides
            "orders | join customers on customer_id | filter revenue > employees",
            // a right column the join renamed
            "orders | join customers on customer_id | filter name_right = \"Brandt\"",
        ] {
            let plan = try Self.explain(text, s)
            #expect(plan.first?.1.hasPrefix("filter") == true, "\(text)")
        }
        let named = "orders | join customers on customer_id | filter name = \"b\""
        #expect(try Self.explain(named, s).map { "\($0.0) \($0.1)" } == ["0 join customers on customer_id", "1 filter name = \"b\"", "2 scan orders", "1 scan customers"])
        #expect(try Self.result(named + " | select order_id, name_right", s)
                == Self.result("orders | join customers on customer_id | derive k = 1 | filter name = \"b\" | select order_id, name_right", s))
    }

    @Test func aCountReadsOneColumnAndStillCountsEveryRow() throws {
        let s = Self.session()
        let plan = try Self.explain("orders | join customers on customer_id | count", s)
        #expect(plan.first { $0.1 == "scan customers" }?.2 == "customer_id integer")
        #expect(try Self.result("orders | join customers on customer_id | count", s).contains("5"))
        #expect(try Self.explain("orders | count", s).first { $0.1 == "scan orders" }?.2 == "order_id integer")
        #expect(try Self.result("orders | count", s) == Self.result("orders | derive k = 1 | count", s))
    }

    @Test func theWholeResultKeepsEveryColumn() throws {
        let s = Self.session()
        let plan = try Self.explain("orders | join customers on customer_id left", s)
        #expect(plan.first { $0.1 == "scan orders" }?.2.contains("note string") == true)
        #expect(plan.first { $0.1 == "scan customers" }?.2.contains("employees integer") == true)
        // an analysis below which nothing is pruned
        let why = try Self.explain("orders | join customers on customer_id | why-not region = \"Süd\"", s)
        #expect(why.first { $0.1 == "scan customers" }?.2.contains("employees integer") == true)
    }
}
