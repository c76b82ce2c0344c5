import Foundation
import NKEngine
import NKSources

/// The DuckDB and Spark programs the tests drive, found once. Under CI (`CI=true`) the tests
/// that need them always run, and fail when one is missing; elsewhere they are skipped with
/// the reason.
public enum Engines {
    static var underCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// `duckdb` (or `$NK_DUCKDB`) as nk would find it.
    public static let duckdbProgram: String? = Databases.findProgram(ProcessInfo.processInfo.environment["NK_DUCKDB"] ?? "duckdb")
    public static var duckdbRuns: Bool { duckdbProgram != nil || underCI }
    public static let duckdbSkip = "no duckdb command for the tests (pip install duckdb-cli)"

    /// `spark-sql` as nk would find it, with a Java to run it.
    public static let sparkProgram: String? = {
        let env = ProcessInfo.processInfo.environment
        guard Databases.findProgram("java") != nil || env["JAVA_HOME"] != nil else { return nil }
        return Databases.findProgram(env["SPARK_HOME"].map { $0 + "/bin/spark-sql" } ?? "spark-sql")
    }()
    public static var sparkRuns: Bool { sparkProgram != nil || underCI }
    public static let sparkSkip = "no spark-sql with Java for the tests (pip install pyspark; Java 17)"

    /// Runs statements in an attached DuckDB or Spark database (creating tables and views).
    public static func execute(_ database: any Database, _ sql: String) throws {
        if let d = database as? DuckDBDatabase { try d.execute(sql) }
        else if let s = database as? SparkDatabase { try s.execute(sql) }
        else { throw EngineError.internalError("not a DuckDB or Spark database") }
    }

    /// One Spark session for the whole test run (a JVM start costs about ten seconds).
    nonisolated(unsafe) public static let spark: Result<SparkDatabase, Error> = Result { try SparkDatabase(master: "local[2]") }

    /// A fresh DuckDB file in a temporary folder, made with the duckdb command, its path.
    public static func duckdbFile(_ statements: String) throws -> String {
        guard let program = duckdbProgram else { throw EngineError(.io, duckdbSkip) }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nk-duckdb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("test.duckdb").path
        let script = folder.appendingPathComponent("make.sql")
        try statements.write(to: script, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = [path, "-bail", "-f", script.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw EngineError(.io, "duckdb could not make the test database: \(said)")
        }
        return path
    }
}

extension Engines {
    /// Runs `query` on `database` and presses Ctrl-C after `delay` seconds: the error it ended
    /// with (nil when it finished) and how long it ran.
    public static func interrupted(_ database: any Database, query: String, after delay: Double) -> (error: (any Error)?, seconds: Double) {
        let flag = CancellationFlag()
        DispatchQueue.global().asyncAfter(deadline: .now() + delay) { flag.cancel() }
        let start = Date()
        do {
            _ = try database.read(query: query, context: ExecutionContext(cancellation: flag))
            return (nil, Date().timeIntervalSince(start))
        } catch {
            return (error, Date().timeIntervalSince(start))
        }
    }
}
