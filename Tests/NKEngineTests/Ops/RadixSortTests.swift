import Foundation
@testable import NKEngine
import NKTestSupport
import Testing

/// The radix sort on both cores (a million keys and more): ascending, stable, and each payload
/// still beside its key.
@Suite struct RadixSortTests {
    static func keys(_ n: Int, bits: Int, seed: UInt64) -> [UInt64] {
        var random = SeededGenerator(seed: seed)
        // few distinct values in the low half, so that ties are many
        return (0..<n).map { i in i & 1 == 0 ? UInt64.random(in: 0..<64, using: &random) : UInt64.random(in: 0..<(1 << UInt64(bits)), using: &random) }
    }

    @Test(arguments: [13, 26, 40])
    func keysWithTheirRowsSortStably(_ bits: Int) throws {
        let n = 1_200_001
        let original = Self.keys(n, bits: bits, seed: UInt64(bits))
        var keys = original
        var rows = (0..<Int32(n)).map { $0 }
        RadixSort.sort(&keys, carrying: &rows, bits: bits)
        #expect(keys.count == n && rows.count == n)
        var seen = [Bool](repeating: false, count: n)
        var firstProblem: Int?
        for i in 0..<n {
            let row = Int(rows[i])
            let ordered = i == 0 || keys[i - 1] < keys[i] || (keys[i - 1] == keys[i] && rows[i - 1] < rows[i])
            if !ordered || seen[row] || original[row] != keys[i] { firstProblem = i; break }
            seen[row] = true
        }
        #expect(firstProblem == nil, "first row out of place: \(firstProblem ?? -1)")
    }

    /// The row in a word's low bits, sorted by the bits above it only: the rows of equal keys
    /// stay in order though their own bits are never sorted. Low bits scrambled first would
    /// come out scrambled within each key: that shows they were not sorted.
    @Test(arguments: [(13, 21), (26, 21), (40, 24)])
    func sortedFromABitUpTheLowerBitsKeepTheirOrder(_ bits: Int, _ rowBits: Int) {
        let n = 1_200_001
        let keys = Self.keys(n, bits: bits, seed: UInt64(bits) + 7)
        var words = keys.enumerated().map { $1 << UInt64(rowBits) | UInt64($0) }
        RadixSort.sort(&words, bits: bits + rowBits, from: rowBits)
        let rows = words.map { Int($0 & ((1 << UInt64(rowBits)) - 1)) }
        let expected = keys.indices.sorted { keys[$0] != keys[$1] ? keys[$0] < keys[$1] : $0 < $1 }
        // (the first difference, not the whole arrays: a failure stays readable)
        #expect(rows.indices.first { rows[$0] != expected[$0] } == nil)
        // lower bits in descending order within every key stay descending
        var reversed = keys.enumerated().map { $1 << UInt64(rowBits) | UInt64(n - 1 - $0) }
        RadixSort.sort(&reversed, bits: bits + rowBits, from: rowBits)
        let low = reversed.map { Int($0 & ((1 << UInt64(rowBits)) - 1)) }
        #expect(low.indices.first { low[$0] != n - 1 - expected[$0] } == nil)
    }

    @Test func keysAloneSortAscending() {
        let original = Self.keys(1_100_000, bits: 33, seed: 5)
        var keys = original
        RadixSort.sort(&keys, bits: 33)
        #expect(keys == original.sorted())
    }

    @Test func aCancelledSortStops() {
        let flag = CancellationFlag()
        flag.cancel()
        var keys = Self.keys(1_100_000, bits: 40, seed: 6)
        var rows = (0..<Int32(keys.count)).map { $0 }
        RadixSort.sort(&keys, carrying: &rows, bits: 40, cancellation: flag)
        // stopped before its first pass: nothing moved, and the payload is still the caller's
        #expect(rows.count == keys.count && rows.first == 0 && rows.last == Int32(keys.count - 1))
    }

    /// Amounts in whole cents become keys unless Ctrl-C was pressed: then nothing (the sort's
    /// caller throws), and a sort of such a column throws "cancelled".
    @Test func cancelledCentsGiveNoKeys() throws {
        let amounts = (0..<50_000).map { Double($0 % 977) / 100 }
        #expect(RadixSort.scaledKeys(amounts, 100)?.keys.count == amounts.count)
        let flag = CancellationFlag()
        flag.cancel()
        #expect(RadixSort.scaledKeys(amounts, 100, cancellation: flag) == nil)
        let table = Table(uncheckedNames: ["amount"], columns: [Column(.float(amounts))], rowCount: amounts.count)
        let error = #expect(throws: EngineError.self) { try table.sorted(by: [.asc("amount")], context: ExecutionContext(cancellation: flag)) }
        #expect(error?.category == .cancelled)
    }

    /// The rows in the order of their keys, ties in row order, for keys that take one pass, two
    /// or three, and none (all alike): the last pass writes the row numbers out of the keys'
    /// low bits itself.
    @Test(arguments: [0, 9, 20, 26])
    func stableOrderGivesTheRowsOfTheSortedKeys(_ keyBits: Int) throws {
        let n = 1_300_003
        let keys = keyBits == 0 ? [UInt64](repeating: 0, count: n) : Self.keys(n, bits: keyBits, seed: UInt64(keyBits) + 11)
        var words = keys
        let rows = try #require(RadixSort.stableOrder(&words, keyBits: keyBits))
        let expected = keys.indices.sorted { keys[$0] != keys[$1] ? keys[$0] < keys[$1] : $0 < $1 }
        #expect(rows.count == n)
        #expect(rows.indices.first { Int(rows[$0]) != expected[$0] } == nil)
    }

    /// Amounts in cents over more than one core's share: the keys are the cents above the
    /// smallest amount, and one amount with a third decimal anywhere (here the last, in the
    /// second core's share) means no keys at all.
    @Test func centsOnAllCoresAreKeysAboveTheSmallest() throws {
        let n = 2_500_000
        var amounts = (0..<n).map { Double(($0 &* 7919) % 100_003 - 1250) / 100 }
        amounts[n - 2] = -20   // the smallest, in the second core's share
        // (the answers are held in plain values: a failed expectation does not print the column)
        let scaled = try #require(RadixSort.scaledKeys(amounts, 100))
        #expect(scaled.offset == -2000)
        #expect(scaled.bits == 64 - UInt64(98_752 + 2000).leadingZeroBitCount)
        #expect(scaled.keys.indices.first { Int64(scaled.keys[$0]) != Int64((amounts[$0] * 100).rounded()) + 2000 } == nil)
        amounts[n - 1] = 0.125
        let inCents = RadixSort.scaledKeys(amounts, 100) != nil, inThousandths = RadixSort.scaledKeys(amounts, 1000) != nil
        #expect(!inCents && inThousandths)
    }
}
