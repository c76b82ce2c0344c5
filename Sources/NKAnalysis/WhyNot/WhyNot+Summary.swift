import Foundation
import NKEngine

/// The few distinct findings first: from the surviving patterns, a small set that together
/// explain as much of the target group as possible with little overlap, and a ranking of the
/// attributes by how strongly each goes with the target.
///
/// The rule, greedy. The findings chosen so far split the rows into parts (the rows with
/// exactly these of them); each part has its own target rate. A candidate P is worth how much
/// better the target is told once P's rows are told apart inside every part:
///
///     gain(P | chosen) = D(parts) − D(parts split by P),   D = Σ −2 (t ln(t/n) + (n − t) ln(1 − t/n))
///
/// D is the binomial deviance of the parts (n rows, t of them target rows, per part): the
/// gain is the likelihood-ratio statistic of adding P. A pattern that copies a chosen one
/// gains nothing however strong it is alone (its parts have the rates they had), a broad
/// pattern at a small ratio gains little, and a pattern whose rows are much likelier to be
/// target rows gains much even inside a chosen one's rows. To stay distinct, a candidate
/// must also add new target rows — at least the least support (1 % of the target group) that
/// no chosen finding covers. The best candidate is chosen while it gains at least a tenth of
/// what the first one gained, up to `summary N` findings (7 by default).
extension WhyNot {
    /// A chosen finding: the pattern, the target rows it adds, and its largest overlap with one
    /// finding above it (a share of its own target rows).
    struct Chosen {
        /// The pattern (while choosing: the candidate's bit).
        var pattern: Int
        var adds: Int
        var overlap: Double
    }

    /// Rows of each combination of patterns: bit k set when the row has candidate k.
    struct Coverage {
        /// In the order of their bits, however they were counted.
        var cells: [(bits: UInt64, rows: Int, target: Int)]
        init(cells: [(bits: UInt64, rows: Int, target: Int)]) { self.cells = cells.sorted { $0.bits < $1.bits } }
    }

    /// At most this many candidates enter the summary (one bit each in a 64-bit word).
    static let summaryCandidates = 63

    /// The binomial deviance of the parts the rows fall into by the patterns in `mask`.
    ///
    /// A part is the set of mask bits a cell has; its index packs those bits together in
    /// their order (the mask has at most `summary N` + 1 bits), so the parts are summed in
    /// the order of their bits — every count gives the same bits of the sum.
    static func deviance(_ coverage: Coverage, _ mask: UInt64) -> Double {
        var positions: [UInt64] = []
        var m = mask
        while m != 0 {
            positions.append(UInt64(m.trailingZeroBitCount))
            m &= m - 1
        }
        var n: [Int], t: [Int]
        if positions.count <= 16 {
            n = [Int](repeating: 0, count: 1 << positions.count)
            t = n
            for cell in coverage.cells {
                var index = 0
                for (j, p) in positions.enumerated() { index |= Int((cell.bits >> p) & 1) << j }
                n[index] += cell.rows
                t[index] += cell.target
            }
        } else {
            // more findings than a table of 2^16 parts: the parts by their bits
            var parts: [UInt64: (n: Int, t: Int)] = [:]
            for cell in coverage.cells {
                let p = parts[cell.bits & mask, default: (0, 0)]
                parts[cell.bits & mask] = (p.n + cell.rows, p.t + cell.target)
            }
            let sorted = parts.sorted { $0.key < $1.key }
            n = sorted.map(\.value.n)
            t = sorted.map(\.value.t)
        }
        var d = 0.0
        for i in n.indices where t[i] > 0 && t[i] < n[i] {
            let rate = Double(t[i]) / Double(n[i])
            d -= 2 * (Double(t[i]) * log(rate) + Double(n[i] - t[i]) * log(1 - rate))
        }
        return d
    }

    /// Target rows of the cells with every bit of `all` and none of `none`.
    static func targetRows(_ coverage: Coverage, all: UInt64, none: UInt64 = 0) -> Int {
        var n = 0
        for cell in coverage.cells where cell.bits & all == all && cell.bits & none == 0 { n += cell.target }
        return n
    }

    /// The greedy choice described above; `pattern` is the candidate's bit in the coverage.
    static func choose(_ coverage: Coverage, candidates: Int, limit: Int, minTargetRows: Int) -> [Chosen] {
        var chosen: [Chosen] = []
        var covered: UInt64 = 0
        var current = deviance(coverage, 0)
        var firstGain: Double?
        while chosen.count < limit {
            var best: (k: Int, gain: Double, adds: Int, deviance: Double)?
            for k in 0..<candidates where covered & (1 << UInt64(k)) == 0 {
                let bit: UInt64 = 1 << UInt64(k)
                let adds = targetRows(coverage, all: bit, none: covered)
                guard adds >= minTargetRows else { continue }
                let split = deviance(coverage, covered | bit)
                if current - split > (best?.gain ?? 1e-9) { best = (k, current - split, adds, split) }
            }
            guard let pick = best, pick.gain >= 0.1 * (firstGain ?? pick.gain) else { break }
            if firstGain == nil { firstGain = pick.gain }
            // its largest overlap with one finding above it, as a share of its target rows
            let bit: UInt64 = 1 << UInt64(pick.k)
            let own = targetRows(coverage, all: bit)
            let overlap = chosen.map { Double(targetRows(coverage, all: bit | (1 << UInt64($0.pattern)))) / Double(max(own, 1)) }.max() ?? 0
            chosen.append(Chosen(pattern: pick.k, adds: pick.adds, overlap: overlap))
            covered |= bit
            current = pick.deviance
        }
        return chosen
    }

    /// The summary table: rank, pattern, target_count, risk_ratio, rr_low, rr_high, adds, overlap.
    static func summaryTable(_ chosen: [Chosen], _ patterns: [Pattern], _ attributes: [Attribute]) throws -> Table {
        try Table([
            ("rank", .integers(chosen.indices.map { Int64($0 + 1) })),
            ("pattern", .strings(chosen.map { conditionText(patterns[$0.pattern], attributes) })),
            ("target_count", .integers(chosen.map { Int64(patterns[$0.pattern].a) })),
            ("risk_ratio", .floats(chosen.map { patterns[$0.pattern].stats.ratio.flatMap { $0.isFinite ? $0 : nil } })),
            ("rr_low", .floats(chosen.map { patterns[$0.pattern].stats.low })),
            ("rr_high", .floats(chosen.map { patterns[$0.pattern].stats.high })),
            ("adds", .integers(chosen.map { Int64($0.adds) })),
            ("overlap", .floats(chosen.map { $0.overlap })),
        ])
    }

    /// Per attribute, how strongly its values go with the target: Pearson's chi-square test of
    /// its values (null a value of its own) against target or not, and Cramér's V; strongest
    /// first.
    static func attributeRanking(_ attributes: [Attribute], tallies: [Tally], tallyIndex: [[Int]: Int]) throws -> Table {
        let tests = attributes.indices.map { i -> (values: Int, test: StatTests.ChiSquare) in
            let t = tallies[tallyIndex[[i]]!]
            let table = (0..<t.rows.count).filter { t.rows[$0] > 0 }.map { [Double(t.target[$0]), Double(t.rows[$0] - t.target[$0])] }
            return (table.count, StatTests.chiSquareIndependence(table))
        }
        let order = attributes.indices.sorted { x, y in
            tests[x].test.cramersV != tests[y].test.cramersV ? tests[x].test.cramersV > tests[y].test.cramersV : x < y
        }
        return try Table([
            ("attribute", .strings(order.map { attributes[$0].column })),
            ("values", .integers(order.map { Int64(tests[$0].values) })),
            ("cramers_v", .floats(order.map { tests[$0].test.cramersV })),
            ("chi_square", .floats(order.map { tests[$0].test.statistic })),
            ("df", .integers(order.map { Int64(tests[$0].test.degreesOfFreedom) })),
            ("p_value", .floats(order.map { tests[$0].test.pValue })),
        ])
    }
}
