import Foundation
import NKAnalysis
import NKEngine

/// The named tables of one nk session and the context statements run in.
public final class Session {
    public private(set) var tables: [String: Table] = [:]
    /// Names in the order they were defined.
    public private(set) var order: [String] = []
    public var context: ExecutionContext
    /// The result of an analysis stage beyond its table (a comparison's detail tables,
    /// why-not's summary and findings), shown when the stage ends a query.
    enum Analysis {
        case comparison(Compare.Result)
        case whyNot(WhyNot.Result)
        case lifecycle(Lifecycle.Result)
        case pareto(Pareto.Result, measure: String)
        case rfm(RFM.Result)
        case value(ContributionMargin.Result)
        case persona(Persona.Result, patterns: WhyNot.Result?)
        case cohort(Cohorts.Result)
        case lookalike(Lookalike.Result)
        case clv(CLV.Result)
    }
    var lastAnalysis: Analysis?
    /// The language of segment labels (`set lang = de`).
    public var language = LabelLanguage.english
    /// Whether `today` was set: segmentations then take it as their reference day.
    public var todayIsSet = false
    /// Files `save` wrote in this session (standardized paths): it may replace them again.
    var written: Set<String> = []
    /// `set overwrite = on`: `save` may replace any file.
    public var overwriteFiles = false
    /// Folder that relative paths start from (a script's folder); nil: the working directory.
    public var baseDirectory: String?

    public init(context: ExecutionContext = .standard) {
        self.context = context
    }

    public func table(_ name: String) -> Table? { tables[name] }

    /// Defines or replaces a named table.
    public func set(_ name: String, _ table: Table) {
        if tables[name] == nil { order.append(name) }
        tables[name] = table
    }

    /// Forgets a named table.
    public func remove(_ name: String) {
        tables[name] = nil
        order.removeAll { $0 == name }
    }

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
        for l in loaded { set(l.name, l.table) }
        return loaded
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
