import Foundation
@testable import NKEngine
import NKTestSupport
import Testing

/// The engine's operations called directly (as the analyses call them inside one step of a
/// plan, where no check between steps follows), stopped at each place they look at the flag
/// in turn: every stop throws "cancelled", and a half result is never handed back as whole.
@Suite struct StoppedKernelsTests {
    /// 220,000 orders and their 1,000 customers: work enough for both cores (from 200,000).
    static let (orders, customers) = JoinAggregateTests.tables(220_000, seed: 31)

    static let operations: [(String, @Sendable (ExecutionContext) throws -> Table)] = [
        ("group-by a whole number", { try orders.groupBy([NamedExpr("customer_id", .col("customer_id"))],
                                                          [Aggregate(.count), Aggregate(.sum, .col("revenue")), Aggregate(.avg, .col("quantity"))], context: $0) }),
        ("group-by a text", { try orders.groupBy([NamedExpr("name", .col("name"))],
                                                 [Aggregate(.sum, .col("revenue")), Aggregate(.median, .col("revenue"))], context: $0) }),
        ("join", { try orders.join(customers, on: [("customer_id", "customer_id")], context: $0) }),
        ("left join", { try orders.join(customers, on: [("customer_id", "customer_id")], kind: .left, context: $0) }),
        ("join and group-by in one pass", { try orders.joinGroupBy(customers, on: [("customer_id", "customer_id")], kind: .inner,
                                                                    keys: [("region", JoinedColumn(.right, "region"))],
                                                                    aggregates: JoinAggregateTests.aggregates, context: $0) }),
        ("sort", { try orders.sorted(by: [.desc("revenue")], context: $0) }),
    ]

    @Test(arguments: operations.indices)
    func stoppedAtEveryPlaceItLooks(_ index: Int) throws {
        let (name, operation) = Self.operations[index]
        let expected = goldenText(try operation(ExecutionContext(cancellation: CancellationFlag())))
        let ended = CancellationFlag.stoppingAtEachReading(eachUpTo: 8) { flag, reading in
            let result = try operation(ExecutionContext(cancellation: flag))
            #expect(goldenText(result) == expected, "\(name): the run that ended, at reading \(reading)")
        } stopped: { error, reading in
            #expect((error as? EngineError)?.category == .cancelled, "\(name), reading \(reading): \(error)")
        }
        let reading = try #require(ended, "\(name) was still stopping after 100,000 readings")
        #expect(reading > 1, "\(name) never looked at the flag")
    }
}
