import Foundation
import NKEngine
import NKSources

/// Loading CSV files into tables, and saving tables to files without destroying what the user
/// did not ask to replace.
extension Session {
    /// What a load did: the tables it defined and what the reader wants the user to know.
    public struct Loaded {
        public var name: String
        public var table: Table
        public var dialect: CSVDialect
        public var notes: [String]
    }

    /// Loads a CSV file (as `name`, default its base name) or every `.csv` file of a directory.
    /// Nothing is defined unless every file loads.
    @discardableResult
    public func load(_ path: String, as name: String? = nil, options: CSVOptions = CSVOptions()) throws -> [Loaded] {
        var isDirectory: ObjCBool = false
        var loaded: [Loaded] = []
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            let files = try FileManager.default.contentsOfDirectory(atPath: path)
                .filter { $0.lowercased().hasSuffix(".csv") }.sorted()
            if files.isEmpty {
                throw EngineError(.io, "\(path) holds no .csv files", hint: "name a CSV file, or a folder with CSV files")
            }
            for file in files {
                let full = (path as NSString).appendingPathComponent(file)
                let result = try CSVReader.load(path: full, options: options, cancellation: context.cancellation, memoryLimit: context.memoryLimit)
                loaded.append(Loaded(name: Session.tableName(for: file), table: result.table, dialect: result.dialect, notes: result.notes))
            }
        } else {
            let result = try CSVReader.load(path: path, options: options, cancellation: context.cancellation, memoryLimit: context.memoryLimit)
            loaded.append(Loaded(name: name ?? Session.tableName(for: path), table: result.table, dialect: result.dialect, notes: result.notes))
        }
        try checkRoom(for: loaded.map(\.table), replacing: loaded.map(\.name))
        for l in loaded { set(l.name, l.table) }
        return loaded
    }

    /// `load "path" [as name] [with options]`.
    func load(_ path: String, at pathSpan: SourceSpan, as alias: Identifier?, options allOptions: [LoadOption], _ source: Source,
              _ lowering: Lowering) throws -> [StatementOutput] {
        let sheet = allOptions.first { $0.name.name == "sheet" }
        let options = allOptions.filter { $0.name.name != "sheet" }
        let full = resolve(path)
        let columns = options.last { $0.name.name.lowercased() == "columns" }
        if Session.isWorkbook(full) && options.allSatisfy({ $0.name.name.lowercased() == "columns" }) || sheet != nil {
            return try loadWorkbook(path, full, at: pathSpan, sheet: sheet, columns: columns, as: alias, source, lowering)
        }
        if FileKind.of(full) == .sqlite {
            throw Diagnostic("\(path) is a SQLite database, not a CSV file", at: pathSpan, in: source,
                             hint: "attach it: attach \"\(path)\" as db, then load db.<table> or use db.<table> in a pipeline", kind: .invalid)
        }
        let csv = try LoadOptions.csvOptions(options, source: source)
        var isDirectory: ObjCBool = false
        if let alias, FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), isDirectory.boolValue {
            throw Diagnostic("`as` names one table, but \(path) is a folder", at: alias.span, in: source,
                             hint: "load the folder without `as`: each file becomes a table named after it")
        }
        // a column the options name and the file lacks is pointed out in the option
        let naming = options.last { ["columns", "types", "type"].contains($0.name.name.lowercased()) }
        let loaded: [Loaded]
        do {
            loaded = try lowering.diagnosing(at: pathSpan, columnsOf: nil) {
                do {
                    return try load(full, as: alias?.name, options: csv)
                } catch let e as EngineError where e.category == .unknownColumn && naming != nil {
                    throw Diagnostic(e.message + " in \(path)", at: naming!.valueSpan, in: source, hint: e.hint, kind: .unknownColumn)
                }
            }
        } catch var d as Diagnostic {
            if let base = baseDirectory, !path.hasPrefix("/"), d.kind == .missingFile {
                d.hint = "paths in a script start in the script's folder, here \(base.isEmpty ? "." : base)"
            }
            throw d
        }
        var out: [StatementOutput] = []
        for l in loaded {
            out.append(.message("loaded \(l.name): \(Value.grouped(l.table.rowCount)) rows, \(l.table.columnCount) columns"))
            for note in l.notes { out.append(.message("note: \(note)")) }
        }
        return out
    }

    /// Whether a file is an Excel workbook by its name (`.xlsx`, `.xlsm`, `.xls`) or its bytes (a zip).
    static func isWorkbook(_ path: String) -> Bool {
        let ext = (path as NSString).pathExtension.lowercased()
        return ["xlsx", "xlsm", "xls"].contains(ext) || FileKind.of(path) == .zip
    }

    /// `load "book.xlsx" [sheet "name"] [as name]`: every sheet a table named after it, or one.
    func loadWorkbook(_ path: String, _ full: String, at pathSpan: SourceSpan, sheet: LoadOption?, columns: LoadOption?,
                      as alias: Identifier?, _ source: Source, _ lowering: Lowering) throws -> [StatementOutput] {
        var wanted: String?
        if case .text(let s)? = sheet?.value { wanted = s }
        let kept = try columns.map { try LoadOptions.csvOptions([$0], source: source).columns ?? [] }
        var sheets = try lowering.diagnosing(at: sheet?.valueSpan ?? pathSpan, columnsOf: nil) {
            try XLSXReader.load(path: full, shown: path, sheet: wanted, context: context)
        }
        if let kept, let columns {
            for k in sheets.indices {
                sheets[k].read.table = try lowering.diagnosing(at: columns.valueSpan, columnsOf: "sheet \"\(sheets[k].name)\"") {
                    try sheets[k].read.table.selecting(kept)
                }
            }
        }
        if let alias, sheets.count > 1 {
            throw Diagnostic("\(path) has \(sheets.count) sheets, and `as` names one table", at: alias.span, in: source,
                             hint: "name the sheet: load \"\(path)\" sheet \"\(sheets[0].name)\" as \(alias.name); without `as` every sheet becomes a table")
        }
        try checkRoom(for: sheets.map(\.read.table), replacing: sheets.map { alias?.name ?? Session.tableName(for: $0.name) })
        var out: [StatementOutput] = []
        for s in sheets {
            let name = alias?.name ?? Session.tableName(for: s.name)
            set(name, s.read.table)
            out.append(.message("loaded \(name): \(Value.grouped(s.read.table.rowCount)) rows, \(s.read.table.columnCount) columns (sheet \"\(s.name)\")"))
            out += (s.read.notes + s.read.warnings).map { .message("note: \($0)") }
        }
        return out
    }

    /// `save … to "path" [overwrite]`: a file this session did not write is the user's, and is
    /// replaced only when told to.
    func save(_ table: Table, to path: String, at pathSpan: SourceSpan, overwrite: Bool, _ source: Source,
              _ lowering: Lowering) throws -> [StatementOutput] {
        let full = try writablePath(path, at: pathSpan, overwrite: overwrite, source)
        try lowering.diagnosing(at: pathSpan, columnsOf: nil) {
            if (full as NSString).pathExtension.lowercased() == "xlsx" {
                try XLSXWriter.write(table, to: full)
            } else {
                try TableFile.write(table, to: full)
            }
        }
        written.insert(full)
        return [.message("saved \(Value.grouped(table.rowCount)) rows to \(path)")]
    }

    /// The full path `save` may write: an existing file only when asked to replace it, or when
    /// this session wrote it.
    func writablePath(_ path: String, at pathSpan: SourceSpan, overwrite: Bool, _ source: Source) throws -> String {
        let full = URL(fileURLWithPath: resolve(path)).standardizedFileURL.path
        if FileManager.default.fileExists(atPath: full), !overwrite, !overwriteFiles, !written.contains(full) {
            throw Diagnostic("\(path) exists, and nk did not write it in this session: it is left as it is", at: pathSpan, in: source,
                             hint: "to replace it: save … to \"\(path)\" overwrite (or .set overwrite on)", kind: .io)
        }
        return full
    }

    /// `save … to "x.svg"`: the chart of the result (docs/CHARTS.md), written whole or not at all.
    func saveChart(_ result: any QueryResult, groupColumns: Int?, to path: String, at pathSpan: SourceSpan, overwrite: Bool,
                   _ source: Source, _ lowering: Lowering) throws -> [StatementOutput] {
        let full = try writablePath(path, at: pathSpan, overwrite: overwrite, source)
        guard let draw = drawChart else {
            throw Diagnostic("charts are drawn by the nk shell, and this session has none", at: pathSpan, in: source,
                             hint: "run the statement in nk, or save the table to a .csv file", kind: .invalid)
        }
        guard let svg = draw(result, language, groupColumns) else {
            throw Diagnostic("nothing to draw: the result has no column of numbers", at: pathSpan, in: source,
                             hint: "count or sum something first, e.g. … | segment by status, then save it to \"\(path)\"", kind: .invalid)
        }
        try lowering.diagnosing(at: pathSpan, columnsOf: nil) {
            try AtomicFile.write(to: full) { sink in try sink(Array(svg.utf8)) }
        }
        written.insert(full)
        return [.message(language == .german ? "Diagramm gespeichert: \(path)" : "saved the chart to \(path)")]
    }

    /// Paths in a script are relative to the script's folder.
    public func resolve(_ path: String) -> String {
        if path.hasPrefix("/") || path.hasPrefix("~") { return (path as NSString).expandingTildeInPath }
        guard let base = baseDirectory else { return path }
        return (base as NSString).appendingPathComponent(path)
    }
}
