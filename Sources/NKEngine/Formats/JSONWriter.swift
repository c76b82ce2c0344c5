/// Writes tables as JSON: an array of objects, or JSON lines (one object a line). Numbers stay
/// numbers (NaN and infinities become null), dates and timestamps are ISO 8601 strings.
public enum JSONWriter {
    /// `[{"a": 1, …}, …]`, one object a line.
    public static func array(_ table: Table, emit: ([UInt8]) throws -> Void) throws {
        try emit(Array("[".utf8))
        try objects(table, separator: ",\n", first: "\n", emit: emit)
        try emit(Array((table.rowCount == 0 ? "]\n" : "\n]\n").utf8))
    }

    /// One object a line.
    public static func lines(_ table: Table, emit: ([UInt8]) throws -> Void) throws {
        try objects(table, separator: "\n", first: "", emit: emit)
        if table.rowCount > 0 { try emit([10]) }
    }

    public static func string(_ table: Table, lines: Bool = false) -> String {
        var out: [UInt8] = []
        if lines { try? self.lines(table) { out += $0 } } else { try? array(table) { out += $0 } }
        return String(decoding: out, as: UTF8.self)
    }

    private static func objects(_ table: Table, separator: String, first: String, emit: ([UInt8]) throws -> Void) throws {
        let keys = table.names.map { quoted($0) + ": " }
        var buffer: [UInt8] = []
        for row in 0..<table.rowCount {
            buffer += Array((row == 0 ? first : separator).utf8)
            buffer.append(UInt8(ascii: "{"))
            for (i, column) in table.columns.enumerated() {
                if i > 0 { buffer += Array(", ".utf8) }
                buffer += Array(keys[i].utf8)
                buffer += Array(value(column[row]).utf8)
            }
            buffer.append(UInt8(ascii: "}"))
            if buffer.count > 1 << 20 { try emit(buffer); buffer.removeAll(keepingCapacity: true) }
        }
        if !buffer.isEmpty { try emit(buffer) }
    }

    static func value(_ v: Value) -> String {
        switch v {
        case .null: return "null"
        case .integer(let x): return String(x)
        case .float(let x): return x.isFinite ? CSVWriter.formatFloat(x) : "null"
        case .boolean(let b): return b ? "true" : "false"
        case .date, .timestamp, .string: return quoted(v.description)
        }
    }

    /// A JSON string literal.
    public static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}

/// Writes tables as GitHub-flavoured Markdown tables (numbers right-aligned, `|` escaped).
public enum MarkdownWriter {
    public static func string(_ table: Table) -> String {
        func cell(_ v: Value) -> String {
            v.isNull ? "" : v.description.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
        }
        var lines = ["| " + table.names.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"]
        lines.append("|" + table.columns.map { $0.type.isNumeric ? " ---: |" : " --- |" }.joined())
        for row in 0..<table.rowCount {
            lines.append("| " + table.columns.map { cell($0[row]) }.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Saves a table in the format its file name asks for: `.csv`, `.tsv`, `.json` / `.jsonl`
/// (JSON lines), `.md` (Markdown). Always atomic (see ``AtomicFile``).
public enum TableFile {
    public static func write(_ table: Table, to path: String) throws {
        let ext = (path.split(separator: "/").last.map(String.init) ?? path).split(separator: ".").last.map { $0.lowercased() } ?? ""
        switch ext {
        case "csv": try CSVWriter.write(table, to: path)
        case "tsv": try CSVWriter.write(table, to: path, delimiter: 9)
        case "json", "jsonl", "ndjson": try AtomicFile.write(to: path) { sink in try JSONWriter.lines(table, emit: sink) }
        case "md", "markdown": try AtomicFile.write(to: path) { sink in try sink(Array(MarkdownWriter.string(table).utf8)) }
        default:
            throw EngineError.invalidInput("nk does not know how to write a .\(ext) file", hint: "end the file name in .csv, .tsv, .json, .md, .xlsx or .svg")
        }
    }
}
