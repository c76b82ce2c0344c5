import Foundation
import NKEngine

/// A database nk reads from: a SQLite file or a PostgreSQL server, attached under a name.
/// Reads run in memory; what a read leaves out or converts is said in its notes.
public protocol Database: AnyObject {
    /// "SQLite" or "PostgreSQL".
    var kind: String { get }
    /// Where it is, for people: a file path, or `host:port/database` (never a password).
    var location: String { get }
    /// The name it is attached as, which messages call it by.
    var name: String { get set }
    /// The SQL dialect pipelines over its tables are sent in (`postgresql`, `duckdb`,
    /// `spark`), or nil when they run in memory (SQLite).
    var dialect: String? { get }
    /// The tables and views, sorted.
    func tableNames() throws -> [String]
    /// The names of a table's columns, without reading it.
    func columnNames(_ table: String) throws -> [String]
    /// The columns of a table as nk types, with its row count (an estimate where the database
    /// only keeps one) and notes on columns read as text.
    func describe(_ table: String) throws -> TableDescription
    /// A table's columns and types with no rows, cheaply (for completion): PostgreSQL's
    /// declared types; SQLite's as its first 1,000 rows type them.
    func emptyTable(_ table: String) throws -> Table
    /// A table's rows, only `columns` (every column when nil), typed as ``describe(_:)`` says.
    func read(_ table: String, columns: [String]?, context: ExecutionContext) throws -> SourceRead
    /// The rows of a query written in the database's own SQL.
    func read(query: String, context: ExecutionContext) throws -> SourceRead
    /// Closes the connection or file; the object is not used afterwards.
    func close()
}

/// A table's columns and size, before reading it.
public struct TableDescription: Sendable {
    public var schema: Schema
    public var rows: Int
    /// Whether `rows` is the database's estimate (PostgreSQL's statistics) rather than a count.
    public var estimated: Bool
    public var notes: [String]

    public init(schema: Schema, rows: Int, estimated: Bool, notes: [String] = []) {
        self.schema = schema
        self.rows = rows
        self.estimated = estimated
        self.notes = notes
    }
}

extension Database {
    /// Throws when the database has no table `table`, naming the nearest or listing them.
    func requireTable(_ table: String, among names: [String]) throws {
        guard !names.contains(table) else { return }
        throw EngineError(.unknownName, "\(name) has no table \(table)",
                          hint: NameSuggestion.nearest(to: table, in: names).map { "did you mean \($0)?" }
                            ?? (names.isEmpty ? "the database has no tables" : "tables: " + names.joined(separator: ", ")))
    }

    /// A schema-qualified table name (`sales.orders`) as SQL, each part quoted.
    static func qualified(_ table: String, _ quote: (String) -> String) -> String {
        table.split(separator: ".", maxSplits: 1).map { quote(String($0)) }.joined(separator: ".")
    }

    /// Refuses a read of `rows` × `columns` values that would not fit the memory limit,
    /// before reading (16 bytes a value: the value, and room for text).
    func checkMemory(_ table: String, rows: Int, columns: Int, estimated: Bool, context: ExecutionContext) throws {
        let bytes = rows.multipliedReportingOverflow(by: max(1, columns) * 16)
        guard bytes.overflow || bytes.partialValue > context.memoryLimit else { return }
        let size = bytes.overflow ? "more than 8 EB" : "about " + ExecutionContext.formatBytes(bytes.partialValue)
        throw EngineError(.resourceLimit, "\(table) has \(estimated ? "about " : "")\(Value.grouped(rows)) rows × \(columns) columns (\(size) in memory), more than the memory limit of \(ExecutionContext.formatBytes(context.memoryLimit))",
                          hint: "read fewer columns (select them in the pipeline) or a part with a query: load \(name).(select … where …) as t")
    }
}

extension Table {
    /// A table of a database's result columns, a repeated name made unique with `_2`
    /// (`id`, `id_2`), as a join in SQL can return.
    static func uniquelyNamed(_ columns: [(String, Column)]) throws -> Table {
        var seen = Set<String>()
        return try Table(columns.map { column in
            var name = column.0
            while seen.contains(name) { name += "_2" }
            seen.insert(name)
            return (name, column.1)
        })
    }
}

/// What a read brought: the table, and what the user should know about it.
public struct SourceRead: Sendable {
    public var table: Table
    /// How columns were read (a numeric as float, a uuid as text): said when loading.
    public var notes: [String]
    /// Values that could not be kept as they were: said whenever the rows are read.
    public var warnings: [String]

    public init(table: Table, notes: [String] = [], warnings: [String] = []) {
        self.table = table
        self.notes = notes
        self.warnings = warnings
    }
}

/// Opening databases by what the user wrote after `attach`.
public enum Databases {
    /// The path of a program as nk finds it (given with a slash, or on the PATH).
    public static func findProgram(_ program: String) -> String? { EngineProcess.find(program) }

    /// The engines `attach ENGINE "target"` names.
    public static let engines = ["duckdb", "spark", "postgresql", "sqlite"]

    /// A PostgreSQL URL (`postgresql://…`, `postgres://…`) or a SQLite file; with `engine`
    /// `duckdb` a DuckDB file (or `:memory:`), with `spark` a Spark master URL. `files`: a
    /// folder whose CSV and Parquet files become views (DuckDB and Spark).
    public static func open(_ target: String, resolvedPath: String, as name: String, engine: String? = nil,
                            files: String? = nil) throws -> any Database {
        let lower = target.lowercased()
        var database: any Database
        if files != nil, engine != "duckdb", engine != "spark" {
            throw EngineError(.invalidInput, "with files works for DuckDB and Spark", hint: "attach duckdb \":memory:\" as d with files \"DIR\"")
        }
        if engine == "duckdb" {
            database = try DuckDBDatabase(path: target == ":memory:" ? target : resolvedPath, shown: target, files: files)
        } else if engine == "spark" {
            database = try SparkDatabase(master: target, files: files)
        } else if lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres://") {
            database = try PostgresDatabase(url: target)
        } else {
            database = try SQLiteDatabase(path: resolvedPath, shown: target)
        }
        database.name = name
        return database
    }

    /// `text` with the passwords in connection addresses masked, for history, messages and
    /// `.tables`: `postgresql://ann:secret@host/db` → `postgresql://ann:***@host/db`, and
    /// `password=secret` in a query string or key-value string → `password=***`. With
    /// `keepingWidth` each character becomes a `*`, so that carets under the line still fit.
    public static func masked(_ text: String, keepingWidth: Bool = false) -> String {
        var chars = Array(text)
        var ranges: [Range<Int>] = []
        // user:password@ after a scheme's ://
        var i = 0
        while i + 3 <= chars.count {
            if chars[i] == ":", chars[i + 1] == "/", chars[i + 2] == "/" {
                let start = i + 3
                var end = start
                while end < chars.count, !"/?\" \n\t".contains(chars[end]) { end += 1 }
                if let at = chars[start..<end].lastIndex(of: "@"), let colon = chars[start..<at].firstIndex(of: ":"), colon + 1 < at {
                    ranges.append((colon + 1)..<at)
                }
                i = end
            } else {
                i += 1
            }
        }
        // password=… in a query string or a key-value connection string (matched in any case)
        let key = Array("password=")
        var k = 0
        while k + key.count <= chars.count {
            guard zip(chars[k..<(k + key.count)], key).allSatisfy({ $0.lowercased() == String($1) }) else { k += 1; continue }
            let start = k + key.count
            var end = start
            while end < chars.count, !"& \"'\n\t".contains(chars[end]) { end += 1 }
            if end > start { ranges.append(start..<end) }
            k = end
        }
        for r in ranges.sorted(by: { $0.lowerBound > $1.lowerBound }) {
            chars.replaceSubrange(r, with: keepingWidth ? Array(repeating: "*", count: r.count) : Array("***"))
        }
        return String(chars)
    }
}
