import Foundation
import NKEngine
import NKLanguage
import NKTestSupport
import Testing

/// Every long operation listens to the cancellation flag Ctrl-C sets: it ends with "cancelled"
/// and the tables that existed before are untouched. (How fast each one stops is measured by
/// `nk-bench --cancel`, not here.)
@Suite struct CancellationTests {
    static let statements = [
        "orders | sort revenue desc",
        "orders | sort customer_id, revenue desc",
        "orders | join customers on customer_id | count",
        "orders | segment by customer_id agg sum(revenue)",
        "customers | why-not status != \"customer\" by channel, industry, size, region depth 3",
        "orders | segment clv value revenue",
        "orders | segment lifecycle",
        "orders | segment rfm",
        "orders | segment cohort",
        "customers | filter status = \"prospect\" | lookalike (customers | filter status = \"customer\") on industry, size, region",
    ]

    @Test(arguments: statements)
    func aCancelledStatementStopsAndKeepsTheTables(_ statement: String) throws {
        let flag = CancellationFlag()
        let session = Session(context: ExecutionContext(cancellation: flag))
        try session.load(TestPaths.root.appendingPathComponent("Datasets/demo/customers.csv").path)
        try session.load(TestPaths.root.appendingPathComponent("Datasets/demo/orders.csv").path)
        let before = session.order.map { ($0, session.table($0)!.rowCount) }
        // Session.run clears the flag before each statement (a new statement is not
        // cancelled); here the statement runs as if Ctrl-C came at its very start
        let source = Source(name: "c.nk", text: "let x = " + statement)
        let (statements, syntax) = Parser.parse(source)
        #expect(syntax.isEmpty)
        flag.cancel()
        do {
            _ = try session.execute(try #require(statements.first), in: source)
            Issue.record("\(statement) ran to the end although it was cancelled")
        } catch {
            #expect((error as? Diagnostic)?.kind == .cancelled, "\(error)")
        }
        #expect(session.order.map { ($0, session.table($0)!.rowCount) }.elementsEqual(before) { $0 == $1 })
        #expect(session.table("x") == nil)
    }

    /// Ctrl-C at each place the statement looks at the flag, in turn, over the demo data.
    @Test(arguments: statements)
    func ctrlCAtEveryPlaceTheStatementLooks(_ statement: String) throws {
        try Self.stopAtEveryPlace(statement, in: try Self.demoSession())
    }

    static let statementsOnBothCores = [
        "orders | sort revenue desc",
        "orders | join customers on customer_id | segment by region agg sum(revenue) as revenue, count() as n",
        "orders | join customers on customer_id | count",
        "orders | segment by customer_id agg sum(revenue), count()",
        "orders | filter revenue > 100 and product_line != \"Werkzeuge\" | count",
        "orders | segment pareto on revenue by customer_id",
        "orders | segment rfm by customer_id on order_date value revenue",
    ]

    /// The same with the demo's orders twenty times over (254,000 rows): enough work for the
    /// loops that split it between the cores, whose workers each look at the flag.
    @Test(arguments: statementsOnBothCores)
    func ctrlCAtEveryPlaceOfWorkOnBothCores(_ statement: String) throws {
        try Self.stopAtEveryPlace(statement, in: try Self.demoSession(repeating: "orders", 20))
    }

    static let customerStatementsOnBothCores = [
        "customers | why-not status != \"customer\" by channel, industry, size, region, employees depth 3",
        "customers | compare where status = \"customer\" on industry, region, size, channel, employees, nps",
        "customers | filter status = \"prospect\" | lookalike (customers | filter status = \"customer\") on industry, size, region, employees",
    ]

    /// The analyses of customers with the demo's customers forty times over (72,000 rows;
    /// each of the first eight readings, then a quarter further each time).
    @Test(arguments: customerStatementsOnBothCores)
    func ctrlCAtEveryPlaceOfAnAnalysisOnBothCores(_ statement: String) throws {
        try Self.stopAtEveryPlace(statement, in: try Self.demoSession(repeating: "customers", 40), eachUpTo: 8)
    }

    /// A session with the demo's customers and orders, `today` fixed for every run, and the
    /// table named `repeating` (if any) `times` times over.
    static func demoSession(repeating name: String? = nil, _ times: Int = 1) throws -> Session {
        let session = Session(context: ExecutionContext(today: ExecutionContext().today, cancellation: CancellationFlag()))
        try session.load(TestPaths.root.appendingPathComponent("Datasets/demo/customers.csv").path)
        try session.load(TestPaths.root.appendingPathComponent("Datasets/demo/orders.csv").path)
        if let name, let table = session.table(name) {
            session.set(name, try Table.append(Array(repeating: table, count: times)))
        }
        return session
    }

    /// Runs `let x = statement` with Ctrl-C at the first reading of the flag, the second, and
    /// so on (past the `eachUpTo`-th, a quarter further each time), until one comes after the last and
    /// the statement runs to its end. Every stopped run must end with "cancelled" and leave the
    /// session's tables as they were (no half result kept, none given as if whole); the run
    /// that ends must give the same table as a run never stopped.
    static func stopAtEveryPlace(_ statement: String, in session: Session, eachUpTo: Int = 32) throws {
        let source = Source(name: "c.nk", text: "let x = " + statement)
        let parsed = try #require(Parser.parse(source).statements.first)
        _ = try session.execute(parsed, in: source)
        let expected = goldenText(try #require(session.table("x")))
        session.remove("x")
        let before = session.order.map { ($0, session.table($0)!.rowCount) }
        let ended = CancellationFlag.stoppingAtEachReading(eachUpTo: eachUpTo) { flag, reading in
            session.context.cancellation = flag
            _ = try session.execute(parsed, in: source)
            #expect(goldenText(try #require(session.table("x"))) == expected, "\(statement): the run that ended, at reading \(reading)")
        } stopped: { error, reading in
            #expect((error as? Diagnostic)?.kind == .cancelled, "\(statement), reading \(reading): \(error)")
            #expect(session.table("x") == nil)
            #expect(session.order.map { ($0, session.table($0)!.rowCount) }.elementsEqual(before) { $0 == $1 }, "reading \(reading)")
        }
        let reading = try #require(ended, "\(statement) was still stopping after 100,000 readings")
        #expect(reading > 1, "\(statement) never looked at the flag")
    }

    /// `load … as orders` over the demo's orders, of a file of three of the reader's 32 MB
    /// waves, stopped at each reading in turn: a stopped load ends with "cancelled" and the
    /// orders from before stay; the load that ends replaces them with every row of the file.
    @Test func aLoadStoppedAtEveryPlaceKeepsTheTableItWouldReplace() throws {
        let folder = try TestPaths.temporaryDirectory()
        let path = folder.appendingPathComponent("many.csv").path
        var block = ""
        for i in 0..<1_000 { block += "\(i),\"Firma \(i), Nord\",\(i % 97).25,2024-0\(1 + i % 9)-1\(i % 10),\(i % 3 == 0 ? "" : "x\(i % 5)")\n" }
        var text = Data("id,name,amount,day,code\n".utf8)
        let blockData = Data(block.utf8), copies = (80 << 20) / blockData.count
        for _ in 0..<copies { text.append(blockData) }
        try text.write(to: URL(fileURLWithPath: path))
        let session = try Self.demoSession()
        let demoOrders = try #require(session.table("orders")).rowCount
        let source = Source(name: "c.nk", text: "load \"\(path)\" as orders")
        let parsed = try #require(Parser.parse(source).statements.first)
        // every reading in turn: a load of three waves looks only a few times
        let ended = CancellationFlag.stoppingAtEachReading(eachUpTo: 1_000, limit: 1_000) { flag, _ in
            session.context.cancellation = flag
            _ = try session.execute(parsed, in: source)
            #expect(session.table("orders")?.rowCount == copies * 1_000)
            #expect(session.table("orders")?.names == ["id", "name", "amount", "day", "code"])
        } stopped: { error, reading in
            #expect((error as? Diagnostic)?.kind == .cancelled, "reading \(reading): \(error)")
            #expect(session.table("orders")?.rowCount == demoOrders, "reading \(reading)")
        }
        let reading = try #require(ended, "the load was still stopping after 1,000 readings")
        #expect(reading > 3, "the load looked at the flag only \(reading - 1) times")
    }
}
