import Foundation
import NKEngine
import NKLanguage
import NKTestSupport
import Testing

/// Every long operation listens to the cancellation flag Ctrl-C sets: it ends with "cancelled"
/// and the tables that existed before are untouched. (How fast each one stops is measured by
/// `nk-bench --cancel`, not here.)
@Suite struct CancellationTests {
    @Test(arguments: [
        "orders | sort revenue desc",
        "orders | join customers on customer_id | count",
        "orders | segment by customer_id agg sum(revenue)",
        "customers | why-not status != \"customer\" by channel, industry, size, region depth 3",
        "orders | segment clv value revenue",
        "orders | segment lifecycle",
        "orders | segment rfm",
        "orders | segment cohort",
        "customers | filter status = \"prospect\" | lookalike (customers | filter status = \"customer\") on industry, size, region",
    ])
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
}
