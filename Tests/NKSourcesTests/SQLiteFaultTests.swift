import Foundation
import NKEngine
import NKSources
import NKTestSupport
import Testing

/// A SQLite file that another program holds or changes while nk has it attached: a clear error
/// soon, nothing half read, and the attach usable once the file is whole again. The files are
/// written and locked by Python's sqlite3 module, another program as far as nk can tell.
@Suite(.enabled(if: TestPaths.python3 != nil || ProcessInfo.processInfo.environment["CI"] == "true", "python3 is missing"))
struct SQLiteFaultTests {
    /// Runs a Python snippet (`path` is the database), waiting when `wait`.
    @discardableResult
    static func python(_ code: String, path: String, wait: Bool = true, output: Pipe? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(TestPaths.python3))
        process.arguments = ["-c", "import sqlite3, sys, time, os\npath = sys.argv[1]\n" + code, path]
        if let output { process.standardOutput = output }
        try process.run()
        if wait { process.waitUntilExit() }
        return process
    }

    static func database() throws -> String {
        let path = try TestPaths.temporaryDirectory().appendingPathComponent("crm.sqlite").path
        try python("""
            c = sqlite3.connect(path)
            c.execute("create table customers (id integer, name text)")
            c.executemany("insert into customers values (?, ?)", [(i, f"name {i}") for i in range(20000)])
            c.commit()
            """, path: path)
        return path
    }

    @Test func aFileLockedByAWriterIsAClearErrorThenReadsAgain() throws {
        let path = try Self.database()
        let db = try SQLiteDatabase(path: path, shown: "crm.sqlite")
        // another program takes the write lock for 2.5 seconds
        let said = Pipe()
        let holder = try Self.python("""
            c = sqlite3.connect(path, isolation_level=None)
            c.execute("begin exclusive")
            print("locked", flush=True)
            time.sleep(2.5)
            c.execute("rollback")
            """, path: path, wait: false, output: said)
        // read once the lock is taken (the line comes after `begin exclusive`)
        let line = String(decoding: said.fileHandleForReading.availableData, as: UTF8.self)
        #expect(line.hasPrefix("locked"))
        let start = Date()
        let error = #expect(throws: EngineError.self) { _ = try db.read("customers", columns: nil, context: ExecutionContext()).table.rowCount }
        #expect(Date().timeIntervalSince(start) < 2)
        #expect(error?.message.contains("is locked: another program is writing to it") == true, "\(String(describing: error))")
        holder.waitUntilExit()
        #expect(try db.read("customers", columns: nil, context: ExecutionContext()).table.rowCount == 20000)
    }

    @Test func aFileTruncatedWhileAttachedIsDamagedNotHalfATable() throws {
        let path = try Self.database()
        let db = try SQLiteDatabase(path: path, shown: "crm.sqlite")
        #expect(try db.read("customers", columns: nil, context: ExecutionContext()).table.rowCount == 20000)
        try Self.python("os.truncate(path, os.path.getsize(path) // 3)", path: path)
        let error = #expect(throws: EngineError.self) { try db.read("customers", columns: nil, context: ExecutionContext()) }
        #expect(error?.message.contains("damaged") == true, "\(String(describing: error))")
    }

    @Test func aFileDeletedWhileAttachedStillReadsWhatWasOpened() throws {
        // the attach holds the file open: deleting its name leaves the data readable
        let path = try Self.database()
        let db = try SQLiteDatabase(path: path, shown: "crm.sqlite")
        try FileManager.default.removeItem(atPath: path)
        #expect(try db.read("customers", columns: ["id"], context: ExecutionContext()).table.rowCount == 20000)
    }
}
