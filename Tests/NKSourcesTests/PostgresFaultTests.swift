import Foundation
import NKEngine
@testable import NKSources
import NKTestSupport
import Testing

/// Faults of the PostgreSQL server nk talks to, with the real server: each is a clear error
/// within a second, nothing half made, and the next statement on the same attach works.
@Suite(.serialized, .enabled(if: PostgresServer.runs, Comment(rawValue: PostgresServer.skipReason)))
struct PostgresFaultTests {
    static let prepared: Result<Void, Error> = Result {
        guard PostgresServer.shared.socket != nil else { throw EngineError(.io, PostgresServer.skipReason) }
        try PostgresServer.shared.sql("""
            drop role if exists hasty; create role hasty login; alter role hasty set statement_timeout = '300ms';
            drop role if exists cramped; create role cramped login;
            alter role cramped set temp_file_limit = '1MB'; alter role cramped set work_mem = '64kB';
            drop table if exists faults; create table faults as select g as id from generate_series(1, 1000) g;
            grant select on faults to hasty; grant select on faults to cramped;
            """)
    }

    static func open(user: String = "nk", application: String) throws -> PostgresDatabase {
        _ = try prepared.get()
        let db = try PostgresDatabase(url: PostgresServer.shared.url(user: user))
        // a name of its own, so that terminating it cannot reach another test's connection
        _ = try db.read(query: "select set_config('application_name', '\(application)', false) as name", context: ExecutionContext())
        return db
    }

    /// Runs `body`, timing it.
    static func timed<T>(_ body: () throws -> T) -> (Result<T, Error>, Double) {
        let start = Date()
        let result = Result { try body() }
        return (result, Date().timeIntervalSince(start))
    }

    @Test func aDroppedConnectionIsAnErrorAndTheNextStatementConnectsAgain() throws {
        let db = try Self.open(application: "nk-fault-dropped")
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) {
            try? PostgresServer.shared.sql("select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'nk-fault-dropped'")
        }
        let (result, seconds) = Self.timed { try db.read(query: "select g, pg_sleep(0.01) from generate_series(1, 1000) g", context: ExecutionContext()) }
        let error = try #require(result.failure as? EngineError)
        #expect(error.category == .io)
        #expect(error.message.contains("connection to PostgreSQL") && error.message.contains("lost"))
        #expect(error.hint?.contains("the next statement connects again") == true)
        // the query runs 10 s unless stopped: the error must come long before (the bound leaves
        // room for a busy machine, where starting psql to terminate the backend took 1.4 s)
        #expect(seconds < 5, "the error came after \(seconds) s")
        // the same attach, the next statement: connected again
        #expect(try db.read("faults", columns: nil, context: ExecutionContext()).table.rowCount == 1000)
    }

    @Test func aConnectionDroppedWhileIdleReconnectsOnTheNextStatement() throws {
        let db = try Self.open(application: "nk-fault-idle")
        try PostgresServer.shared.sql("select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'nk-fault-idle'")
        Thread.sleep(forTimeInterval: 0.2)
        let (result, seconds) = Self.timed { try db.read(query: "select count(*) as n from faults", context: ExecutionContext()) }
        #expect(try result.get().table.columns[0].values == [.integer(1000)])
        #expect(seconds < 1)
    }

    /// A sort that spills past the server's room for temporary files fails as on a full disk
    /// (the role may write 1 MB of them): PostgreSQL's message, at once, and the session goes on.
    @Test func runningOutOfTemporarySpaceIsAClearErrorAndTheSessionGoesOn() throws {
        let db = try Self.open(user: "cramped", application: "nk-fault-temporary")
        let (result, seconds) = Self.timed {
            try db.read(query: "select g from generate_series(1, 2000000) g order by md5(g::text)", context: ExecutionContext())
        }
        let error = try #require(result.failure as? EngineError)
        #expect(error.message.hasPrefix("PostgreSQL: ") && error.message.contains("temp_file_limit"), "\(error.message)")
        // soon, not after a wait: 0.15–0.18 s alone, 1.15 s once with the whole suite running
        // beside Spark and DuckDB, so the bound leaves room for a loaded machine
        #expect(seconds < 5, "the error came after \(seconds) s")
        #expect(try db.read("faults", columns: ["id"], context: ExecutionContext()).table.rowCount == 1000)
    }

    @Test func aStatementTimeoutIsAClearErrorAndTheSessionGoesOn() throws {
        let db = try Self.open(user: "hasty", application: "nk-fault-timeout")
        let (result, seconds) = Self.timed { try db.read(query: "select pg_sleep(5) as slept", context: ExecutionContext()) }
        let error = try #require(result.failure as? EngineError)
        #expect(error.message.contains("statement timeout"), "\(error.message)")
        // soon, not after a wait: 0.15–0.18 s alone, 1.15 s once with the whole suite running
        // beside Spark and DuckDB, so the bound leaves room for a loaded machine
        #expect(seconds < 5, "the error came after \(seconds) s")
        #expect(try db.read("faults", columns: ["id"], context: ExecutionContext()).table.rowCount == 1000)
    }
}

/// The server's own faults, on a cluster of their own: the tests stop it.
@Suite(.serialized, .enabled(if: PostgresServer.runs, Comment(rawValue: PostgresServer.skipReason)))
struct PostgresServerFaultTests {
    @Test func aStoppedServerIsAnErrorAndTheAttachConnectsAgainOnceItRuns() throws {
        let server = PostgresServer.separate("stopped")
        _ = try #require(server.socket, "no second cluster: \(server.problem ?? "")")
        try server.sql("create table faults as select g as id from generate_series(1, 1000) g")
        let db = try PostgresDatabase(url: server.url())
        // stopped at once while a read runs, as a crash or an immediate shutdown does; the
        // error is timed from the signal (a timer on a loaded machine can fire late)
        let stopper = Killer(after: 0.3) { try? server.quit() }
        let result = Result { try db.read(query: "select g, pg_sleep(0.01) from generate_series(1, 1000) g", context: ExecutionContext()) }
        let afterStop = try #require(stopper.secondsSinceKill, "the read ended before the server was stopped")
        let error = try #require(result.failure as? EngineError)
        #expect(error.category == .io)
        #expect(error.message.contains("was lost"), "\(error.message)")
        #expect(afterStop < 1, "the error came \(afterStop) s after the server was stopped")
        stopper.waitUntilDone()
        // while it is down: at once, and saying so
        let (down, downSeconds) = PostgresFaultTests.timed { try db.read("faults", columns: nil, context: ExecutionContext()) }
        let downError = try #require(down.failure as? EngineError)
        #expect(downError.message.contains("connecting again failed"), "\(downError.message)")
        #expect(downError.hint?.contains("is the server running?") == true)
        #expect(downSeconds < 1, "the error came after \(downSeconds) s")
        // running again: the same attach connects on the next statement
        try server.start()
        #expect(try db.read("faults", columns: nil, context: ExecutionContext()).table.rowCount == 1000)
        try server.quit()
    }
}

extension Result {
    var failure: Failure? { if case .failure(let e) = self { return e } else { return nil } }
}
