import Foundation
import Synchronization
import NKEngine
@testable import NKSources
import NKTestSupport
import Testing

/// DuckDB through its `duckdb` command: reading, errors at the place, files as views, Ctrl-C,
/// and the mistakes a user makes with it.
@Suite(.enabled(if: Engines.duckdbRuns, Comment(rawValue: Engines.duckdbSkip)))
struct DuckDBProcessTests {
    static func open(_ statements: String = "CREATE TABLE t AS SELECT 1 AS a, 'x' AS b;") throws -> DuckDBDatabase {
        try DuckDBDatabase(path: try Engines.duckdbFile(statements), shown: "t.duckdb")
    }

    @Test func textSurvivesEveryCharacterAndTypesAreNoted() throws {
        let db = try Self.open()
        let read = try db.read(query: "SELECT 'tab\there' AS t, 'new\nline \"quoted\" \\\\ back ' || chr(8364) AS u, NULL::INTEGER AS n, "
                               + "12345678901234567890::HUGEINT AS h, [1, 2] AS l, DATE '2024-02-29' AS d, TIMESTAMP '2024-01-02 03:04:05.5' AS ts",
                               context: ExecutionContext())
        let t = read.table
        #expect(t.columns.map(\.type) == [.string, .string, .integer, .integer, .string, .date, .timestamp])
        #expect(t.row(0)[0] == .string("tab\there"))
        #expect(t.row(0)[1] == .string("new\nline \"quoted\" \\\\ back €"))
        #expect(t.row(0)[2] == .null && t.row(0)[3] == .null)
        #expect(t.row(0)[4] == .string("[1, 2]"))
        #expect(t.row(0)[5].description == "2024-02-29")
        #expect(t.row(0)[6].description == "2024-01-02 03:04:05.5")
        #expect(read.notes.contains { $0.contains("h is HUGEINT") })
        #expect(read.warnings == ["1 values nk cannot represent were read as null"])
    }

    @Test func anErrorSaysWhereDuckDBPoints() throws {
        let db = try Self.open()
        let error = #expect(throws: EngineError.self) { try db.read(query: "SELECT nope FROM t", context: ExecutionContext()) }
        #expect(error?.message.hasPrefix("DuckDB: Binder Error") == true)
        #expect(error?.hint?.contains("LINE 1:") == true && error?.hint?.contains("^") == true)
        // an unclosed quote would swallow the end of the statement: refused before it is sent
        let unclosed = #expect(throws: EngineError.self) { try db.read(query: "SELECT 'abc", context: ExecutionContext()) }
        #expect(unclosed?.message.contains("unclosed text literal") == true)
        // the session goes on
        #expect(try db.read(query: "SELECT a FROM t", context: ExecutionContext()).table.rowCount == 1)
    }

    @Test func ctrlCInterruptsTheQueryAndTheSessionGoesOn() throws {
        let db = try Self.open()
        let (error, seconds) = Engines.interrupted(db, query: "SELECT count(*) AS n FROM range(100000000000) a", after: 0.3)
        #expect((error as? EngineError)?.category == .cancelled, "\(String(describing: error))")
        #expect(seconds < 10, "the query was not interrupted")
        #expect(try db.read(query: "SELECT 1 AS one", context: ExecutionContext()).table.rowCount == 1)
    }

    @Test func aKilledProgramIsAnErrorAndTheNextStatementStartsItAgain() throws {
        let db = try Self.open()
        let first = db.engine.pid
        let killer = Killer(first, after: 0.3)
        let error = #expect(throws: EngineError.self) {
            try db.read(query: "SELECT count(*) AS n FROM range(100000000000) a", context: ExecutionContext())
        }
        let afterKill = try #require(killer.secondsSinceKill, "the read ended before the program was killed")
        #expect(afterKill < 1, "the error came \(afterKill) s after the kill")
        #expect(error?.category == .io && error?.message.contains("ended unexpectedly") == true, "\(String(describing: error))")
        #expect(error?.hint == "nothing was defined; the next statement starts it again")
        #expect(try db.read(query: "SELECT a FROM t", context: ExecutionContext()).table.rowCount == 1)
        // killed between statements: the next one notices and starts it first
        let second = db.engine.pid
        #expect(second != first)
        kill(-second, SIGKILL)
        Thread.sleep(forTimeInterval: 0.2)
        #expect(try db.read(query: "SELECT b FROM t", context: ExecutionContext()).table.row(0) == [.string("x")])
        #expect(db.engine.pid != second)
    }

    @Test func aFolderOfFilesBecomesViews() throws {
        let folder = try TestPaths.temporaryDirectory().appendingPathComponent("files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "id,name\n1,Anna\n2,Bernd\n".write(to: folder.appendingPathComponent("people.csv"), atomically: true, encoding: .utf8)
        try "not data".write(to: folder.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let db = try DuckDBDatabase(path: ":memory:", shown: ":memory:", files: folder.path)
        #expect(try db.tableNames() == ["people"])
        #expect(try db.describe("people").rows == 2)
        #expect(try db.read("people", columns: ["name"], context: ExecutionContext()).table.row(1) == [.string("Bernd")])
    }

    @Test func aMissingFileOrProgramIsAClearError() throws {
        let missing = #expect(throws: EngineError.self) { try DuckDBDatabase(path: "/nonexistent/x.duckdb", shown: "x.duckdb") }
        #expect(missing?.message == "x.duckdb does not exist")
        let program = #expect(throws: EngineError.self) { try DuckDBDatabase(path: ":memory:", shown: ":memory:", program: "/nonexistent/duckdb") }
        #expect(program?.message == "cannot start /nonexistent/duckdb: no such program on the PATH")
        #expect(program?.hint?.contains("pip install duckdb-cli") == true)
    }
}

/// A Spark session whose JVM is killed while a job runs: a clear error at once, and the next
/// statement starts a new session (a JVM start, about ten seconds).
@Suite(.enabled(if: Engines.sparkRuns, Comment(rawValue: Engines.sparkSkip)))
struct SparkFaultTests {
    @Test func aKilledJVMIsAnErrorAndTheNextStatementStartsANewSession() throws {
        let spark = try SparkDatabase(master: "local[1]")
        defer { spark.close() }
        let first = spark.engine.pid
        let killer = Killer(first, after: 2)
        let error = #expect(throws: EngineError.self) {
            try spark.read(query: "SELECT sum(a.id * b.id) AS s FROM range(100000000) a CROSS JOIN range(1000) b", context: ExecutionContext())
        }
        // the job ran until the kill, and the error came right after it
        let afterKill = try #require(killer.secondsSinceKill, "the read ended before the JVM was killed")
        #expect(afterKill < 1.2, "the error came \(afterKill) s after the kill")
        #expect(error?.category == .io && error?.message.contains("ended unexpectedly") == true, "\(String(describing: error))")
        #expect(try spark.read(query: "SELECT 41 + 1 AS answer", context: ExecutionContext()).table.row(0) == [.integer(42)])
        #expect(spark.engine.pid != first)
    }

    /// A JVM given 512 MB (Spark's least) collects a column of 300 million numbers into one array.
    @Test func runningOutOfMemoryIsAnErrorAndTheNextStatementStartsANewSession() throws {
        let spark = try SparkDatabase(master: "local[1]", files: nil, program: nil, settings: ["spark.driver.memory=512m"])
        defer { spark.close() }
        let first = spark.engine.pid
        let error = #expect(throws: EngineError.self) {
            try spark.read(query: "SELECT size(collect_list(id)) AS n FROM range(300000000)", context: ExecutionContext())
        }
        #expect(error?.category == .io && error?.message.contains("ran out of memory") == true, "\(String(describing: error))")
        #expect(error?.message.contains("java.lang.OutOfMemoryError") == true)
        #expect(error?.hint?.contains("SPARK_DRIVER_MEMORY") == true)
        #expect(try spark.read(query: "SELECT 41 + 1 AS answer", context: ExecutionContext()).table.row(0) == [.integer(42)])
        #expect(spark.engine.pid != first)
    }
}

/// What nk says when an engine's program ends in the middle of a statement.
struct EngineEndingTests {
    @Test func aJavaOutOfMemoryIsNamedAmongTheFramesOfItsStack() {
        let said = """
            26/12/01 03:10:00 ERROR Executor: Exception in task 0.0 in stage 0.0 (TID 0)
            java.lang.OutOfMemoryError: Java heap space
            \tat java.base/java.util.Arrays.copyOf(Arrays.java:3512)
            \tat scala.collection.mutable.ArrayBuffer.ensureSize(ArrayBuffer.scala:67)
            26/12/01 03:10:00 ERROR SparkUncaughtExceptionHandler: Uncaught exception in thread Thread[Executor task launch worker,5,main]
            java.lang.OutOfMemoryError: Java heap space
            \tat java.base/java.util.Arrays.copyOf(Arrays.java:3512)

            """
        let ending = EngineProcess.ending("/usr/bin/spark-sql", said)
        #expect(ending.message == "/usr/bin/spark-sql ran out of memory and ended (java.lang.OutOfMemoryError: Java heap space)")
        #expect(ending.hint == "nothing was defined; the next statement starts it again; give it more memory (for Spark: "
                + "SPARK_DRIVER_MEMORY=4g in the environment nk starts in, or spark.driver.memory in spark-defaults.conf) or let it work on less data")
    }

    /// spark-sql out of memory writes some 25 KB to standard error after the first line that
    /// says so (the stage's failure, then the main thread's stack as the JVM shuts down): the
    /// reason is found however far back it stands.
    @Test func theReasonIsFoundBeforeAnyLengthOfFramesAfterIt() throws {
        let script = "read line; echo 'java.lang.OutOfMemoryError: Java heap space' >&2; "
            + "i=0; while [ $i -lt 2000 ]; do echo '\tat org.apache.spark.rdd.RDD.iterator(RDD.scala:338)' >&2; i=$((i+1)); done; "
            + "echo 'Caused by: java.lang.IllegalStateException: Shutdown in progress' >&2; exit 52"
        let engine = try EngineProcess(program: "/bin/sh", arguments: ["-c", script], installHint: "")
        defer { engine.stop() }
        let error = #expect(throws: EngineError.self) {
            try engine.run("SELECT 1", marker: { ("SELECT '\($0)';", $0) }, context: ExecutionContext()) { _ in true }
        }
        #expect(error?.message == "/bin/sh ran out of memory and ended (java.lang.OutOfMemoryError: Java heap space)")
        #expect(error?.hint?.contains("SPARK_DRIVER_MEMORY") == true)
    }

    /// A program that SIGINT ends (spark-sql's JVM before its statement has begun): the
    /// statement was cancelled, as the user asked, not an engine that failed.
    @Test func endedByTheInterruptIsCancelled() throws {
        let engine = try EngineProcess(program: "/bin/sh", arguments: ["-c", "read line; echo 'still starting' >&2; exec sleep 30"], installHint: "")
        defer { engine.stop() }
        let flag = CancellationFlag()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { flag.cancel() }
        let start = Date()
        let outcome = try engine.run("SELECT 1", marker: { ("SELECT '\($0)';", $0) }, context: ExecutionContext(cancellation: flag)) { _ in true }
        #expect(outcome.cancelled)
        #expect(Date().timeIntervalSince(start) < 5)
        #expect(!engine.isRunning)
    }

    @Test func anyOtherEndGivesTheLastLinesItWrote() {
        #expect(EngineProcess.ending("duckdb", "one\n\ntwo\nthree\nfour\n").message == "duckdb ended unexpectedly: two three four")
        #expect(EngineProcess.ending("duckdb", "") == ("duckdb ended unexpectedly", "nothing was defined; the next statement starts it again"))
        let java = """
            Exception in thread "main" java.lang.IllegalArgumentException: System memory 259522560 must be at least 471859200.
            \tat org.apache.spark.memory.UnifiedMemoryManager$.getMaxMemory(UnifiedMemoryManager.scala:248)
            \t... 12 more
            \tat org.apache.spark.deploy.SparkSubmit.main(SparkSubmit.scala)
            """
        #expect(EngineProcess.ending("spark-sql", java).message
                == "spark-sql ended unexpectedly: Exception in thread \"main\" java.lang.IllegalArgumentException: System memory 259522560 must be at least 471859200.")
    }
}

/// What nk says about Spark without a Spark to run: a missing program, and an error picked
/// out of what spark-sql writes to standard error among its log lines.
struct SparkMessageTests {
    @Test func aMissingSparkNamesTheProgramAndTheInstall() {
        let error = #expect(throws: EngineError.self) { try SparkDatabase(master: "local[1]", program: "/nonexistent/spark-sql") }
        #expect(error?.message == "cannot start /nonexistent/spark-sql: no such program on the PATH")
        #expect(error?.hint?.contains("pip install pyspark") == true)
    }

    @Test func theErrorIsFoundAmongLogLinesWithTheLineItPointsAt() throws {
        let said = """
            26/11/30 10:39:59 WARN Utils: the pipeline of tasks is slow
            26/11/30 10:40:01 ERROR Executor: Exception in task 1.0 in stage 6.0 (TID 7)
            \tat org.apache.spark.Something(Something.scala:12)
            [UNRESOLVED_COLUMN.WITHOUT_SUGGESTION] A column `nope` cannot be resolved. SQLSTATE: 42703; line 2 pos 7;
            'Project ['nope]
            Time taken: 0.1 seconds
            """
        let error = try #require(SparkDatabase.error(in: said, sql: "SELECT 1\nSELECT nope\nFROM t"))
        #expect(error.message == "Spark: [UNRESOLVED_COLUMN.WITHOUT_SUGGESTION] A column `nope` cannot be resolved.")
        #expect(error.hint == "where Spark points:\nLINE 2: SELECT nope\n" + String(repeating: " ", count: 15) + "^")
        #expect(SparkDatabase.error(in: "26/11/30 10:39:59 WARN Utils: slow\nTime taken: 0.2 seconds\n", sql: "SELECT 1") == nil)
    }
}

/// Kills a process group after `delay` seconds (or does another stopping `action`), and tells
/// how long ago it did: a test times the error from the kill itself, since on a loaded machine
/// the timer can fire late.
final class Killer: Sendable {
    private let killedAt = Atomic<UInt64>(0)
    private let done = DispatchSemaphore(value: 0)

    convenience init(_ group: pid_t, after delay: Double) {
        self.init(after: delay) { kill(-group, SIGKILL) }
    }

    init(after delay: Double, _ action: @escaping @Sendable () -> Void) {
        DispatchQueue.global().asyncAfter(deadline: .now() + delay) { [self] in
            killedAt.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed)
            action()
            done.signal()
        }
    }

    /// Seconds since the kill was sent; nil while it has not been.
    var secondsSinceKill: Double? {
        let at = killedAt.load(ordering: .relaxed)
        return at == 0 ? nil : Double(DispatchTime.now().uptimeNanoseconds - at) / 1e9
    }

    /// Waits until the action has returned.
    func waitUntilDone() { done.wait() }
}
