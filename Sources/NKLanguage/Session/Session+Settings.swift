import NKAnalysis
import NKEngine

/// The settings of `set`: today, lang, memory_limit, overwrite.
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
            context.memoryLimit = bytes
            return [.message("memory limit: \(ExecutionContext.formatBytes(bytes)) per result")]
        case "overwrite":
            var on: Bool?
            switch value.kind {
            case .literal(.boolean(let b)): on = b
            case .column(let word): on = ["on": true, "yes": true, "off": false, "no": false][word.lowercased()]
            case .literal(.string(let text)): on = ["on": true, "off": false][text.lowercased()]
            default: break
            }
            guard let on else {
                throw Diagnostic("`overwrite` is on or off", at: value.span, in: source, hint: "set overwrite = on lets save replace files nk did not write")
            }
            overwriteFiles = on
            return [.message(on ? "save may replace existing files" : "save leaves files it did not write alone")]
        default:
            throw Diagnostic("no setting `\(setting.name)`", at: setting.span, in: source, hint: "settings: today, lang, overwrite, memory_limit", kind: .unknownName)
        }
    }

}
