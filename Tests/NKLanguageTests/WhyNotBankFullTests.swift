import Foundation
import NKEngine
import NKLanguage
import NKRendering
import NKTestSupport
import Testing

/// `why-not y = "no"` on the real bank-full.csv over its nine categorical columns agrees with
/// an independent computation in pandas and scipy (Scripts/oracles/why_not_bank_full.py, its
/// output stored in Tests/Corpus/whynot): the same 423 patterns, the same counts, and risk
/// ratios, Katz intervals, Fisher p-values and Benjamini-Hochberg q-values to 1e-9 relative.
@Suite struct WhyNotBankFullTests {
    static let statement = """
        let w = bank | why-not y = "no" by job, marital, education, default, housing, loan, contact, month, poutcome all
        """

    @Test(.enabled(if: TestPaths.realdata != nil, "the shared real data is not beside the project"))
    func agreesWithScipy() throws {
        let s = try #require(try BankMarketingAgreementTests.session())
        let failures = s.run(Source(name: "test", text: Self.statement)) { _ in }
        if let f = failures.first { throw f }
        let result = try #require(s.table("w"))
        let url = TestPaths.corpus("whynot").appendingPathComponent("bank-full-y-no.json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let expected = try #require(json["patterns"] as? [[String: Any]])
        #expect(result.rowCount == expected.count)
        var rows: [String: Int] = [:]
        let pattern = try #require(result.column("pattern"))
        for r in 0..<result.rowCount { rows[pattern[r].description] = r }
        func number(_ x: Any?) -> Double { (x as? NSNumber)?.doubleValue ?? .nan }
        for e in expected {
            let name = e["pattern"] as! String
            guard let r = rows[name] else {
                Issue.record("missing pattern \(name)")
                continue
            }
            #expect(result.column("order")![r] == .integer(Int64(number(e["order"]))), "\(name)")
            #expect(result.column("target_count")![r] == .integer(Int64(number(e["target_count"]))), "\(name)")
            #expect(result.column("reference_count")![r] == .integer(Int64(number(e["reference_count"]))), "\(name)")
            for field in ["risk_ratio", "rr_low", "rr_high", "p_value", "q_value"] {
                let actual = result.column(field)![r].doubleValue ?? .nan
                let want = number(e[field])
                // scipy reports p-values below about 1e-300 as 0
                let ok = want == 0 ? actual < 1e-290 : approximately(actual, want, relative: 1e-9)
                #expect(ok, "\(name) \(field): \(actual) vs \(want)")
            }
        }
    }

    /// Without `all`: nothing survives a minimum ratio of 1.5 when 88 % of the rows are the
    /// target, and the output says so and names the mirror question, which finds poutcome.
    @Test(.enabled(if: TestPaths.realdata != nil, "the shared real data is not beside the project"))
    func majorityTargetAndItsMirror() throws {
        let s = try #require(try BankMarketingAgreementTests.session())
        var messages: [String] = []
        var tables: [Table] = []
        let failures = s.run(Source(name: "test", text: "bank | why-not y = \"no\" by job, marital, education, poutcome")) {
            for output in $0.presented {
                switch output {
                case .message(let m), .text(let m): messages.append(m)
                case .table(let t, _): tables.append(t)
                case .result: break
                }
            }
        }
        if let f = failures.first { throw f }
        #expect(messages.contains { $0.contains("88 % of the rows are in the target group") && $0.contains("why-not not (y = \"no\")") })
        // no pattern survives: the pattern table is there, empty
        #expect(tables.first { $0.column("q_value") != nil }?.rowCount == 0)
        tables = []
        _ = s.run(Source(name: "test", text: "bank | why-not not (y = \"no\") by job, marital, education, poutcome")) {
            for o in $0.presented { if case .table(let t, _) = o { tables.append(t) } }
        }
        // the distinct findings lead with it
        let first = try #require(tables.first { $0.column("adds") != nil })
        #expect(first.column("pattern")?[0] == .string("poutcome = \"success\""))
        #expect((first.column("risk_ratio")?[0].doubleValue ?? 0) > 5)
    }
}
