import Foundation
@testable import NKAnalysis
import NKEngine
import NKTestSupport
import Testing

/// The in-memory counts behind why-not's summary and its confounding check, each against a
/// row-by-row count written the plain way: which candidates each row has (one pass over the
/// rows through per-code tables) and the tallies among the rows with a pattern.
@Suite struct WhyNotCountingTests {
    /// `n` rows of `sizes.count` attributes with random codes (code sizes[k] - 1 stands for null).
    static func attributes(_ n: Int, sizes: [Int], seed: UInt64) -> ([Attribute], [UInt8]) {
        var random = SeededGenerator(seed: seed)
        let attributes = sizes.enumerated().map { k, size in
            let values: [String?] = (0..<size).map { $0 == size - 1 ? nil : "v\($0)" }
            return Attribute(column: "a\(k)", conditions: values.map { "a\(k) = \($0 ?? "null")" }, values: values,
                             codes: (0..<n).map { _ in UInt16.random(in: 0..<UInt16(size), using: &random) },
                             binning: nil, coding: WhyNot.Coding(column: "a\(k)", kind: .values(values)))
        }
        let target = (0..<n).map { _ in UInt8.random(in: 0...1, using: &random) }
        return (attributes, target)
    }

    static func patterns(_ count: Int, _ attributes: [Attribute], seed: UInt64) -> [WhyNot.Pattern] {
        var random = SeededGenerator(seed: seed)
        return (0..<count).map { _ in
            let order = Int.random(in: 1...3, using: &random)
            let chosen = Array(attributes.indices.shuffled(using: &random).prefix(order)).sorted()
            return WhyNot.Pattern(items: chosen.map { ($0, Int.random(in: 0..<attributes[$0].valueCount, using: &random)) }, a: 0, n1: 0)
        }
    }

    static func has(_ p: WhyNot.Pattern, row i: Int, _ attributes: [Attribute]) -> Bool {
        p.items.allSatisfy { Int(attributes[$0.attribute].codes[i]) == $0.code }
    }

    @Test(arguments: [(1, 1), (2, 7), (3, 63)] as [(UInt64, Int)])
    func coverageCountsEachCombinationOfCandidates(_ seed: UInt64, _ candidates: Int) {
        // more rows than one block, so the blocks and both cores take part
        let (attributes, target) = Self.attributes(70_001, sizes: [3, 4, 2, 6, 3], seed: seed)
        let patterns = Self.patterns(candidates, attributes, seed: seed &+ 100)
        var expected: [UInt64: (rows: Int, target: Int)] = [:]
        for i in 0..<target.count {
            var bits: UInt64 = 0
            for (k, p) in patterns.enumerated() where Self.has(p, row: i, attributes) { bits |= 1 << UInt64(k) }
            let c = expected[bits, default: (0, 0)]
            expected[bits] = (c.rows + 1, c.target + Int(target[i]))
        }
        let counted = WhyNot.coverage(patterns, attributes, target: target)
        #expect(counted.cells.map(\.bits) == expected.keys.sorted())
        for cell in counted.cells {
            #expect(cell.rows == expected[cell.bits]?.rows && cell.target == expected[cell.bits]?.target)
        }
        #expect(counted.cells.reduce(0) { $0 + $1.rows } == target.count)
    }

    @Test func theCombinationCounterGrowsWithoutLosingACount() {
        var counter = CombinationCounter(capacity: 4)
        var expected: [UInt64: (rows: Int, target: Int)] = [:]
        var random = SeededGenerator(seed: 9)
        for _ in 0..<50_000 {
            let key = UInt64.random(in: 0..<3_000, using: &random) &* 0x1_0000_0001
            let t = Int.random(in: 0...1, using: &random)
            counter.add(key, target: t)
            let c = expected[key, default: (0, 0)]
            expected[key] = (c.rows + 1, c.target + t)
        }
        let cells = counter.cells
        #expect(cells.count == expected.count)
        #expect(cells.allSatisfy { expected[$0.bits]?.rows == $0.rows && expected[$0.bits]?.target == $0.target })
    }

    @Test func theDevianceOfThePartsIsTheSameSumInTheSameOrderWhateverTheMask() {
        var random = SeededGenerator(seed: 21)
        let cells = (0..<600).map { _ -> (bits: UInt64, rows: Int, target: Int) in
            let rows = Int.random(in: 1...500, using: &random)
            return (UInt64.random(in: 0...UInt64.max, using: &random) & ((1 << 40) - 1), rows, Int.random(in: 0...rows, using: &random))
        }
        let coverage = WhyNot.Coverage(cells: cells)
        // the parts by their masked bits, summed in the order of those bits
        func reference(_ mask: UInt64) -> Double {
            var parts: [UInt64: (n: Int, t: Int)] = [:]
            for c in coverage.cells {
                let p = parts[c.bits & mask, default: (0, 0)]
                parts[c.bits & mask] = (p.n + c.rows, p.t + c.target)
            }
            var d = 0.0
            for part in parts.sorted(by: { $0.key < $1.key }).map(\.value) where part.t > 0 && part.t < part.n {
                let rate = Double(part.t) / Double(part.n)
                d -= 2 * (Double(part.t) * log(rate) + Double(part.n - part.t) * log(1 - rate))
            }
            return d
        }
        for bits in [0, 1, 2, 8, 16, 17, 30] {
            let mask = (0..<bits).reduce(UInt64(0)) { m, _ in m | (1 << UInt64.random(in: 0..<40, using: &random)) }
            #expect(WhyNot.deviance(coverage, mask) == reference(mask), "mask \(String(mask, radix: 2))")
        }
    }

    @Test(arguments: [4, 5] as [UInt64])
    func talliesAmongThePatternsRowsMatchARowByRowCount(_ seed: UInt64) {
        let (attributes, target) = Self.attributes(30_000, sizes: [3, 4, 5, 2], seed: seed)
        for p in Self.patterns(12, attributes, seed: seed &+ 7) {
            for set in [[0], [3], [1, 2]] {
                let t = Tally.count(attributes, set, target: target, within: p)
                var rows = [Int32](repeating: 0, count: t.rows.count), hits = rows
                for i in 0..<target.count where Self.has(p, row: i, attributes) {
                    let k = t.cell(set.map { Int(attributes[$0].codes[i]) })
                    rows[k] += 1
                    hits[k] += Int32(target[i])
                }
                #expect(t.rows == rows && t.target == hits && t.attributes == set)
            }
        }
    }
}
