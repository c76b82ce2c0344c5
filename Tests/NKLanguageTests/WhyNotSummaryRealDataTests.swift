import Foundation
import NKEngine
import NKLanguage
import NKTestSupport
import Testing

/// why-not's summary on a real table (the bank marketing campaign, `bank-full.csv`): each
/// finding is a surviving pattern of the full table; `adds` sums to the target rows the
/// findings cover together; each `overlap` is the largest share of the finding's target rows
/// that one finding above covers — all counted again here with nk's own `filter`.
@Suite(.enabled(if: TestPaths.realdata != nil, "../shared/realdata is not beside the project")) struct WhyNotSummaryRealDataTests {
    static func count(_ session: Session, _ pipeline: String) throws -> Int {
        let plan = try #require(session.plan(ofPipeline: pipeline), "\(pipeline)")
        return Int(try session.run(plan).table.columns[0][0].doubleValue!)
    }

    @Test func theSummaryKeepsItsInvariants() throws {
        let session = Session()
        let path = TestPaths.realdata!.appendingPathComponent("bank_marketing/bank-full.csv").path
        try session.load(path, as: "bank")
        let plan = try #require(session.plan(ofPipeline: "bank | why-not y = \"yes\" by job, marital, education, default, housing, loan, contact, month, poutcome, age"))
        let result = try #require(try session.run(plan) as? WhyNotResult)
        let summary = result.analysis.distinct, full = result.analysis.patterns
        let targetRows = try Self.count(session, "bank | filter y = \"yes\" | count")
        #expect(summary.rowCount >= 3 && summary.rowCount <= 7)
        // the strongest single value of the campaign leads: earlier success
        #expect(summary.column("pattern")![0].description == "poutcome = \"success\"")
        #expect(full.rowCount > summary.rowCount * 3, "the full table holds many more patterns")
        let surviving = Set((0..<full.rowCount).map { full.column("pattern")![$0].description })
        let patterns = (0..<summary.rowCount).map { summary.column("pattern")![$0].description }
        for p in patterns { #expect(surviving.contains(p), "\(p) is not a surviving pattern") }
        let adds = (0..<summary.rowCount).map { Int(summary.column("adds")![$0].doubleValue!) }
        let union = patterns.map { "(\($0))" }.joined(separator: " or ")
        #expect(adds.reduce(0, +) == (try Self.count(session, "bank | filter y = \"yes\" and (\(union)) | count")))
        for j in patterns.indices {
            let own = try Self.count(session, "bank | filter y = \"yes\" and (\(patterns[j])) | count")
            #expect(own == Int(summary.column("target_count")![j].doubleValue!))
            var overlap = 0.0
            for i in 0..<j {
                let shared = try Self.count(session, "bank | filter y = \"yes\" and (\(patterns[j])) and (\(patterns[i])) | count")
                overlap = max(overlap, Double(shared) / Double(own))
            }
            #expect(abs(overlap - summary.column("overlap")![j].doubleValue!) < 1e-12, "\(patterns[j])")
            // what it adds beyond the findings above it
            let above = patterns[..<j].map { "(\($0))" }
            let new = try Self.count(session, "bank | filter y = \"yes\" and (\(patterns[j]))" + (above.isEmpty ? "" : " and not (" + above.joined(separator: " or ") + ")") + " | count")
            #expect(new == adds[j])
            // a large overlap only where the finding still adds at least the least support
            if overlap > 0.5 { #expect(Double(adds[j]) >= 0.01 * Double(targetRows)) }
        }
    }
}
