import Foundation
import NKEngine
@testable import NKLanguage
import NKSources
import NKTestSupport
import Testing

/// The SQL nk writes for PostgreSQL, run on a real server, gives what the pipeline gives in
/// memory: the same columns and types, the same rows (in the same order where the pipeline
/// sorts by a unique key).
@Suite(.serialized, .enabled(if: PostgresServer.runs, Comment(rawValue: PostgresServer.skipReason)))
struct SQLEquivalenceTests {
    static let pipelines = [
        "people | filter region = \"Nord\" and employees >= 100 | select name, employees",
        "people | derive per_head = revenue / employees, next = since + 12 months, back = since - 2 years",
        "people | filter name != \"Anna Müller\" or since between 2019-01-01 and 2020-12-31 | count",
        "people | sort name | head 3",
        "people | sort revenue desc | head 10 | filter nps > 0",
        "people | derive y = year(since), m = month(since), n = length(name), v = case when active then 1 else 0 end | select id, y, m, n, v",
        "people | filter revenue is null or nps % 2 = 0 | derive days = since - 2019-01-01 | select id, days, nps",
        "people | derive later = since + employees, earlier = since - nps | select id, later, earlier",
        "people | filter region in (\"Süd\", \"West\") and not active | select id, lower(name) as l, upper(region) as u, abs(nps) as a, coalesce(revenue, 0.5) as r",
        "people | segment by region",
        "people | segment by region, active agg count(), count(revenue), sum(employees), avg(nps), min(name), max(since), share(revenue), median(nps)",
        "people | segment by region agg sum(revenue) / count() as per_person, quantile(employees, 0.25) as q | filter per_person > 0",
        "people | segment agg count(), sum(revenue), share()",
        "people | filter employees > 10 | segment by year(since) as y | sort y",
        "people | join (people | select id, region, nps) on id | select id, name, region_right, nps_right",
        "people | join (people | filter nps > 0 | select id, revenue as r) on id left",
        "people | derive a = floor(revenue), b = ceil(revenue / 7), c = floor(nps), d = sqrt(nps), e = ln(employees - 12), q = quarter(since) | select id, a, b, c, d, e, q",
        "people | filter contains(name, \"e\") or starts_with(region, \"N\") or ends_with(name, \"nge\") | select id, name",
        "people | derive d = days_between(since, today()), e = days_between(2020-01-01, since) | select id, d, e",
        "people | derive t = timestamp(since) + 90 minutes | derive w = weekday(since), doy = day_of_year(since), h = hour(t), mi = minute(t), sec = second(t), back = date(t), y = year(t), later = t + 13 months - 3 days | select id, w, doy, h, mi, sec, back, y, later",
        "people | derive label = name || \" (\" || region || \")\", joined = concat(region, \"-\", name), fixed = replace(name, \"e\", \"E\") | select id, label, joined, fixed",
        "people | derive a = round(revenue), b = round(revenue / 7, 2), c = round(nps), d = round(revenue, -2), t = trim(\"  \" || name || \"\\t\"), v = trim(\" v\" || region || \"v \")"
            + " | select id, a, b, c, d, t, v",
        "people | distinct region",
        // nulls nk folds an expression to keep nk's types, and a bare null takes its neighbours'
        "people | derive a = null + 1, b = null * null, c = -null, d = coalesce(region, null + 1), e = null, f = null / 2, g = coalesce(null, nps)"
            + " | select id, a, b, c, d, e, f, g",
        // days added in front of a date; a function of a bare null is a null as a whole
        "people | derive later = employees + since, a = length(abs(null)), b = upper(round(null)), c = abs(null) + 1 | select id, later, a, b, c",
        "people | sort region | distinct region",
        "people | distinct region | sort region",
        "people | derive big = employees > 100 | distinct region, big | count",
    ]

    static func load() throws -> (Session, PostgresDatabase) {
        let session = Session()
        try session.load(TestPaths.corpus("nk").appendingPathComponent("data/people.csv").path, as: "people")
        let server = PostgresServer.shared
        try server.sql("drop database if exists sqlcheck", database: "postgres")
        try server.sql("create database sqlcheck", database: "postgres")
        let types: [DataType: String] = [.integer: "bigint", .float: "double precision", .string: "text", .date: "date",
                                         .boolean: "boolean", .timestamp: "timestamp"]
        let people = session.table("people")!
        let columns = zip(people.names, people.columns).map { "\"\($0)\" \(types[$1.type]!)" }.joined(separator: ", ")
        try server.sql("create table people (\(columns))", database: "sqlcheck")
        try server.sql("\\copy people from '\(TestPaths.corpus("nk").path)/data/people.csv' csv header", database: "sqlcheck")
        return (session, try PostgresDatabase(url: server.url("sqlcheck")))
    }

    /// Rows as text, floats to 12 significant digits.
    static func rows(_ t: Table, sorted: Bool) -> [String] {
        let rows = (0..<t.rowCount).map { r in
            t.row(r).map { v -> String in
                if case .float(let d) = v { return String(format: "%.12g", d) }
                return v.description
            }.joined(separator: "|")
        }
        return sorted ? rows.sorted() : rows
    }

    @Test(arguments: pipelines)
    func postgresGivesWhatMemoryGives(_ pipeline: String) throws {
        let (session, database) = try Self.load()
        let plan = try #require(session.plan(ofPipeline: pipeline))
        let memory = try session.run(plan).table
        let sql = try SQLCompiler(dialect: .postgresql).compile(plan)
        let remote = try database.read(query: sql.text(.postgresql), context: ExecutionContext()).table
        #expect(remote.names == memory.names)
        #expect(remote.columns.map(\.type) == memory.columns.map(\.type), "\(sql.text(.postgresql))")
        // groups of equal size come in no particular order: compared as sets, sizes checked apart
        let ordered = !sql.order.isEmpty && !sql.order.contains { $0.column.hasPrefix("\u{1}") }
        #expect(Self.rows(remote, sorted: !ordered) == Self.rows(memory, sorted: !ordered), "\(sql.text(.postgresql))")
    }

    @Test func analysesInsidePostgresTellWhatMemoryTells() throws {
        let server = PostgresServer.shared
        try server.sql("drop database if exists whynot", database: "postgres")
        try server.sql("create database whynot", database: "postgres")
        let types: [DataType: String] = [.integer: "bigint", .float: "double precision", .string: "text", .date: "date",
                                         .boolean: "boolean", .timestamp: "timestamp"]
        for d in AnalysesInEngines.data {
            try server.sql("create table \(d.name) (\(try AnalysesInEngines.columns(d, types)))", database: "whynot")
            try server.sql("\\copy \(d.name) from '\(d.path)' csv header delimiter '\(d.delimiter)'", database: "whynot")
        }
        try AnalysesInEngines.check(try PostgresDatabase(url: server.url("whynot")))
    }
}
