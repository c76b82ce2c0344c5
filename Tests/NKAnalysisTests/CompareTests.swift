import Foundation
@testable import NKAnalysis
import NKEngine
import NKTestSupport
import Testing

@Suite struct CompareTests {
    func close(_ a: Double?, _ b: Double, _ relative: Double = 1e-9) -> Bool {
        guard let a else { return false }
        return a == b || abs(a - b) <= relative * max(abs(a), abs(b))
    }

    /// Subscribers against non-subscribers of bank-full.csv, checked against scipy
    /// (chi2_contingency without correction; ttest_ind Welch; mannwhitneyu asymptotic).
    @Test(.enabled(if: TestPaths.realdata != nil, "the shared real data is not beside the project"))
    func bankMarketingAgreesWithScipy() throws {
        let data = try #require(TestPaths.realdata)
        let bank = try CSVReader.load(path: data.appendingPathComponent("bank_marketing/bank-full.csv").path).table
        let yes = try bank.filter(.col("y") == .lit("yes")), no = try bank.filter(.col("y") == .lit("no"))
        let r = try Compare.run(yes, no, labels: ("yes", "no"), columns: ["poutcome", "duration"])
        let s = r.summary
        #expect(s.column("column")!.values == [.string("duration"), .string("poutcome")])  // by effect size
        // duration: Welch t 57.514126544567…, Cliff's delta 0.6151911902249849
        #expect(close(s.column("statistic")![0].doubleValue, 57.51412654456789))
        #expect(close(s.column("effect_size")![0].doubleValue, 0.6151911902249849))
        let tests = try #require(r.details.first { $0.column == "duration" }?.tables.last)
        #expect(close(tests.column("value")![1].doubleValue, 170_521_757))          // Mann-Whitney U
        #expect(close(tests.column("value")![2].doubleValue, 1.335825262656735))   // Cohen's d
        #expect(close(tests.column("df")![0].doubleValue, 5685.308055661031, 1e-8))
        // poutcome: chi-square 4391.5065887686615 on 3 degrees of freedom, Cramér's V 0.3116626167998104
        #expect(close(s.column("statistic")![1].doubleValue, 4391.5065887686615))
        #expect(close(s.column("effect_size")![1].doubleValue, 0.3116626167998104))
        let values = try #require(r.details.first { $0.column == "poutcome" }?.tables.first)
        #expect(values.column("value")!.values.map(\.description) == ["unknown", "failure", "other", "success"])  // by total count
        #expect(values.column("count_yes")!.values == [3386, 618, 307, 978].map(Value.integer))
    }

    let a = makeTable([("id", .integers([1, 2, 3, 4])), ("kind", .strings(["x", "x", "y", "x"])), ("v", .floats([1, 2, 3, 4]))])
    let b = makeTable([("id", .integers([5, 6, 7])), ("kind", .strings(["y", "y", nil])), ("v", .floats([10, 11, nil]))])

    @Test func identifiersAreLeftOutAndSmallTablesUseFisher() throws {
        let r = try Compare.run(a, b)
        #expect(r.summary.column("column")!.values.contains(.string("id")) == false)
        let kind = try #require((0..<r.summary.rowCount).first { r.summary.column("column")![$0] == .string("kind") })
        #expect(r.summary.column("test")![kind] == .string("chi-square"))  // three values with the null
        let two = try Compare.run(a, try b.filter(!.isNull(.col("kind"))), columns: ["kind"])
        #expect(two.summary.column("test")![0] == .string("fisher exact"))
        // [[x: 3, 0], [y: 1, 2]]: two-sided Fisher p = 0.4
        #expect(close(two.summary.column("p_value")![0].doubleValue, 0.4, 1e-12))
    }

    @Test func holmAdjustsAcrossColumnsAndManyValuesFold() throws {
        let many = makeTable([("c", .strings((0..<30).map { "v\($0 % 15)" })), ("n", .floats((0..<30).map { Double($0) }))])
        let other = makeTable([("c", .strings((0..<30).map { "v\($0 % 3)" })), ("n", .floats((0..<30).map { Double($0 + 5) }))])
        let r = try Compare.run(many, other)
        let p = r.summary.column("p_value")!.values.compactMap(\.doubleValue)
        let adjusted = r.summary.column("p_adjusted")!.values.compactMap(\.doubleValue)
        #expect(adjusted == StatTests.adjust(p, .holm))
        let values = try #require(r.details.first { $0.column == "c" }?.tables.first)
        #expect(values.rowCount == Compare.maximumValues + 1)
        #expect(values.column("value")![Compare.maximumValues] == .string("(other)"))
        #expect(values.column("count_a")!.values.compactMap(\.doubleValue).reduce(0, +) == 30)
        // `all`: every one of the 15 values, none folded
        let unfolded = try Compare.run(many, other, maximumValues: nil)
        let every = try #require(unfolded.details.first { $0.column == "c" }?.tables.first)
        #expect(every.rowCount == 15)
        #expect(!every.column("value")!.values.contains(.string("(other)")))
    }

    @Test func constantGroupsGiveNullsNotNaN() throws {
        let a = makeTable([("v", .floats([2, 2, 2]))]), b = makeTable([("v", .floats([2, 2]))])
        // named, a constant column is compared; unnamed, it is left out and said so
        #expect(try Compare.run(a, b).constant == ["v"])
        #expect(try Compare.run(a, b).summary.rowCount == 0)
        let r = try Compare.run(a, b, columns: ["v"])
        #expect(r.summary.column("statistic")![0] == .null)
        #expect(r.summary.column("p_value")![0] == .float(1))
        let tests = try #require(r.details.first?.tables.last)
        for column in tests.columns { #expect(!column.values.contains { ($0.doubleValue ?? 0).isNaN }) }
    }
}

/// The radix sort behind compare's numeric columns orders every kind of number exactly as a
/// comparison sort does: money with cents, whole numbers, negatives, zeros of either sign, and
/// doubles spanning every exponent.
@Suite struct NumericSortTests {
    @Test(arguments: ["cents", "integers", "wide", "tiny range", "sums"])
    func radixSortMatchesSorted(_ kind: String) {
        var random = SeededGenerator(seed: 42)
        let values: [Double] = (0..<50_000).map { _ in
            switch kind {
            case "cents": return Double(Int.random(in: -5_000_000...15_000_000, using: &random)) / 100
            case "integers": return Double(Int.random(in: -100...36_000, using: &random))
            case "wide":
                let x = Double.random(in: -1...1, using: &random) * pow(10, Double(Int.random(in: -300...300, using: &random)))
                return Int.random(in: 0..<50, using: &random) == 0 ? -0.0 : x
            case "sums": return (0..<3).reduce(0.0) { s, _ in s + Double(Int.random(in: 0...99_999, using: &random)) / 100 }
            default: return Double(Int.random(in: 0...3, using: &random))
            }
        }
        let sorted = NumericSample.sorted(values)
        #expect(sorted.count == values.count)
        #expect(sorted.elementsEqual(values.sorted()) { $0 == $1 })
        // a stable order both ways: equal values keep their index order
        for descending in [false, true] {
            let expected = values.indices.sorted { a, b in
                values[a] != values[b] ? (descending ? values[a] > values[b] : values[a] < values[b]) : a < b
            }
            #expect(NumericSample.stableOrder(values, descending: descending).map { Int($0) } == expected, "\(kind) descending \(descending)")
        }
    }

    /// Ctrl-C while amounts in cents are ordered (as pareto ranks them): no order at all, not
    /// a second try at other scales and then over the doubles' bits (which took a pass over
    /// every value on one core before the sort looked at the flag).
    @Test func aStoppedStableOrderGivesNothing() {
        let amounts = (0..<100_000).map { Double($0 % 977) / 100 }
        #expect(NumericSample.stableOrder(amounts).count == amounts.count)
        let flag = CancellationFlag()
        flag.cancel()
        #expect(NumericSample.stableOrder(amounts, descending: true, cancellation: flag).isEmpty)
    }
}

/// Whole numbers in a small range are described from a histogram; the same numbers stored as
/// floats go through sorting. Both give the same statistics, nulls and ties included.
@Suite struct HistogramPathTests {
    @Test func histogramAgreesWithSorting() throws {
        var random = SeededGenerator(seed: 7)
        let n = 20_000
        let ints: [Int64?] = (0..<n).map { _ in Int.random(in: 0..<20, using: &random) == 0 ? nil : Int64(Int.random(in: -50...300, using: &random)) }
        let groups: [UInt8] = (0..<n).map { _ in UInt8(Int.random(in: 0...2, using: &random)) }
        let table = makeTable([("i", .integers(ints)), ("f", .floats(ints.map { $0.map(Double.init) }))])
        let r = try Compare.run(table, groups: groups, labels: ("a", "b"), columns: ["i", "f"])
        let i = try #require(r.details.first { $0.column == "i" }?.tables), f = try #require(r.details.first { $0.column == "f" }?.tables)
        for (x, y) in zip(i, f) {
            for name in x.names where name != "group" && name != "measure" {
                let cx = x.column(name)!, cy = y.column(name)!
                for row in 0..<x.rowCount {
                    #expect(approximately(cx[row].doubleValue, cy[row].doubleValue, relative: 1e-12), "\(name) row \(row)")
                }
            }
        }
    }
}
