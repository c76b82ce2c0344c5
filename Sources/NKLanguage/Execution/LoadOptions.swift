import NKEngine

/// The `with` options of `load`, checked and turned into CSV reader options.
public enum LoadOptions {
    /// The options `load … with` takes.
    public static let names = ["delimiter", "header", "decimal", "dateformat", "nulls", "types", "encoding", "columns"]

    static func csvOptions(_ options: [LoadOption], source: Source) throws -> CSVOptions {
        var csv = CSVOptions()
        for option in options {
            func bad(_ what: String) -> Diagnostic {
                Diagnostic("\(option.name.name) takes \(what)", at: option.valueSpan, in: source)
            }
            switch option.name.name.lowercased() {
            case "delimiter", "separator", "sep":
                switch option.value {
                case .text(let t) where t.utf8.count == 1: csv.delimiter = t.utf8.first
                case .text("\\t"), .word("tab"): csv.delimiter = 9
                case .word("whitespace"), .word("space"), .word("spaces"): csv.delimiter = CSVOptions.whitespace
                case .word("semicolon"): csv.delimiter = UInt8(ascii: ";")
                case .word("comma"): csv.delimiter = UInt8(ascii: ",")
                case .word("pipe"): csv.delimiter = UInt8(ascii: "|")
                default: throw bad("one character in quotes, e.g. delimiter ';' (or tab, or whitespace for runs of spaces)")
                }
            case "header":
                guard case .boolean(let b) = option.value else { throw bad("true or false") }
                csv.header = b
            case "decimal":
                guard case .text(let t) = option.value, t == "." || t == "," else { throw bad("'.' or ','") }
                csv.decimal = t.utf8.first
            case "dateformat", "date_format":
                guard case .text(let t) = option.value, let f = DateFormat(pattern: t) else {
                    throw bad("a pattern such as \"dd.mm.yyyy\" or \"yyyy-mm-dd\"")
                }
                csv.dateFormat = f
            case "nulls", "null":
                switch option.value {
                case .list(let items): csv.nulls = items
                case .text(let t): csv.nulls = [t]
                default: throw bad("a list of spellings, e.g. nulls (\"\", \"-\")")
                }
            case "types", "type":
                guard case .types(let pairs) = option.value else { throw bad("a list such as types (zip: string, revenue: float)") }
                for (column, type) in pairs {
                    guard let t = DataType(name: type.name) else {
                        let all = DataType.allCases.map(\.rawValue)
                        throw Diagnostic("no type `\(type.name)`", at: type.span, in: source,
                                         hint: NameSuggestion.nearest(to: type.name, in: all).map { "did you mean `\($0)`?" } ?? "types: " + all.joined(separator: ", "))
                    }
                    csv.types[column.name] = t
                }
            case "columns":
                guard case .names(let names) = option.value else { throw bad("a list of column names, e.g. columns (customer_id, status)") }
                var seen = Set<String>()
                for name in names where !seen.insert(name.name.lowercased()).inserted {
                    throw Diagnostic("`\(name.name)` is named twice in columns", at: name.span, in: source, hint: "name each column once")
                }
                csv.columns = names.map(\.name)
            case "encoding":
                let value: String
                switch option.value {
                case .text(let t), .word(let t): value = t.lowercased()
                default: throw bad("utf8 or latin1")
                }
                switch value {
                case "utf8", "utf-8": csv.encoding = .utf8
                case "latin1", "latin-1", "iso-8859-1", "windows-1252", "cp1252": csv.encoding = .latin1
                default: throw bad("utf8 or latin1")
                }
            default:
                throw Diagnostic("no load option `\(option.name.name)`", at: option.name.span, in: source,
                                 hint: NameSuggestion.nearest(to: option.name.name, in: names).map { "did you mean `\($0)`?" }
                                    ?? "options: " + names.joined(separator: ", "))
            }
        }
        return csv
    }
}
