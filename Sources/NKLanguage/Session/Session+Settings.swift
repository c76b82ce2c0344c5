import NKAnalysis
import NKEngine

/// The settings of `set`: today, lang, memory_limit, overwrite, pushdown.
extension Session {
    func apply(_ setting: Identifier, _ value: Expression, _ source: Source, _ lowering: Lowering) throws -> [StatementOutput] {
        switch setting.name.lowercased() {
        case "today":
            let expr = try lowering.lower(value)
            let column = try lowering.diagnosing(at: value.span, columnsOf: nil) { try Table(rowCount: 1).evaluate(expr, context: context) }
            guard case .date(let day) = column[0] else {
                throw Diagnostic("`today` must be set to a date, as in set today = 2025-06-30", at: value.span, in: source)
            }
            context.today = day
            todayIsSet = true
            return [.message("today is \(CivilDate.format(Int(day)))")]
        case "lang", "language":
            var written: String?
            switch value.kind {
            case .column(let name): written = name
            case .literal(.string(let text)): written = text
            default: break
            }
            guard let code = written?.lowercased(), let language = LabelLanguage(rawValue: code == "english" ? "en" : code == "german" || code == "deutsch" ? "de" : code) else {
                throw Diagnostic("`lang` is en or de", at: value.span, in: source, hint: "set lang = de writes segment labels in German")
            }
            self.language = language
            return [.message(language == .german ? "Segmente heißen jetzt auf Deutsch" : "segment labels are in English")]
        case "memory_limit", "memory-limit":
            var bytes: Int?
            switch value.kind {
            case .literal(.string(let text)): bytes = ExecutionContext.parseBytes(text)
            case .literal(.integer(let n)) where n > 0: bytes = Int(n)
            default: break
            }
            guard let bytes else {
                throw Diagnostic("`memory_limit` is a size such as \"4GB\" or \"512MB\"", at: value.span, in: source,
                                 hint: "set memory_limit = \"4GB\" (at the prompt: .set memory_limit 4GB)")
            }
            memoryLimit = bytes
            memoryLimitIsSet = true
            let held = memoryHeld().total
            context.memoryLimit = max(0, bytes - held)
            var out: [StatementOutput] = [.message("memory limit: \(ExecutionContext.formatBytes(bytes)) for the tables kept and each statement's work")]
            if held > bytes {
                out.append(.message("note: the tables already hold \(ExecutionContext.formatBytes(held)): no new table is kept until some are dropped (.tables shows their sizes)"))
            }
            return out
        case "overwrite", "pushdown":
            guard let on = Session.onOff(value) else {
                throw Diagnostic("`\(setting.name)` is on or off", at: value.span, in: source,
                                 hint: setting.name.lowercased() == "overwrite" ? "set overwrite = on lets save replace files nk did not write"
                                    : "set pushdown = on runs pipelines over PostgreSQL, DuckDB and Spark tables inside the engine")
            }
            if setting.name.lowercased() == "pushdown" {
                pushdown = on
                return [.message(on ? "pipelines over PostgreSQL tables run inside PostgreSQL" : "pipelines over database tables run in memory")]
            }
            overwriteFiles = on
            return [.message(on ? "save may replace existing files" : "save leaves files it did not write alone")]
        default:
            throw Diagnostic("no setting `\(setting.name)`", at: setting.span, in: source, hint: "settings: today, lang, overwrite, memory_limit, pushdown", kind: .unknownName)
        }
    }

    /// `on`/`off` (also `yes`/`no`, `true`/`false`, in quotes or not); nil for anything else.
    static func onOff(_ value: Expression) -> Bool? {
        switch value.kind {
        case .literal(.boolean(let b)): return b
        case .column(let word): return ["on": true, "yes": true, "off": false, "no": false][word.lowercased()]
        case .literal(.string(let text)): return ["on": true, "off": false][text.lowercased()]
        default: return nil
        }
    }
}
