import Foundation
import NKShell
import NKTestSupport
import Testing

/// `Tests/Corpus/postgres/postgres.nk` against the test cluster: every database statement and
/// its mistakes, whole output compared with `postgres.out` (the socket folder written as
/// `${PGSOCKET}` in both). Fails under CI when the server cannot be had; skips elsewhere.
@Suite(.serialized, .enabled(if: PostgresServer.runs, Comment(rawValue: PostgresServer.skipReason)))
struct PostgresScriptTests {
    @Test func golden() throws {
        let server = PostgresServer.shared
        let socket = try #require(server.socket, Comment(rawValue: PostgresServer.skipReason))
        try server.sql("drop database if exists golden", database: "postgres")
        try server.sql("create database golden", database: "postgres")
        try server.sql("""
            create table customers (id int, name text, status text, industry text, revenue numeric(10,2), since date, vip boolean, meta jsonb);
            insert into customers values
              (1, 'Anna', 'lost', 'retail', 1200.50, '2021-03-04', true, '{"source": "fair"}'),
              (2, 'Bernd', 'customer', 'retail', 300, '2022-01-10', false, null),
              (3, 'Carla', 'lost', 'it', null, '2020-12-01', false, null),
              (4, 'Dora', 'prospect', 'it', 50.25, '2023-05-06', null, null),
              (5, 'Emil', 'lost', 'health', 980, '2019-07-30', true, null),
              (6, 'Frieda', 'customer', 'health', 10, '2024-02-29', false, null);
            analyze customers;
            """, database: "golden")
        // every statement the server runs goes to its log from here on
        try server.sql("alter system set log_statement = 'all'", database: "postgres")
        try server.sql("select pg_reload_conf()", database: "postgres")
        let logStart = (try? Data(contentsOf: URL(fileURLWithPath: server.logFile!)))?.count ?? 0
        let folder = TestPaths.corpus("postgres")
        let text = try String(contentsOf: folder.appendingPathComponent("postgres.nk"), encoding: .utf8)
        let script = try TestPaths.temporaryDirectory().appendingPathComponent("postgres.nk")
        try text.replacingOccurrences(of: "${PGSOCKET}", with: socket).write(to: script, atomically: true, encoding: .utf8)
        var stdout = "", stderr = ""
        let status = NKCommandLine.run(["--keep-going", script.path], output: { stdout += $0 }, errors: { stderr += $0 },
                                       standardInput: { nil }, environment: [:], terminal: false)
        let actual = (stdout + "--- stderr\n" + stderr + "--- status \(status)\n")
            .replacingOccurrences(of: script.path, with: "postgres.nk").replacingOccurrences(of: socket, with: "${PGSOCKET}")
        let expected = folder.appendingPathComponent("postgres.out")
        if ProcessInfo.processInfo.environment["NK_UPDATE_GOLDEN"] != nil {
            try actual.write(to: expected, atomically: true, encoding: .utf8)
        }
        #expect(actual == (try String(contentsOf: expected, encoding: .utf8)))
        #expect(!actual.contains("wrong-secret"))
        // with pushdown on, the grouping ran in the server: a COPY of a GROUP BY, no COPY of the rows
        let log = String(decoding: try Data(contentsOf: URL(fileURLWithPath: server.logFile!)).dropFirst(logStart), as: UTF8.self)
        // (a statement goes on over lines of the log until the next entry)
        let copies = log.components(separatedBy: "statement: ").filter { $0.hasPrefix("COPY") }
        #expect(copies.contains { $0.contains("GROUP BY 1") && $0.contains("WHERE (\"since\" >= DATE '2020-01-01')") })
        #expect(copies.contains { $0.contains("CAST(count(*) AS BIGINT) AS \"count\"") && $0.contains("WHERE \"vip\"") } == false, "explain ran nothing")
        #expect(copies.filter { $0.contains("GROUP BY 1") }.count == 1)
        // why-not sent grouped queries and read no rows: each COPY it sent counts
        let whyNot = copies.filter { $0.contains("nk_t") }
        #expect(whyNot.contains { $0.contains("GROUP BY GROUPING SETS") })
        for statement in whyNot {
            #expect(["count(*)", "GROUP BY", "LIMIT", "row_number()"].contains { statement.contains($0) }, "\(statement)")
        }
        // why-not A vs B counted both groups as one input inside the server
        #expect(whyNot.contains { $0.contains("UNION ALL") && $0.contains("GROUP BY GROUPING SETS") })
        // the order-log verbs sent only grouped counts: per customer, per cohort and period, per key
        let orderLog = copies.filter { $0.contains("AS nk_o") }
        #expect(orderLog.count == 6, "\(orderLog)")   // lifecycle and RFM with stages after them are one statement each
        // compare sent counts per group and value, and per group aggregates and rank sums
        let compared = copies.filter { $0.contains("nk_g") }
        #expect(compared.contains { $0.contains("UNION ALL") } && compared.contains { $0.contains("GROUPING SETS") })
        for statement in compared {
            #expect(statement.contains("GROUP BY") || statement.contains("sum(CASE WHEN"), "\(statement)")
        }
        for statement in orderLog {
            #expect(statement.contains("GROUP BY") || statement.contains("sum(CASE WHEN"), "\(statement)")
        }
    }
}
