import Foundation
import NKAnalysis
import NKEngine
import NKSources

/// The named tables of one nk session, its settings, and the context statements run in.
/// Running statements is in `Session+Statements.swift`, loading and saving files in
/// `Session+Files.swift`, the settings of `set` in `Session+Settings.swift`.
public final class Session {
    public private(set) var tables: [String: Table] = [:]
    /// Names in the order they were defined.
    public private(set) var order: [String] = []
    public var context: ExecutionContext
    /// The memory limit (`set memory_limit`): the tables the session keeps and each
    /// statement's work share it. A statement runs with what the tables leave
    /// (``Session/memoryHeld``), so one that would cross it is refused before it runs.
    public var memoryLimit: Int
    /// Whether `set memory_limit` was used (the default depends on the machine).
    public var memoryLimitIsSet = false
    /// The language of segment labels (`set lang = de`).
    public var language = LabelLanguage.english
    /// Whether `today` was set: segmentations then take it as their reference day.
    public var todayIsSet = false
    /// Files `save` wrote in this session (standardized paths): it may replace them again.
    var written: Set<String> = []
    /// `set overwrite = on`: `save` may replace any file.
    public var overwriteFiles = false
    /// Attached databases by name (`attach … as name`), and their names in attach order.
    public private(set) var databases: [String: any Database] = [:]
    public private(set) var databaseOrder: [String] = []
    /// `set pushdown = on` (the default): a pipeline over a table of PostgreSQL, DuckDB or
    /// Spark runs inside that engine; `off` reads the columns it needs into memory.
    public var pushdown = true
    /// While set, a database's table binds as its columns alone, no rows read (completion).
    var bindingWithoutData = false
    /// Folder that relative paths start from (a script's folder); nil: the working directory.
    public var baseDirectory: String?
    /// Draws a result's chart as SVG text for `save … to "x.svg"` (given by the shell, which
    /// knows how to draw): the result, the language, and how many leading columns are group
    /// keys. Nil while no drawing is given, or when the result holds nothing to draw.
    public var drawChart: ((any QueryResult, LabelLanguage, Int?) -> String?)?

    public init(context: ExecutionContext = .standard) {
        self.context = context
        self.memoryLimit = context.memoryLimit
    }

    public func table(_ name: String) -> Table? { tables[name] }

    /// Defines or replaces a named table.
    public func set(_ name: String, _ table: Table) {
        if tables[name] == nil { order.append(name) }
        tables[name] = table
    }

    func attachDatabase(_ database: any Database, as name: String) {
        databases[name] = database
        databaseOrder.append(name)
    }

    func detachDatabase(_ name: String) {
        databases[name] = nil
        databaseOrder.removeAll { $0 == name }
    }

    /// Forgets a named table.
    public func remove(_ name: String) {
        tables[name] = nil
        order.removeAll { $0 == name }
    }

    /// A table name from a file name: the base name without extension, non-identifier
    /// characters as `_`.
    public static func tableName(for path: String) -> String {
        let base = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        var name = String(base.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
        if name.isEmpty || name.first!.isNumber { name = "t_" + name }
        return name
    }
}
