import NKAnalysis
import NKEngine
import NKTestSupport
import Testing

/// why-not on small tables whose answers are known: the statistics of one pattern, Apriori
/// growth, redundancy pruning, the confounding check, stated reasons and the edge cases.
@Suite struct WhyNotTests {
    static let groups = WhyNot.Groups(target: "lost", verb: "be lost", mirror: "why-not not lost")

    static func options(_ change: (inout WhyNot.Options) -> Void = { _ in }) -> WhyNot.Options {
        var o = WhyNot.Options()
        change(&o)
        return o
    }

    /// Rows built from (count, values..., target) groups.
    static func table(_ names: [String], _ groups: [(Int, [String?], Bool)]) -> (Table, [UInt8]) {
        var columns = [[String?]](repeating: [], count: names.count)
        var target: [UInt8] = []
        for (count, values, isTarget) in groups {
            for _ in 0..<count {
                for k in names.indices { columns[k].append(values[k]) }
                target.append(isTarget ? 1 : 0)
            }
        }
        return (makeTable(names.indices.map { (names[$0], Column.strings(columns[$0])) }), target)
    }

    static func row(_ t: Table, _ pattern: String) -> [String: Value]? {
        guard let p = t.column("pattern") else { return nil }
        for r in 0..<t.rowCount where p[r] == .string(pattern) {
            return Dictionary(uniqueKeysWithValues: zip(t.names, t.row(r)))
        }
        return nil
    }

    /// Messe: 40 rows, 30 lost; Website: 60 rows, 10 lost. Risk ratio 4.5, Katz interval and
    /// Fisher's p as scipy gives them.
    @Test func onePatternsStatistics() throws {
        let (t, target) = Self.table(["channel"], [(30, ["Messe"], true), (10, ["Messe"], false), (10, ["Website"], true), (50, ["Website"], false)])
        let r = try WhyNot.run(t, target: target, groups: Self.groups, options: Self.options())
        #expect(r.tested == 2)
        #expect(r.survived == 1)
        #expect(r.patterns.rowCount == 1)
        let messe = try #require(Self.row(r.patterns, "channel = \"Messe\""))
        #expect(messe["target_count"] == .integer(30))
        #expect(messe["reference_count"] == .integer(10))
        #expect(approximately(messe["support"]?.doubleValue, 0.75))
        #expect(approximately(messe["target_rate"]?.doubleValue, 0.75))
        #expect(approximately(messe["rest_rate"]?.doubleValue, 10.0 / 60))
        #expect(approximately(messe["risk_ratio"]?.doubleValue, 4.5))
        #expect(approximately(messe["rr_low"]?.doubleValue, 2.4859846825747263))
        #expect(approximately(messe["rr_high"]?.doubleValue, 8.145665635810412))
        #expect(approximately(messe["p_value"]?.doubleValue, 5.7847772224662464e-09))
        // two patterns tested, Website with the same p: q = p · 2 / 2
        #expect(approximately(messe["q_value"]?.doubleValue, 5.7847772224662464e-09))
        #expect(r.findings.first == "Rows with channel = \"Messe\" are 4.5× as likely to be lost (75 % of them against 17 % of the rest; 95 % CI 2.5–8.1). It covers 30 of the 40 target rows.")
    }

    /// A pair is counted only when both its values are frequent; a pair no stronger than its
    /// better parent is dropped, a stronger one kept.
    @Test func aprioriAndRedundancy() throws {
        // size S drives losing; channel adds nothing on top; region "Ost" is rare
        let (t, target) = Self.table(["size", "channel", "region"], [
            (40, ["S", "Messe", "West"], true), (10, ["S", "Messe", "West"], false),
            (40, ["S", "Web", "West"], true), (10, ["S", "Web", "West"], false),
            (10, ["L", "Messe", "West"], true), (40, ["L", "Messe", "West"], false),
            (10, ["L", "Web", "West"], true), (39, ["L", "Web", "West"], false),
            (0, ["L", "Web", "Ost"], true), (1, ["L", "Web", "Ost"], false),
        ])
        let r = try WhyNot.run(t, target: target, groups: Self.groups, options: Self.options { $0.keepAll = true; $0.minRatio = 0 })
        // singles: S, L, Messe, Web, West (Ost has no target row); pairs: none with Ost
        #expect(Self.row(r.patterns, "region = \"Ost\"") == nil)
        #expect(!(0..<r.patterns.rowCount).contains { r.patterns.column("pattern")![$0].description.contains("Ost") })
        let s = try #require(Self.row(r.patterns, "size = \"S\""))
        #expect(s["note"]?.description.hasPrefix("holds within") == true)
        let pair = try #require(Self.row(r.patterns, "size = \"S\" and channel = \"Messe\""))
        #expect(pair["note"]?.description.contains("no stronger than size = \"S\"") == true)
        // without `all` the pair is gone and the single stays
        let pruned = try WhyNot.run(t, target: target, groups: Self.groups, options: Self.options())
        #expect(Self.row(pruned.patterns, "size = \"S\" and channel = \"Messe\"") == nil)
        #expect(Self.row(pruned.patterns, "size = \"S\"") != nil)
        #expect(pruned.summary.contains { $0.contains("tested \(r.tested) patterns") })
    }

    /// With depth 3 a triple is counted when all three of its pairs are frequent, and reported
    /// when it is stronger than its better pair.
    @Test func triplesAtDepthThree() throws {
        let (t, target) = Self.table(["size", "channel", "region"], [
            // all three together: almost all lost; any two of them: much less
            (600, ["S", "Messe", "Ost"], true), (20, ["S", "Messe", "Ost"], false),
            (50, ["S", "Messe", "West"], true), (400, ["S", "Messe", "West"], false),
            (50, ["S", "Web", "Ost"], true), (400, ["S", "Web", "Ost"], false),
            (50, ["L", "Messe", "Ost"], true), (400, ["L", "Messe", "Ost"], false),
            (50, ["L", "Web", "West"], true), (600, ["L", "Web", "West"], false),
        ])
        let two = try WhyNot.run(t, target: target, groups: Self.groups, options: Self.options())
        #expect(!two.patterns.column("order")!.values.contains(.integer(3)))
        let three = try WhyNot.run(t, target: target, groups: Self.groups, options: Self.options { $0.depth = 3 })
        #expect(three.patterns.column("pattern")![0] == .string("size = \"S\" and channel = \"Messe\" and region = \"Ost\""))
        #expect(three.patterns.column("order")![0] == .integer(3))
        #expect(three.patterns.column("target_count")![0] == .integer(600))
        #expect(three.tested > two.tested)
    }

    /// An interaction: only the pair of Messe and S loses, so the pair is stronger than
    /// either value and survives.
    @Test func strongerPairSurvives() throws {
        let (t, target) = Self.table(["size", "channel"], [
            (45, ["S", "Messe"], true), (5, ["S", "Messe"], false),
            (10, ["S", "Web"], true), (40, ["S", "Web"], false),
            (10, ["L", "Messe"], true), (40, ["L", "Messe"], false),
            (10, ["L", "Web"], true), (40, ["L", "Web"], false),
        ])
        let r = try WhyNot.run(t, target: target, groups: Self.groups, options: Self.options())
        let pattern = r.patterns.column("pattern")!
        #expect(pattern[0] == .string("size = \"S\" and channel = \"Messe\""))
        #expect(r.patterns.column("order")![0] == .integer(2))
    }

    /// Messe looks 2.1× as likely to be lost, but only because Messe leads come from industry A,
    /// where everybody is lost at the same rate: the Mantel-Haenszel check flags it.
    @Test func confoundingIsFlagged() throws {
        let (t, target) = Self.table(["industry", "channel"], [
            (64, ["A", "Messe"], true), (16, ["A", "Messe"], false),
            (16, ["A", "Web"], true), (4, ["A", "Web"], false),
            (4, ["B", "Messe"], true), (16, ["B", "Messe"], false),
            (16, ["B", "Web"], true), (64, ["B", "Web"], false),
        ])
        let r = try WhyNot.run(t, target: target, groups: Self.groups, options: Self.options())
        let messe = try #require(Self.row(r.patterns, "channel = \"Messe\""))
        #expect(approximately(messe["risk_ratio"]?.doubleValue, 2.125))
        #expect(approximately(messe["p_value"]?.doubleValue, 5.720141610280524e-07))
        #expect(messe["note"] == .string("explained by industry (1× within)"))
        let a = try #require(Self.row(r.patterns, "industry = \"A\""))
        #expect(a["note"]?.description.hasPrefix("holds within channel") == true)
        // explained by another attribute, it is no distinct finding: the summary leaves it out
        let distinct = (0..<r.distinct.rowCount).map { r.distinct.column("pattern")![$0].description }
        #expect(!distinct.contains("channel = \"Messe\"") && distinct.contains("industry = \"A\""))
    }

    /// What the target group says, and which reason a pattern names most over the others.
    @Test func statedReasons() throws {
        let (t, target) = Self.table(["channel", "lost_reason"], [
            (20, ["Messe", "Preis"], true), (5, ["Messe", "Lieferzeit"], true), (5, ["Messe", nil], false),
            (5, ["Web", "Preis"], true), (15, ["Web", "Lieferzeit"], true), (50, ["Web", nil], false),
        ])
        let r = try WhyNot.run(t, target: target, groups: Self.groups, options: Self.options { $0.reasons = ["lost_reason"] })
        // the reason column itself is not an attribute
        #expect(Self.row(r.patterns, "lost_reason = \"Preis\"") == nil)
        let stated = try #require(r.reasons.first?.table)
        #expect(stated.column("lost_reason")!.values == [.string("Preis"), .string("Lieferzeit")])
        #expect(stated.column("count")!.values == [.integer(25), .integer(20)])
        // Messe: 20 of 25 name price; the other lost rows: 5 of 20 → 3.2×
        #expect(r.findings.contains("Of the target rows, those with channel = \"Messe\" name lost_reason \"Preis\" 3.2× as often as the others (80 % against 25 %)."))
    }

    @Test func emptyGroupsAreClearErrors() throws {
        let (t, _) = Self.table(["channel"], [(3, ["Messe"], true)])
        #expect(throws: EngineError.self) { try WhyNot.run(t, target: [0, 0, 0], groups: Self.groups, options: Self.options()) }
        #expect(throws: EngineError.self) { try WhyNot.run(t, target: [1, 1, 1], groups: Self.groups, options: Self.options()) }
        do {
            _ = try WhyNot.run(t, target: [0, 0, 0], groups: Self.groups, options: Self.options())
        } catch let e as EngineError {
            #expect(e.message.contains("empty"))
        }
    }

    /// A named column with one value covers every row: its risk ratio is undefined and shown
    /// as null, never as NaN; columns with one value or only nulls are left out when not named.
    @Test func undefinedRatiosAndDegenerateColumns() throws {
        var (t, target) = Self.table(["country", "channel"], [
            (30, ["DE", "Messe"], true), (10, ["DE", "Messe"], false), (10, ["DE", "Web"], true), (50, ["DE", "Web"], false),
        ])
        t = try t.setting("empty", Column.nulls(.float, count: t.rowCount))
        let named = try WhyNot.run(t, target: target, groups: Self.groups,
                                   options: Self.options { $0.columns = ["country", "channel", "empty"]; $0.keepAll = true })
        let de = try #require(Self.row(named.patterns, "country = \"DE\""))
        #expect(de["risk_ratio"] == .null)
        #expect(de["rest_rate"] == .null)
        #expect(de["note"]?.description.contains("undefined") == true)
        #expect(Self.row(named.patterns, "empty is null")?["risk_ratio"] == .null)
        for name in ["support", "target_rate", "rest_rate", "risk_ratio", "rr_low", "rr_high", "p_value", "q_value"] {
            let c = try #require(named.patterns.column(name))
            #expect((0..<c.count).allSatisfy { c[$0].doubleValue.map { $0.isFinite } ?? true }, "\(name)")
        }
        let automatic = try WhyNot.run(t, target: target, groups: Self.groups, options: Self.options())
        #expect(automatic.summary.contains { $0.contains("country (one value)") && $0.contains("empty (all null)") })
        #expect(Self.row(automatic.patterns, "channel = \"Messe\"") != nil)
    }

    /// Numbers are cut at quantiles into ranges that read as conditions; heavy ties merge
    /// bins; equal patterns keep one order run after run.
    @Test func numericBinsAndTies() throws {
        var values: [Int64?] = []
        var target: [UInt8] = []
        for i in 0..<200 {
            values.append(i < 120 ? 0 : Int64(i))   // 60 % zeros: the lower quantiles tie
            target.append(i >= 160 || i % 7 == 0 ? 1 : 0)
        }
        values.append(nil); target.append(1)
        let t = makeTable([("complaints", Column.integers(values))])
        let r = try WhyNot.run(t, target: target, groups: Self.groups, options: Self.options { $0.keepAll = true; $0.minRatio = 0 })
        let patterns = r.patterns.column("pattern")!.values.map(\.description)
        #expect(patterns.contains("complaints < 120"))
        #expect(patterns.contains("complaints >= 160"))
        #expect(patterns.contains("complaints is null"))
        // cut points at the 20/40/60/80 % quantiles are 0, 0, 120, 160: three bins
        #expect(patterns.contains("120 <= complaints < 160"))
        #expect(r.summary.first?.contains("complaints (3 bins)") == true)
        let again = try WhyNot.run(t, target: target, groups: Self.groups, options: Self.options { $0.keepAll = true; $0.minRatio = 0 })
        #expect(again.patterns.column("pattern")!.values == r.patterns.column("pattern")!.values)
    }

    /// When most rows are in the target group, say so and name the mirror question.
    @Test func majorityTargetNamesTheMirror() throws {
        let (t, target) = Self.table(["channel"], [(80, ["Messe"], true), (5, ["Messe"], false), (10, ["Web"], true), (5, ["Web"], false)])
        let r = try WhyNot.run(t, target: target, groups: Self.groups, options: Self.options())
        #expect(r.summary.contains { $0.contains("90 % of the rows are in the target group") && $0.contains("why-not not lost") })
    }
}
