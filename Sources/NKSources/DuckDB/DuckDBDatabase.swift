import Foundation
import NKEngine

/// A DuckDB database (a `.duckdb` file, or `:memory:` with a folder of files), driven through
/// the `duckdb` command (PyPI's `duckdb-cli`, or `$NK_DUCKDB`) kept running while attached.
/// The file is opened read-only: nk never changes it. Rows come back in DuckDB's `jsonlines`
/// mode; a folder's files become temporary views.
public final class DuckDBDatabase: CommandDatabase {
    public let kind = "DuckDB"
    public let location: String
    public var name: String
    public var dialect: String? { "duckdb" }
    private(set) var engine: EngineProcess
    private let arguments: [String]
    /// The `duckdb` program: `$NK_DUCKDB`, else the first on the PATH.
    private let program: String
    private let files: String?
    /// The views made from a folder's files.
    public private(set) var fileViews: [String] = []

    public init(path: String, shown: String, files: String? = nil, program: String? = nil) throws {
        self.program = program ?? ProcessInfo.processInfo.environment["NK_DUCKDB"] ?? "duckdb"
        let memory = path == ":memory:"
        if !memory {
            var folder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &folder), !folder.boolValue else {
                throw EngineError(.io, "\(shown) \(folder.boolValue ? "is a folder, not a DuckDB file" : "does not exist")",
                                  hint: "attach duckdb \":memory:\" as d with files \"DIR\" works on a folder of CSV and Parquet files")
            }
        }
        location = shown
        name = shown
        arguments = memory ? [":memory:"] : ["-readonly", path]
        self.files = files
        engine = try DuckDBDatabase.start(self.program, arguments)
        do {
            try prepare()
        } catch {
            engine.stop()
            throw error
        }
    }

    /// The program, started (Ctrl-C ends it: it reads its statements from a pipe).
    private static func start(_ program: String, _ arguments: [String]) throws -> EngineProcess {
        try EngineProcess(program: program, arguments: arguments, interruptEnds: true,
                          installHint: "nk runs DuckDB's command-line program: pip install duckdb-cli, or set NK_DUCKDB to its path")
    }

    /// Rows as JSON lines, timestamps in UTC, the folder's files as views.
    private func prepare() throws {
        do {
            try run(".mode jsonlines\nSET TimeZone = 'UTC';", context: ExecutionContext(cancellation: CancellationFlag())) { _ in true }
        } catch let e as EngineError where e.message.contains("TimeZone") {
            // without the ICU extension DuckDB keeps timestamps with time zone in UTC anyway
        } catch let e as EngineError {
            throw EngineError(.io, "cannot open \(location) with \(engine.command): \(e.message)", hint: e.hint ?? "")
        }
        if let files { fileViews = try registerFiles(files) }
    }

    deinit { engine.stop() }

    /// The program started again on the same database, with the folder's files as views.
    private func restart() throws {
        engine = try DuckDBDatabase.start(program, arguments)
        try prepare()
    }

    /// Runs statements that return no rows (creating views or tables), in the engine's SQL.
    public func execute(_ sql: String) throws { try run(sql, context: ExecutionContext(cancellation: CancellationFlag())) { _ in true } }

    public func tableNames() throws -> [String] {
        let rows = try values("""
            SELECT DISTINCT CASE WHEN table_schema = 'main' THEN table_name ELSE table_schema || '.' || table_name END AS name
            FROM information_schema.tables WHERE table_schema NOT IN ('information_schema', 'pg_catalog') ORDER BY 1;
            """)
        return rows.compactMap { $0.first ?? nil }
    }

    func columns(of query: String) throws -> [(name: String, type: String)] {
        try values("DESCRIBE \(query);").map { ($0[0] ?? "", $0.count > 1 ? $0[1] ?? "" : "") }
    }

    func rowsStatement(_ query: String, _ columns: [(name: String, type: String)]) -> String {
        // nested values (lists, structs, maps) come as their text
        let nested = columns.contains { Self.nkType($0.type, column: $0.name).0 == .string && !Self.isText($0.type) }
        guard nested else { return query + ";" }
        let list = columns.map { c in Self.nkType(c.type, column: c.name).0 == .string && !Self.isText(c.type) ? "CAST(\(quoted(c.name)) AS VARCHAR) AS \(quoted(c.name))" : quoted(c.name) }
        return "SELECT \(list.joined(separator: ", ")) FROM (\(query)) AS nk_q;"
    }

    static func isText(_ type: String) -> Bool { type == "VARCHAR" || type.hasPrefix("VARCHAR(") }

    func run(_ sql: String, context: ExecutionContext, line: (UnsafeBufferPointer<UInt8>) throws -> Bool) throws {
        // the program ended after the last statement (killed, crashed): started again, as it was
        if !engine.isRunning { try restart() }
        let outcome = try engine.run(sql, marker: { ("SELECT '\($0)' AS nk_end;", "{\"nk_end\":\"\($0)\"}") }, context: context, line: line)
        // interrupted, the program ended: the next statement finds it started again
        if !engine.running { try restart() }
        if outcome.cancelled { throw EngineError.cancelled }
        let said = outcome.errors.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !said.isEmpty else { return }
        // "Catalog Error: …", then "LINE 1: …" and a caret under the place
        let lines = said.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let pointer = lines.firstIndex { $0.hasPrefix("LINE ") }.map { lines[$0...].prefix(2).joined(separator: "\n") }
        throw EngineError(.invalidInput, "DuckDB: \(lines.first ?? said)",
                          hint: pointer.map { "where DuckDB points:\n\($0)" } ?? "the statement was: \(sql)")
    }

    static func nkType(_ engineType: String, column: String) -> (DataType, String?) {
        let t = engineType.uppercased()
        switch t {
        case "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "UINTEGER", "USMALLINT", "UTINYINT", "INT8", "INT4", "INT2":
            return (.integer, nil)
        case "UBIGINT", "HUGEINT", "UHUGEINT":
            return (.integer, "\(column) is \(t): values beyond 64 bits are read as null")
        case "DOUBLE", "FLOAT", "REAL": return (.float, nil)
        case "BOOLEAN": return (.boolean, nil)
        case "DATE": return (.date, nil)
        case "TIMESTAMP", "DATETIME", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS": return (.timestamp, nil)
        case "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ": return (.timestamp, "\(column) is a timestamp with time zone: read in UTC")
        default:
            if t.hasPrefix("DECIMAL") { return decimalAsFloat(t, column: column) }
            if isText(t) { return (.string, nil) }
            return (.string, "\(column) is \(t): read as text")
        }
    }

    func viewStatement(_ view: String, file: String, parquet: Bool) -> String {
        "CREATE OR REPLACE TEMP VIEW \(quoted(view)) AS SELECT * FROM \(parquet ? "read_parquet" : "read_csv_auto")(\(engineText(file, spark: false)));"
    }
}
