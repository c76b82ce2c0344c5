import Foundation
import NKEngine

/// A Spark session (`local[2]`, `local[*]`, `yarn`, `spark://host:7077`) driven through the
/// `spark-sql` command (from `$SPARK_HOME/bin`, or the PATH) kept running while attached, so
/// the JVM starts once. Rows come back as `to_json(named_struct(…))` lines so that every text
/// value survives; Spark's progress bars are read for nk's progress; Ctrl-C interrupts the
/// job. The session works in a folder of its own (its warehouse and metastore), removed on
/// detach.
public final class SparkDatabase: CommandDatabase {
    public let kind = "Spark"
    public let location: String
    public var name: String
    public var dialect: String? { "spark" }
    private(set) var engine: EngineProcess
    private let workFolder: String
    public private(set) var fileViews: [String] = []
    /// How the session was started, to start it again when its JVM ended.
    private let program: String, arguments: [String], files: String?

    /// `program`: the `spark-sql` to run; by default `$SPARK_HOME/bin/spark-sql`, else the PATH's.
    public convenience init(master: String, files: String? = nil, program: String? = nil) throws {
        try self.init(master: master, files: files, program: program, settings: [])
    }

    /// `settings`: more `--conf` settings (`spark.driver.memory=512m`) after nk's own.
    init(master: String, files: String?, program: String?, settings more: [String]) throws {
        location = master
        name = master
        let program = program ?? ProcessInfo.processInfo.environment["SPARK_HOME"].map { $0 + "/bin/spark-sql" } ?? "spark-sql"
        var template = Array((NSTemporaryDirectory() + "nk-spark-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw EngineError(.io, "cannot make a folder for Spark's session: \(String(cString: strerror(errno)))") }
        workFolder = String(cString: made)
        let settings = ["spark.ui.enabled=false", "spark.sql.session.timeZone=UTC", "spark.ui.showConsoleProgress=true",
                        "spark.sql.warehouse.dir=\(workFolder)/warehouse", "spark.driver.extraJavaOptions=-Dderby.system.home=\(workFolder)"] + more
        self.program = program
        arguments = ["--master", master] + settings.flatMap { ["--conf", $0] }
        self.files = files
        do {
            engine = try SparkDatabase.start(program, arguments, in: workFolder)
        } catch {
            try? FileManager.default.removeItem(atPath: workFolder)
            throw error
        }
        do {
            try prepare()
        } catch {
            close()
            throw error
        }
    }

    private static func start(_ program: String, _ arguments: [String], in folder: String) throws -> EngineProcess {
        try EngineProcess(program: program, arguments: arguments, directory: folder,
                          installHint: "nk runs Spark's spark-sql: pip install pyspark (it needs Java 17), or set SPARK_HOME")
    }

    /// Waits for the session to start (its first statement), then makes the files' views.
    private func prepare() throws {
        do {
            try run("SELECT 1;", context: ExecutionContext(cancellation: CancellationFlag())) { _ in true }
        } catch let e as EngineError {
            throw EngineError(.io, "Spark did not start with master \(location) (\(engine.command)): \(e.message)", hint: e.hint ?? "")
        }
        if let files { fileViews = try registerFiles(files) }
    }

    deinit { close() }

    /// Runs statements that return no rows (creating views or tables), in the engine's SQL.
    public func execute(_ sql: String) throws { try run(sql, context: ExecutionContext(cancellation: CancellationFlag())) { _ in true } }

    public func close() {
        engine.stop()
        try? FileManager.default.removeItem(atPath: workFolder)
    }

    public func tableNames() throws -> [String] {
        // SHOW TABLES prints a name a line, after the engine's echo of the statement
        var names: [String] = []
        let outcome = try engine.run("SHOW TABLES;", marker: marker, context: ExecutionContext(cancellation: CancellationFlag())) { line in
            let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespaces)
            if !text.isEmpty, !text.hasPrefix("spark-sql"), !text.contains(" "), text != "nk_probe" { names.append(text) }
            return true
        }
        if let error = Self.error(in: outcome.errors, sql: "SHOW TABLES") { throw error }
        return names.sorted()
    }

    /// The marker statement after each statement, and the line it prints (written apart in the
    /// statement, so that the engine's echo of it is not taken for it).
    private func marker(_ text: String) -> (query: String, line: String) {
        ("SELECT concat('\(text.prefix(3))', '\(text.dropFirst(3))');", text)
    }

    func columns(of query: String) throws -> [(name: String, type: String)] {
        let probe = "FROM (SELECT 1 AS nk_one) nk_o LEFT JOIN nk_probe ON false"
        let names = try keys("CREATE OR REPLACE TEMPORARY VIEW nk_probe AS \(query);\n"
                             + "SELECT concat('nk', 'row:', to_json(struct(nk_probe.*), map('ignoreNullFields', 'false'))) \(probe);")
        guard !names.isEmpty else { return [] }
        let typeList = names.enumerated().map { "'c\($0.offset)', typeof(nk_probe.\(quoted($0.element)))" }.joined(separator: ", ")
        let types = try values("SELECT concat('nk', 'row:', to_json(named_struct(\(typeList)))) \(probe);").first ?? []
        return names.enumerated().map { ($0.element, $0.offset < types.count ? types[$0.offset] ?? "string" : "string") }
    }

    /// The keys of the first JSON row a statement sends.
    private func keys(_ sql: String) throws -> [String] {
        var out: [String]?
        try run(sql, context: ExecutionContext(cancellation: CancellationFlag())) { line in
            if out == nil { out = JSONRows.keys(line) }
            return true
        }
        return out ?? []
    }

    static let rowPrefix = Array("nkrow:".utf8)

    func rowsStatement(_ query: String, _ columns: [(name: String, type: String)]) -> String {
        let fields = columns.enumerated().map { k, c -> String in
            let text = Self.nkType(c.type, column: c.name).0 == .string && !Self.isText(c.type)
            return "'c\(k)', " + (text ? "CAST(nk_q.\(quoted(c.name)) AS STRING)" : "nk_q.\(quoted(c.name))")
        }
        let options = "map('ignoreNullFields', 'false', 'timestampFormat', 'yyyy-MM-dd HH:mm:ss.SSSSSS', 'dateFormat', 'yyyy-MM-dd')"
        return "SELECT concat('nk', 'row:', to_json(named_struct(\(fields.joined(separator: ", "))), \(options))) FROM (\(query)) nk_q;"
    }

    static func isText(_ type: String) -> Bool { type == "string" || type.hasPrefix("varchar") || type.hasPrefix("char") }

    func run(_ sql: String, context: ExecutionContext, line: (UnsafeBufferPointer<UInt8>) throws -> Bool) throws {
        if !engine.isRunning {
            // the JVM ended after the last statement (killed, out of memory): a new session, with
            // the same views of files (tables made in the old one are gone)
            engine = try SparkDatabase.start(program, arguments, in: workFolder)
            try prepare()
        }
        let outcome = try engine.run(sql, marker: marker, context: context,
                                     progress: { Self.reportProgress($0, context) }) { text in
            // the engine echoes the statements on standard output: only rows count
            guard text.starts(with: Self.rowPrefix) else { return true }
            return try line(UnsafeBufferPointer(rebasing: text[Self.rowPrefix.count...]))
        }
        if outcome.cancelled { throw EngineError.cancelled }
        if let error = Self.error(in: outcome.errors, sql: sql) { throw error }
    }

    /// Spark's error among what it wrote to standard error (log lines and progress bars are
    /// not errors), with the SQL line it points at.
    static func error(in text: String, sql: String) -> EngineError? {
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map(String.init)
        // log4j's lines ("26/11/30 10:39:59 WARN …") and the stack traces after them are not the message
        func isLog(_ l: String) -> Bool { l.count > 18 && l.prefix(8).filter { $0 == "/" }.count == 2 && l.dropFirst(8).hasPrefix(" ") }
        let said = lines.filter { !$0.hasPrefix("[Stage") && !$0.hasPrefix("Time taken") && !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        let candidates = said.filter { !isLog($0) && !$0.hasPrefix("\t") && !$0.hasPrefix("Caused by") }
        let logged = said.filter { isLog($0) && $0.contains(" ERROR ") }
        guard let first = candidates.first(where: { $0.hasPrefix("[") || $0.contains("Error") || $0.contains("Exception") }) ?? logged.first else { return nil }
        var message = first
        if let semicolon = message.range(of: " SQLSTATE") { message = String(message[..<semicolon.lowerBound]).trimmingCharacters(in: .whitespaces) }
        var hint = "the statement was: \(sql)"
        // "…; line 1 pos 14"
        let joined = candidates.joined(separator: " ")
        if let at = joined.range(of: "; line "), let pos = joined.range(of: " pos ", range: at.upperBound..<joined.endIndex) {
            let lineNumber = Int(joined[at.upperBound..<pos.lowerBound]) ?? 0
            let column = Int(joined[pos.upperBound...].prefix { $0.isNumber }) ?? 0
            let sqlLines = sql.split(separator: "\n", omittingEmptySubsequences: false)
            if lineNumber >= 1, lineNumber <= sqlLines.count {
                hint = "where Spark points:\nLINE \(lineNumber): \(sqlLines[lineNumber - 1])\n" + String(repeating: " ", count: 7 + String(lineNumber).count + column) + "^"
            }
        }
        return EngineError(.invalidInput, "Spark: \(message)", hint: hint)
    }

    /// Reads `[Stage 3:====>   (12 + 2) / 200]` into the progress shown while Spark works.
    static func reportProgress(_ text: String, _ context: ExecutionContext) {
        guard let open = text.range(of: "[Stage", options: .backwards), let paren = text.range(of: "(", range: open.upperBound..<text.endIndex),
              let slash = text.range(of: ") / ", range: paren.upperBound..<text.endIndex) else { return }
        let done = Int(text[paren.upperBound...].prefix { $0.isNumber }) ?? 0
        let total = Int(text[slash.upperBound...].prefix { $0.isNumber }) ?? 0
        guard total > 0 else { return }
        context.cancellation.begin(total: total)
        context.cancellation.advance(done)
    }

    static func nkType(_ engineType: String, column: String) -> (DataType, String?) {
        let t = engineType.lowercased()
        switch t {
        case "bigint", "int", "smallint", "tinyint", "integer": return (.integer, nil)
        case "double", "float", "real": return (.float, nil)
        case "boolean": return (.boolean, nil)
        case "date": return (.date, nil)
        case "timestamp", "timestamp_ntz": return (.timestamp, nil)
        case "void": return (.string, nil)
        default:
            if t.hasPrefix("decimal") { return decimalAsFloat(t, column: column) }
            if isText(t) { return (.string, nil) }
            return (.string, "\(column) is \(t): read as text")
        }
    }

    func viewStatement(_ view: String, file: String, parquet: Bool) -> String {
        let path = engineText(file, spark: true)
        if parquet { return "CREATE OR REPLACE TEMPORARY VIEW \(quoted(view)) USING parquet OPTIONS (path \(path));" }
        return "CREATE OR REPLACE TEMPORARY VIEW \(quoted(view)) USING csv OPTIONS (path \(path), header 'true', inferSchema 'true');"
    }
}
