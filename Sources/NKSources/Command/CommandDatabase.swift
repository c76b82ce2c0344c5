import Foundation
import NKEngine

/// What DuckDB and Spark have in common as nk drives them: an engine program kept running
/// (``EngineProcess``), rows coming back as JSON lines, and the files of a folder registered
/// as views named after them.
protocol CommandDatabase: Database {
    var engine: EngineProcess { get }
    /// A query's result columns: names and the engine's type names, without running it.
    func columns(of query: String) throws -> [(name: String, type: String)]
    /// The statement that sends a query's rows as JSON lines (`columns` are its result's).
    func rowsStatement(_ query: String, _ columns: [(name: String, type: String)]) -> String
    /// Runs statements, passing each output line to `line`; an engine error is thrown.
    func run(_ sql: String, context: ExecutionContext, line: (UnsafeBufferPointer<UInt8>) throws -> Bool) throws
    /// The nk type an engine type is read as, and a note when that loses something.
    static func nkType(_ engineType: String, column: String) -> (DataType, String?)
    /// The statement that makes `file` (a CSV or Parquet file) the view `view`.
    func viewStatement(_ view: String, file: String, parquet: Bool) -> String
}

extension CommandDatabase {
    public func columnNames(_ table: String) throws -> [String] { try columns(of: "SELECT * FROM \(try relation(table))").map(\.name) }

    public func emptyTable(_ table: String) throws -> Table {
        let columns = try columns(of: "SELECT * FROM \(try relation(table))")
        return try Table(columns.map { ($0.name, Column.nulls(Self.nkType($0.type, column: $0.name).0, count: 0)) })
    }

    public func describe(_ table: String) throws -> TableDescription {
        let relation = try self.relation(table)
        let columns = try columns(of: "SELECT * FROM \(relation)")
        let typed = columns.map { Self.nkType($0.type, column: $0.name) }
        let counted = try read(query: "SELECT count(*) AS n FROM \(relation)", context: ExecutionContext(cancellation: CancellationFlag())).table
        var rows = 0
        if counted.rowCount == 1, case .integer(let n) = counted.columns[0][0] { rows = Int(n) }
        return TableDescription(schema: Schema(zip(columns, typed).map { Field($0.name, $1.0) }), rows: rows,
                                estimated: false, notes: typed.compactMap(\.1))
    }

    public func read(_ table: String, columns wanted: [String]?, context: ExecutionContext) throws -> SourceRead {
        let relation = try self.relation(table)
        let all = try columns(of: "SELECT * FROM \(relation)")
        let names = wanted ?? all.map(\.name)
        for name in names where !all.contains(where: { $0.name == name }) {
            throw EngineError.unknownColumn(name, available: all.map(\.name))
        }
        let list = names.isEmpty ? "*" : names.map(quoted).joined(separator: ", ")
        return try read(query: "SELECT \(list) FROM \(relation)", context: context)
    }

    public func read(query: String, context: ExecutionContext) throws -> SourceRead {
        var text = query.trimmingCharacters(in: .whitespacesAndNewlines)
        while text.hasSuffix(";") { text = String(text.dropLast()).trimmingCharacters(in: .whitespacesAndNewlines) }
        let columns = try self.columns(of: text)
        let typed = columns.map { Self.nkType($0.type, column: $0.name) }
        var rows = JSONRows(types: typed.map(\.0))
        var malformed = 0, overLimit = false
        context.cancellation.begin(total: 0)
        try run(rowsStatement(text, columns), context: context) { line in
            if line.first != UInt8(ascii: "{") { return true }
            if !rows.append(line) { malformed += 1 }
            if rows.rows & 0x3FFF == 0 {
                context.cancellation.advance(0x4000)
                if rows.bytes > context.memoryLimit { overLimit = true; return false }
            }
            return true
        }
        if overLimit {
            throw EngineError(.resourceLimit, "the rows from \(kind) are more than the memory limit of \(ExecutionContext.formatBytes(context.memoryLimit))",
                              hint: "read fewer columns or rows: select them in the pipeline, or let the engine count (set pushdown = on)")
        }
        if malformed > 0 { throw EngineError(.io, "\(kind) sent \(malformed) rows nk could not read", hint: "the query was: \(text)") }
        let table = try Table.uniquelyNamed(zip(columns, rows.columns).map { ($0.name, $1.build()) })
        let warnings = rows.bad > 0 ? ["\(Value.grouped(rows.bad)) values nk cannot represent were read as null"] : []
        return SourceRead(table: table, notes: typed.compactMap(\.1), warnings: warnings)
    }

    /// The rows of a small query (the catalog's), each as its values' text.
    func values(_ sql: String, context: ExecutionContext = ExecutionContext(cancellation: CancellationFlag())) throws -> [[String?]] {
        var out: [[String?]] = []
        try run(sql, context: context) { line in
            if let v = JSONRows.values(line) { out.append(v) }
            return true
        }
        return out
    }

    /// The table's name as SQL (schema-qualified when written so), checked to exist.
    func relation(_ table: String) throws -> String {
        try requireTable(table, among: try tableNames())
        return Self.qualified(table, quoted)
    }

    /// A name quoted for the engine.
    func quoted(_ name: String) -> String {
        dialect == "spark" ? "`" + name.replacingOccurrences(of: "`", with: "``") + "`"
                           : "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Registers every CSV and Parquet file of `folder` as a view named after the file.
    func registerFiles(_ folder: String) throws -> [String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw EngineError(.io, "\(folder) is not a folder", hint: "with files \"DIR\" names a folder of CSV and Parquet files")
        }
        let absolute = URL(fileURLWithPath: folder).standardizedFileURL.path
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: absolute)) ?? []).sorted()
        var views: [String] = []
        var statements: [String] = []
        for file in files {
            let lower = file.lowercased()
            let parquet = lower.hasSuffix(".parquet")
            guard parquet || lower.hasSuffix(".csv") || lower.hasSuffix(".csv.gz") else { continue }
            var view = String(file.prefix { $0 != "." })
            view = String(view.map { $0.isLetter || $0.isNumber ? $0 : "_" })
            guard !view.isEmpty, !views.contains(view) else { continue }
            views.append(view)
            statements.append(viewStatement(view, file: absolute + "/" + file, parquet: parquet))
        }
        if !statements.isEmpty { try run(statements.joined(separator: "\n"), context: ExecutionContext(cancellation: CancellationFlag())) { _ in true } }
        return views
    }

    public func close() { engine.stop() }
}

/// A decimal type (`DECIMAL(20,3)`, `decimal(10,2)`) read as float, noted when its precision
/// is more than a double keeps.
func decimalAsFloat(_ type: String, column: String) -> (DataType, String?) {
    let precision = type.drop { !$0.isNumber }.prefix { $0.isNumber }
    return (.float, Int(precision).map { $0 <= 15 } == true ? nil : "\(column) is \(type): read as float, exact to about 15 digits")
}

/// A text literal for DuckDB and Spark alike: quotes doubled, backslashes only for Spark.
func engineText(_ s: String, spark: Bool) -> String {
    spark ? "'" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
          : "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
}
