import CSQLite
import Foundation
import NKEngine

/// A SQLite file, opened read-only. Column types follow the declared type's affinity, then
/// the values: SQLite lets any cell hold any type, so a column is read as the narrowest nk type
/// all its values fit, the way a CSV column is (integers stored as text read as integers,
/// ISO dates stored as text read as dates).
public final class SQLiteDatabase: Database {
    public let kind = "SQLite"
    public var dialect: String? { nil }
    public let location: String
    public var name: String
    private var db: OpaquePointer?

    /// The 16 bytes every SQLite database file starts with.
    static let magic = Array("SQLite format 3\0".utf8)

    public init(path: String, shown: String) throws {
        location = shown
        name = shown
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw EngineError(.missingFile, "\(shown): no such file",
                              hint: "attach names a SQLite file (.sqlite, .sqlite3, .db) or a postgresql:// address")
        }
        guard FileKind.of(path) == .sqlite else {
            throw EngineError(.invalidInput, "\(shown) is not a SQLite database (\(FileKind.describe(path)))",
                              hint: FileKind.hint(path, shown: shown, attaching: true))
        }
        let status = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil)
        guard status == SQLITE_OK else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open it"
            sqlite3_close(db)
            db = nil
            throw EngineError(.io, "\(shown): \(message)", hint: "check that the file is readable")
        }
        // a program writing to the file locks it for a moment: wait up to a second, then say so
        sqlite3_busy_timeout(db, 1000)
    }

    deinit { close() }

    public func close() {
        if let db { sqlite3_close_v2(db) }
        db = nil
    }

    public func tableNames() throws -> [String] {
        let rows = try strings("select name from sqlite_master where type in ('table', 'view') and name not like 'sqlite_%' order by name")
        return rows
    }

    public func columnNames(_ table: String) throws -> [String] {
        try declaredColumns(table).map(\.name)
    }

    public func emptyTable(_ table: String) throws -> Table {
        _ = try declaredColumns(table)
        return try run("select * from \(SQLiteDatabase.quoted(table)) limit 1000", expectedRows: 0, context: ExecutionContext()).table.head(0)
    }

    public func describe(_ table: String) throws -> TableDescription {
        let read = try self.read(table, columns: nil, context: ExecutionContext())
        return TableDescription(schema: read.table.columnSchema, rows: read.table.rowCount, estimated: false, notes: read.notes)
    }

    public func read(_ table: String, columns: [String]?, context: ExecutionContext) throws -> SourceRead {
        let declared = try declaredColumns(table)
        let names = columns ?? declared.map(\.name)
        for name in names where !declared.contains(where: { $0.name == name }) {
            throw EngineError.unknownColumn(name, available: declared.map(\.name))
        }
        let rows = Int(try strings("select count(*) from \(SQLiteDatabase.quoted(table))").first.flatMap { Int($0) } ?? 0)
        try checkMemory(table, rows: rows, columns: names.count, estimated: false, context: context)
        let list = names.isEmpty ? "*" : names.map(SQLiteDatabase.quoted).joined(separator: ", ")
        return try run("select \(list) from \(SQLiteDatabase.quoted(table))", expectedRows: rows, context: context)
    }

    public func read(query: String, context: ExecutionContext) throws -> SourceRead {
        try run(query, expectedRows: 0, context: context)
    }

    // MARK: statements

    /// The columns of a table as declared (name and declared type), or an error naming the
    /// nearest table.
    func declaredColumns(_ table: String) throws -> [(name: String, type: String)] {
        try requireTable(table, among: try tableNames())
        let statement = try prepare("select name, type from pragma_table_info(?1)")
        defer { sqlite3_finalize(statement) }
        sqlite3_bind_text(statement, 1, table, -1, nk_sqlite_transient())
        var out: [(String, String)] = []
        while sqlite3_step(statement) == SQLITE_ROW {
            out.append((SQLiteDatabase.text(statement, 0) ?? "", SQLiteDatabase.text(statement, 1) ?? ""))
        }
        return out
    }

    /// Runs a query and collects its rows into typed columns. Ctrl-C interrupts SQLite itself
    /// (its progress handler asks the flag every 10,000 virtual-machine steps).
    func run(_ sql: String, expectedRows: Int, context: ExecutionContext) throws -> SourceRead {
        let statement = try prepare(sql)
        defer { sqlite3_finalize(statement) }
        let flag = Unmanaged.passUnretained(context.cancellation).toOpaque()
        sqlite3_progress_handler(db, 10_000, { pointer in
            Unmanaged<CancellationFlag>.fromOpaque(pointer!).takeUnretainedValue().isCancelled ? 1 : 0
        }, flag)
        defer { sqlite3_progress_handler(db, 0, nil, nil) }
        let width = Int(sqlite3_column_count(statement))
        var collectors = (0..<width).map { i in
            SQLiteColumn(name: String(cString: sqlite3_column_name(statement, Int32(i))),
                         declared: sqlite3_column_decltype(statement, Int32(i)).map { String(cString: $0) } ?? "", reserve: expectedRows)
        }
        context.cancellation.begin(total: expectedRows)
        var row = 0
        while true {
            let status = sqlite3_step(statement)
            if status == SQLITE_DONE { break }
            guard status == SQLITE_ROW else {
                if status == SQLITE_INTERRUPT || context.cancellation.isCancelled { throw EngineError.cancelled }
                throw error("reading", sql: sql)
            }
            for i in 0..<width { collectors[i].append(statement, Int32(i)) }
            row += 1
            if row & 0x3FFF == 0 {
                try context.cancellation.check()
                context.cancellation.advance(0x4000)
            }
        }
        try context.cancellation.check()
        let finished = collectors.map { ($0.name, $0.finish()) }
        let notes = finished.compactMap(\.1.1)
        let table = try Table.uniquelyNamed(finished.map { ($0.0, $0.1.0) })
        return SourceRead(table: table, notes: notes)
    }

    func prepare(_ sql: String) throws -> OpaquePointer? {
        guard let db else { throw EngineError(.io, "\(location) is closed", hint: "attach it again") }
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK else {
            throw error("in the query", sql: sql)
        }
        guard statement != nil else {
            throw EngineError(.invalidInput, "the query is empty", hint: "write a select, e.g. db.(select * from customers)")
        }
        return statement
    }

    /// SQLite's error, with the query when it is the user's.
    func error(_ doing: String, sql: String) -> EngineError {
        let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "closed"
        let code = db.map { sqlite3_errcode($0) } ?? SQLITE_ERROR
        if code == SQLITE_BUSY || code == SQLITE_LOCKED {
            return EngineError(.io, "\(location) is locked: another program is writing to it", hint: "nothing was read; run the statement again when it has finished writing")
        }
        if code == SQLITE_NOTADB || code == SQLITE_CORRUPT || code == SQLITE_IOERR {
            return EngineError(.invalidInput, "\(location) is damaged: \(message)", hint: "open it with the sqlite3 tool (.recover) or export it again")
        }
        return EngineError(.invalidInput, "SQLite \(doing): \(message)", hint: "the query runs in SQLite, in SQLite's SQL: \(sql)")
    }

    /// The first column of every row of a query, as text.
    func strings(_ sql: String) throws -> [String] {
        let statement = try prepare(sql)
        defer { sqlite3_finalize(statement) }
        var out: [String] = []
        while true {
            let status = sqlite3_step(statement)
            if status == SQLITE_DONE { break }
            guard status == SQLITE_ROW else { throw error("reading", sql: sql) }
            out.append(SQLiteDatabase.text(statement, 0) ?? "")
        }
        return out
    }

    static func text(_ statement: OpaquePointer?, _ i: Int32) -> String? {
        guard let p = sqlite3_column_text(statement, i) else { return nil }
        return String(cString: p)
    }

    /// A name in double quotes, inner quotes doubled.
    static func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
