import NKEngine
import NKLanguage

/// How results are printed: aligned tables for people, or a format other programs read.
public enum OutputFormat: String, Sendable, CaseIterable {
    case table, csv, tsv, json, jsonl, markdown
    /// One `column │ value` line per field, a record at a time.
    case line

    public init?(name: String) {
        switch name.lowercased() {
        case "table", "box": self = .table
        case "csv": self = .csv
        case "tsv": self = .tsv
        case "json": self = .json
        case "jsonl", "ndjson": self = .jsonl
        case "markdown", "md": self = .markdown
        case "line", "lines", "expanded": self = .line
        default: return nil
        }
    }

    /// Whether the format is for programs: then only tables go to standard output.
    public var isMachineReadable: Bool { self != .table && self != .line }
}
