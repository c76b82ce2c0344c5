import Foundation
import NKEngine
import NKLanguage
import NKRendering
import NKTestSupport
import Testing

/// nk's `filter`, `segment by` and `join` on the real bank-full.csv give the answers DuckDB
/// gives for the same queries (DuckDB's results were computed once with `pip install duckdb`
/// and are written here).
@Suite struct BankMarketingAgreementTests {
    static func session() throws -> Session? {
        guard let data = TestPaths.realdata else { return nil }
        let s = Session()
        try s.load(data.appendingPathComponent("bank_marketing/bank-full.csv").path, as: "bank")
        return s
    }

    static func query(_ s: Session, _ text: String) throws -> Table {
        var result: Table?
        let failures = s.run(Source(name: "test", text: text)) { for o in $0.presented { if case .table(let t, _) = o { result = t } } }
        if let f = failures.first { throw f }
        return try #require(result)
    }

    @Test(.enabled(if: TestPaths.realdata != nil, "the shared real data is not beside the project"))
    func filterCount() throws {
        let s = try #require(try Self.session())
        // select count(*) from bank where age > 60 and balance < 0
        #expect(try Self.query(s, "bank | filter age > 60 and balance < 0 | count").columns[0][0] == .integer(4))
        // … where education in ('tertiary','secondary') and not (loan = 'yes'): 30416 rows, 12 jobs, 4021 yes
        let t = try Self.query(s, """
            bank | filter education in ("tertiary", "secondary") and not (loan = "yes")
              | segment agg count(), count(distinct job), count(y) as n
            """)
        #expect(t.row(0) == [.integer(30_416), .integer(12), .integer(30_416)])
        #expect(try Self.query(s, "bank | filter education in (\"tertiary\", \"secondary\") and not (loan = \"yes\") and y = \"yes\" | count").columns[0][0] == .integer(4_021))
    }

    @Test(.enabled(if: TestPaths.realdata != nil, "the shared real data is not beside the project"))
    func segmentByJob() throws {
        let s = try #require(try Self.session())
        // select job, count(*), avg(balance), sum(duration), median(age), quantile_cont(balance, 0.9)
        // from bank group by job order by count(*) desc, job
        let expected: [(String, Int64, Double, Int64, Double, Double)] = [
            ("blue-collar", 9732, 1078.8266543362104, 2_558_558, 39, 2938.399999999998),
            ("management", 9458, 1763.6168323112709, 2_402_292, 38, 4683),
            ("technician", 7597, 1252.6320916151112, 1_921_319, 37, 3413.800000000004),
            ("admin.", 5171, 1135.838909301876, 1_276_703, 38, 3068),
            ("services", 4154, 997.0881078478575, 1_077_210, 37, 2762.2000000000016),
            ("retired", 2264, 1984.215106007067, 650_586, 59, 4734.1),
            ("self-employed", 1579, 1647.9708676377454, 423_420, 39, 4335.600000000002),
            ("entrepreneur", 1487, 1521.470073974445, 381_132, 41, 3463),
            ("unemployed", 1303, 1521.7459708365311, 375_972, 40, 3867),
            ("housemaid", 1240, 1392.3951612903227, 304_823, 47, 3787.2000000000016),
            ("student", 938, 1388.0607675906183, 231_364, 26, 3511),
            ("unknown", 288, 1772.357638888889, 68_432, 47, 4428.6),
        ]
        let t = try Self.query(s, "bank | segment by job agg count(), avg(balance), sum(duration), median(age), quantile(balance, 0.9)")
        #expect(t.rowCount == expected.count)
        for (r, e) in expected.enumerated() where r < t.rowCount {
            #expect(t.columns[0][r] == .string(e.0))
            #expect(t.columns[1][r] == .integer(e.1))
            #expect(approximately(t.columns[2][r].doubleValue, e.2))
            #expect(t.columns[3][r] == .integer(e.3))
            #expect(t.columns[4][r].doubleValue == e.4)
            #expect(approximately(t.columns[5][r].doubleValue, e.5))
        }
        // select y, count(*) from bank where poutcome = 'success' group by y order by count(*) desc
        let y = try Self.query(s, "bank | filter poutcome = \"success\" | segment by y")
        #expect(y.columns[0].values == [.string("yes"), .string("no")])
        #expect(y.columns[1].values == [.integer(978), .integer(533)])
        // … where y = 'yes' and contact != 'unknown' group by month order by count(*) desc limit 3
        let months = try Self.query(s, "bank | filter y = \"yes\" and contact != \"unknown\" | segment by month | head 3")
        #expect(months.columns[0].values == ["aug", "may", "jul"].map(Value.string))
        #expect(months.columns[1].values == [683, 664, 616].map(Value.integer))
    }

    @Test(.enabled(if: TestPaths.realdata != nil, "the shared real data is not beside the project"))
    func joinWithASegment() throws {
        let s = try #require(try Self.session())
        // with jobs as (select job, avg(balance) as avg_balance from bank group by job)
        // select count(*) from bank join jobs using (job) where balance > avg_balance
        let t = try Self.query(s, """
            let jobs = bank | segment by job agg avg(balance) as avg_balance
            bank | join jobs on job | filter balance > avg_balance | count
            """)
        #expect(t.columns[0][0] == .integer(11_872))
    }
}
