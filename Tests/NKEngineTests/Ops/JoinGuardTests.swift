import Foundation
import NKEngine
import NKTestSupport
import Testing

/// A join counts its result before making it, and refuses one that would not fit the budget.
@Suite struct JoinGuardTests {
    static func keys(_ n: Int, distinct: Int) -> Table {
        makeTable([("k", .integers((0..<n).map { Int64($0 % distinct) })), ("v", .integers((0..<n).map { Int64($0) }))])
    }

    @Test func aJoinOfRepeatedKeysIsRefusedBeforeItStarts() throws {
        // 200,000 rows on each side with one key: 4·10¹⁰ result rows
        let t = Self.keys(200_000, distinct: 1)
        var context = ExecutionContext()
        context.memoryLimit = 1 << 30
        let started = Date()
        #expect(throws: EngineError.self) { try t.join(t, on: [("k", "k")], context: context) }
        #expect(Date().timeIntervalSince(started) < 10)  // a pass over the keys, not the result (generous: debug builds)
        do { _ = try t.join(t, on: [("k", "k")], context: context) } catch let e as EngineError {
            #expect(e.category == .resourceLimit)
            #expect(e.description.contains("join: the result would have 40,000,000,000 rows"))
            #expect(e.description.contains("more than the memory limit of 1 GB"))
        }
    }

    @Test func groupingWhileJoiningIsRefusedTheSameWay() throws {
        // the join a segment after it groups from is counted first, as the join alone is
        let t = Self.keys(200_000, distinct: 1)
        var context = ExecutionContext()
        context.memoryLimit = 1 << 30
        let error = #expect(throws: EngineError.self) {
            try t.joinGroupBy(t, on: [("k", "k")], kind: .inner, keys: [("v_right", JoinedColumn(.right, "v"))],
                              aggregates: [(Aggregate(.count), nil)], context: context)
        }
        #expect(error?.category == .resourceLimit)
        #expect(error?.description.contains("join: the result would have 40,000,000,000 rows") == true)
    }

    @Test func theCountIsExactForInnerAndLeftJoins() throws {
        let left = Self.keys(1_000, distinct: 10)          // keys 0…9, 100 rows each
        let right = Self.keys(30, distinct: 15)            // keys 0…14, 2 rows each
        // inner: 1,000 rows × 2 matches; 16 bytes a value ⇒ limit just above and just below
        let bytesPerRow = 8 * 4 + 8
        var context = ExecutionContext()
        context.memoryLimit = 2_000 * bytesPerRow
        #expect(try left.join(right, on: [("k", "k")], context: context).rowCount == 2_000)
        context.memoryLimit = 2_000 * bytesPerRow - 1
        #expect(throws: EngineError.self) { try left.join(right, on: [("k", "k")], context: context) }
        // left join: rows without a match count once
        let sparse = Self.keys(30, distinct: 30).gather((5..<30).map(Int32.init))   // keys 5…29
        context.memoryLimit = 1_000 * bytesPerRow
        #expect(try left.join(sparse, on: [("k", "k")], kind: .left, context: context).rowCount == 1_000)
    }
}
