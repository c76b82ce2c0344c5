import Foundation
@testable import NKEngine
import NKTestSupport
import Testing

/// Columns moved into a sort's order in two passes give exactly what a plain gather gives:
/// every type, nulls, a last block that is not full, and a stop asked for half-way.
@Suite struct PermutationGatherTests {
    static func shuffled(_ n: Int, seed: UInt64) -> [Int32] {
        var random = SeededGenerator(seed: seed)
        return (0..<Int32(n)).map { $0 }.shuffled(using: &random)
    }

    static func table(_ n: Int, seed: UInt64) -> Table {
        var random = SeededGenerator(seed: seed)
        let ints = (0..<n).map { _ in Int64.random(in: -1_000_000...1_000_000, using: &random) }
        let floats = (0..<n).map { _ in Double.random(in: -1...1, using: &random) }
        let flags = (0..<n).map { _ in Bool.random(using: &random) }
        let days = (0..<n).map { _ in Int32.random(in: 0...30_000, using: &random) }
        let codes = (0..<n).map { _ in Int32.random(in: 0..<3, using: &random) }
        let valid = Validity((0..<n).map { $0 % 7 != 3 })
        return Table(uncheckedNames: ["i", "f", "b", "d", "t", "s"], columns: [
            Column(.integer(ints), validity: valid),
            Column(.float(floats)),
            Column(.boolean(flags)),
            Column(.date(days), validity: valid),
            Column(.timestamp(ints.map { $0 * 1000 })),
            Column(.string(codes, StringDictionary(["a", "b", "c"]))),
        ], rowCount: n)
    }

    /// Block sizes from 2 rows to more than the table: one block, many, and a short last one.
    @Test(arguments: [1, 4, 7, 12])
    func twoPassesGiveWhatAPlainGatherGives(_ shift: Int) throws {
        let n = 3_001
        let table = Self.table(n, seed: UInt64(shift))
        let rows = Self.shuffled(n, seed: 40 + UInt64(shift))
        let plan = try #require(rows.withUnsafeBufferPointer { PermutationGather($0, shift: shift) })
        let expected = table.gather(rows)
        for (c, column) in table.columns.enumerated() {
            let moved = try #require(rows.withUnsafeBufferPointer { column.gather(plan, $0, stop: { false }) })
            #expect(moved.count == n)
            #expect((0..<n).allSatisfy { moved[$0] == expected.columns[c][$0] }, "column \(table.names[c]) differs")
        }
    }

    /// The table-level entry on a table large enough to take the two passes (the standard
    /// block size, a last block of 1 row): a sort of it equals the plain gather of its order.
    @Test func aLargeSortMovesEveryColumnIntoPlace() throws {
        let n = PermutationGather.minimumRows + (1 << PermutationGather.standardShift) + 1
        var random = SeededGenerator(seed: 9)
        let keys = (0..<n).map { _ in Int64.random(in: 0..<1_000, using: &random) }
        let payload = (0..<n).map { Int64($0) }
        let table = Table(uncheckedNames: ["k", "row"], columns: [Column(.integer(keys)), Column(.integer(payload))], rowCount: n)
        let order = try table.sortPermutation([.asc("k")])
        let sorted = try table.sorted(by: [.asc("k")])
        let plain = table.gather(order)
        guard case .integer(let k) = sorted.columns[0].storage, case .integer(let r) = sorted.columns[1].storage,
              case .integer(let pk) = plain.columns[0].storage, case .integer(let pr) = plain.columns[1].storage else { Issue.record("types"); return }
        #expect(k == pk && r == pr)
        // stable: equal keys keep their rows in order
        #expect((1..<n).allSatisfy { k[$0 - 1] < k[$0] || (k[$0 - 1] == k[$0] && r[$0 - 1] < r[$0]) })
    }

    @Test func aStopAskedForGivesNothing() throws {
        let n = 5_000
        let table = Self.table(n, seed: 3)
        let rows = Self.shuffled(n, seed: 4)
        #expect(rows.withUnsafeBufferPointer { PermutationGather($0, shift: 5, stop: { true }) } == nil)
        let plan = try #require(rows.withUnsafeBufferPointer { PermutationGather($0, shift: 5) })
        #expect(rows.withUnsafeBufferPointer { table.columns[0].gather(plan, $0, stop: { true }) } == nil)
    }

    /// Ctrl-C during a large sort's gather: the statement ends with "cancelled", nothing kept.
    @Test func aCancelledLargeSortThrows() {
        let n = PermutationGather.minimumRows + 5
        let table = Table(uncheckedNames: ["a", "b"], columns: [Column(.integer((0..<n).map { Int64(n - $0) })), Column(.float((0..<n).map { Double($0) }))],
                          rowCount: n)
        let flag = CancellationFlag()
        let order = (0..<Int32(n)).reversed().map { $0 }
        flag.cancel()
        let error = #expect(throws: EngineError.self) { try table.gather(permutation: order, cancellation: flag) }
        #expect(error?.category == .cancelled)
    }

    /// Ctrl-C at places a large sort looks at the flag, in turn (each of the first eight, then
    /// a quarter further each time: in the keys made on both cores, the radix passes, the
    /// gather's plan and each column's move), until one comes after the last: every stopped sort throws "cancelled", and the one that ends gives the
    /// same table as a sort never stopped.
    @Test(arguments: [[SortKey.asc("amount")], [.desc("k")]])
    func ctrlCAtEveryPlaceOfALargeSort(_ keys: [SortKey]) throws {
        let n = PermutationGather.minimumRows + 5
        var random = SeededGenerator(seed: 21)
        let cents = (0..<n).map { _ in Double(Int.random(in: 0..<10_000_000, using: &random)) / 100 }
        let k = (0..<n).map { _ in Int64.random(in: -500...500, using: &random) }
        let table = Table(uncheckedNames: ["amount", "k", "row"],
                          columns: [Column(.float(cents)), Column(.integer(k)), Column(.integer((0..<n).map { Int64($0) }))], rowCount: n)
        let whole = try table.sorted(by: keys, context: ExecutionContext(cancellation: CancellationFlag()))
        guard case .integer(let expectedRows) = whole.columns[2].storage, case .float(let expectedAmounts) = whole.columns[0].storage else {
            Issue.record("types"); return
        }
        let ended = CancellationFlag.stoppingAtEachReading(eachUpTo: 8) { flag, reading in
            let sorted = try table.sorted(by: keys, context: ExecutionContext(cancellation: flag))
            guard case .integer(let rows) = sorted.columns[2].storage, case .float(let amounts) = sorted.columns[0].storage else {
                Issue.record("types"); return
            }
            #expect(rows == expectedRows && amounts == expectedAmounts, "the sort that ended, at reading \(reading)")
        } stopped: { error, reading in
            #expect((error as? EngineError)?.category == .cancelled, "reading \(reading): \(error)")
        }
        let reading = try #require(ended, "the sort was still stopping after 100,000 readings")
        #expect(reading > 1, "the sort never looked at the flag")
    }
}
