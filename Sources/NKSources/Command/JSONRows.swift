import NKEngine

/// Rows that arrive as JSON lines, one flat object per row (`{"id":1,"name":"Anna","since":"2021-03-01"}`),
/// parsed straight into typed columns: the values are taken in order, the keys only counted.
struct JSONRows {
    var columns: [ColumnValues]
    private var scratch: [UInt8] = []
    /// Values that did not fit their column's type (read as null).
    private(set) var bad = 0
    /// Bytes held so far, to hold a read to the memory limit.
    private(set) var bytes = 0

    init(types: [DataType], reserve: Int = 0) {
        columns = types.map { ColumnValues(type: $0, reserve: reserve) }
    }

    var rows: Int { columns.first?.count ?? 0 }

    /// Appends one row; false when the line is not a flat object with a value for each column.
    mutating func append(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        var k = 0
        let width = columns.count
        bytes += line.count
        let keys = JSONRows.scan(line, scratch: &scratch) { kind, p, n in
            if k < width, !columns[k].appendText(kind == .null ? nil : p, n, quoted: kind == .string) { bad += 1 }
            k += 1
        }
        // a row cut short is filled with nulls, so the columns stay the same length
        for c in min(k, width)..<width { columns[c].appendNull() }
        return keys != nil && k == width
    }

    /// The keys of a flat object line, in order (nil when it is not one).
    static func keys(_ line: UnsafeBufferPointer<UInt8>) -> [String]? {
        var scratch: [UInt8] = []
        return scan(line, scratch: &scratch) { _, _, _ in }
    }

    /// The text values of a flat object line, in order (nil for a JSON null).
    static func values(_ line: UnsafeBufferPointer<UInt8>) -> [String?]? {
        var scratch: [UInt8] = []
        var out: [String?] = []
        guard scan(line, scratch: &scratch, value: { kind, p, n in
            out.append(kind == .null ? nil : String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self))
        }) != nil else { return nil }
        return out
    }

    enum Kind { case string, null, other }

    /// Walks a flat object, calling `value` with each value's kind and text (a string's
    /// unescaped); returns the keys, or nil when the line is not a flat object.
    static func scan(_ line: UnsafeBufferPointer<UInt8>, scratch: inout [UInt8],
                     value: (Kind, UnsafePointer<UInt8>, Int) -> Void) -> [String]? {
        guard let base = line.baseAddress else { return nil }
        let n = line.count
        var i = 0
        func space() { while i < n, line[i] == 32 || line[i] == 9 || line[i] == 13 { i += 1 } }
        space()
        guard i < n, line[i] == UInt8(ascii: "{") else { return nil }
        i += 1
        var keys: [String] = []
        space()
        if i < n, line[i] == UInt8(ascii: "}") { return keys }
        while true {
            space()
            guard i < n, line[i] == UInt8(ascii: "\""), string(line, &i, into: &scratch) else { return nil }
            keys.append(String(decoding: scratch, as: UTF8.self))
            space()
            guard i < n, line[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            space()
            guard i < n else { return nil }
            if line[i] == UInt8(ascii: "\"") {
                guard string(line, &i, into: &scratch) else { return nil }
                scratch.withUnsafeBufferPointer { value(.string, $0.baseAddress ?? base, $0.count) }
            } else {
                let start = i
                while i < n, line[i] != UInt8(ascii: ","), line[i] != UInt8(ascii: "}"), line[i] != 32 { i += 1 }
                let text = UnsafeBufferPointer(rebasing: line[start..<i])
                guard !text.isEmpty, text.first != UInt8(ascii: "{"), text.first != UInt8(ascii: "[") else { return nil }
                value(text.elementsEqual("null".utf8) ? .null : .other, base + start, i - start)
            }
            space()
            guard i < n else { return nil }
            if line[i] == UInt8(ascii: "}") { return keys }
            guard line[i] == UInt8(ascii: ",") else { return nil }
            i += 1
        }
    }

    /// Reads the string at `i` (its opening quote) into `out`, unescaped; `i` ends after it.
    static func string(_ line: UnsafeBufferPointer<UInt8>, _ i: inout Int, into out: inout [UInt8]) -> Bool {
        out.removeAll(keepingCapacity: true)
        i += 1
        let n = line.count
        while i < n {
            let c = line[i]
            if c == UInt8(ascii: "\"") { i += 1; return true }
            if c != UInt8(ascii: "\\") { out.append(c); i += 1; continue }
            guard i + 1 < n else { return false }
            let e = line[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "b"): out.append(8)
            case UInt8(ascii: "f"): out.append(12)
            case UInt8(ascii: "u"):
                guard var scalar = hex4(line, i) else { return false }
                i += 4
                if (0xD800..<0xDC00).contains(scalar), i + 6 <= n, line[i] == UInt8(ascii: "\\"), line[i + 1] == UInt8(ascii: "u"),
                   let low = hex4(line, i + 2), (0xDC00..<0xE000).contains(low) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
                out += Array(String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8)
            default: out.append(e)
            }
        }
        return false
    }

    static func hex4(_ line: UnsafeBufferPointer<UInt8>, _ at: Int) -> UInt32? {
        guard at + 4 <= line.count else { return nil }
        var v: UInt32 = 0
        for k in at..<(at + 4) {
            let c = line[k]
            switch c {
            case 48...57: v = v * 16 + UInt32(c - 48)
            case 97...102: v = v * 16 + UInt32(c - 87)
            case 65...70: v = v * 16 + UInt32(c - 55)
            default: return nil
            }
        }
        return v
    }
}

extension ColumnValues {
    /// Appends a value given as text (nil for null) in the column's type; false when it does
    /// not read as one (then it is null). `quoted`: it came as a JSON string (a float's
    /// `"NaN"`, `"Infinity"`).
    mutating func appendText(_ p: UnsafePointer<UInt8>?, _ n: Int, quoted: Bool = false) -> Bool {
        guard let p else { appendNull(); return true }
        var ok = true
        switch type {
        case .integer:
            if let v = DateParsing.parseInt(p, n) { ints.append(v) }
            else if let d = DateParsing.parseDouble(p, n), d == d.rounded(), let v = Int64(exactly: d) { ints.append(v) }
            else { ok = false }
        case .float:
            if let v = DateParsing.parseDouble(p, n) ?? ColumnValues.special(p, n) { floats.append(v) } else { ok = false }
        case .boolean:
            if n > 0, p[0] == UInt8(ascii: "t") || p[0] == UInt8(ascii: "f") { bools.append(p[0] == UInt8(ascii: "t")) } else { ok = false }
        case .date:
            if let v = DateParsing.parseDate(p, n, format: .iso) { days.append(Int32(v)) } else { ok = false }
        case .timestamp:
            if let v = DateParsing.parseTimestamp(p, n, format: .iso) { ints.append(v) } else { ok = false }
        case .string:
            codes.append(dictionary.insert(UnsafeRawPointer(p), n))
        }
        if !ok { appendNull(); return false }
        count += 1
        return true
    }

    /// The spellings of the special floats (PostgreSQL's, DuckDB's and Spark's).
    static func special(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double? {
        switch String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self).lowercased() {
        case "nan": return .nan
        case "infinity", "inf": return .infinity
        case "-infinity", "-inf": return -.infinity
        default: return nil
        }
    }
}
