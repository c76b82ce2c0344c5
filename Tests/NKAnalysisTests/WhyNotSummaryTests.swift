import Foundation
import NKAnalysis
import NKEngine
import NKTestSupport
import Testing

/// why-not's summary: the few distinct findings. Three planted causes that never overlap,
/// hidden among dozens of columns that copy a cause with noise: the summary returns exactly
/// the three causes, in the order of what they add.
@Suite struct WhyNotSummaryTests {
    /// 20,000 rows; causes a, b, c (yes/no) on 8 %, 5 % and 3 % of the rows, never together;
    /// the target rate is 60 % with a cause and 10 % without. Ten decoys per cause copy it with
    /// 15 % of the rows flipped, and five columns are noise.
    static func planted(seed: UInt64) -> (Table, [UInt8]) {
        var random = SeededGenerator(seed: seed)
        let n = 20_000
        var cause = [Int](repeating: -1, count: n)
        var target = [UInt8](repeating: 0, count: n)
        for i in 0..<n {
            let u = Double.random(in: 0..<1, using: &random)
            cause[i] = u < 0.08 ? 0 : u < 0.13 ? 1 : u < 0.16 ? 2 : -1
            target[i] = Double.random(in: 0..<1, using: &random) < (cause[i] >= 0 ? 0.6 : 0.1) ? 1 : 0
        }
        var columns: [(String, Column)] = []
        for (k, name) in ["a", "b", "c"].enumerated() {
            columns.append((name, .strings((0..<n).map { cause[$0] == k ? "yes" : "no" })))
            for d in 0..<10 {
                columns.append(("\(name)_copy\(d)", .strings((0..<n).map { i in
                    let has = cause[i] == k
                    return (Double.random(in: 0..<1, using: &random) < 0.15 ? !has : has) ? "yes" : "no"
                })))
            }
        }
        for j in 0..<5 {
            columns.append(("noise\(j)", .strings((0..<n).map { _ in ["p", "q", "r", "s"][Int.random(in: 0..<4, using: &random)] })))
        }
        return (makeTable(columns), target)
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func theSummaryFindsThePlantedCausesAndNoCopy(_ seed: UInt64) throws {
        let (table, target) = Self.planted(seed: seed)
        let result = try WhyNot.run(table, target: target, groups: WhyNot.Groups(target: "t", verb: "be t"), options: WhyNot.Options())
        let summary = result.distinct
        let patterns = (0..<summary.rowCount).map { summary.column("pattern")![$0].description }
        #expect(patterns == ["a = \"yes\"", "b = \"yes\"", "c = \"yes\""], "seed \(seed): \(patterns)")
        // the causes never overlap: each adds all of its target rows
        let adds = (0..<summary.rowCount).map { summary.column("adds")![$0].doubleValue! }
        let counts = (0..<summary.rowCount).map { summary.column("target_count")![$0].doubleValue! }
        #expect(adds == counts)
        #expect((0..<summary.rowCount).allSatisfy { summary.column("overlap")![$0].doubleValue == 0 })
        // far more patterns survive than the summary shows: the copies
        #expect(result.survived > 20)
        // the attribute ranking puts the three causes first
        let ranked = (0..<3).map { result.attributes.column("attribute")![$0].description }
        #expect(Set(ranked) == ["a", "b", "c"])
        // the sentences tell the summary, each with what it adds
        #expect(result.findings.count == 3)
        #expect(result.findings[1].hasSuffix("It adds \(Value.grouped(Int(adds[1]))) target rows the findings above do not cover."))
    }

    @Test func summaryNLimitsTheFindings() throws {
        let (table, target) = Self.planted(seed: 1)
        var options = WhyNot.Options()
        options.summaryLimit = 2
        let result = try WhyNot.run(table, target: target, groups: WhyNot.Groups(target: "t", verb: "be t"), options: options)
        #expect(result.distinct.rowCount == 2)
        #expect(result.findings.count == 2)
    }
}
