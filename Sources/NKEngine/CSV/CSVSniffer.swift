/// Guesses a CSV file's dialect and column types from a sample: the first rows plus blocks of
/// rows spread evenly over the file (so a column that turns to text late is still seen).
struct CSVSniffer {
    let p: UnsafePointer<UInt8>
    let n: Int
    let options: CSVOptions
    var notes: [String] = []

    static let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")]

    /// A sampled field: where its bytes are (quoted content without the quotes).
    struct Ref { var start: Int; var count: Int; var quoted: Bool; var escaped: Bool }

    mutating func sniff(fileName: String, hasBOM: Bool) throws -> (dialect: CSVDialect, dataStart: Int) {
        let delimiter = options.delimiter ?? detectDelimiter()
        var scratch = Scratch()
        defer { scratch.free() }
        let head = sampleRows(from: 0, limit: max(100, options.sampleRows / 2), delimiter: delimiter, &scratch)
        guard let firstRow = head.rows.first else {
            throw EngineError.invalidInput("the file is empty: it has no header and no rows",
                                           hint: "check the path, or export the data again")
        }
        let width = firstRow.count
        var rows = head.rows
        if n > 4 << 20 {
            // blocks spread over the rest of the file
            let blocks = 20
            for b in 1...blocks {
                let offset = Int(Double(n) * Double(b) / Double(blocks + 1))
                let start = FieldScanner.nextLineStart(p, from: offset, n)
                rows += sampleRows(from: start, limit: max(20, options.sampleRows / 2 / blocks), delimiter: delimiter, &scratch).rows
            }
        }
        let nulls = options.nulls ?? CSVOptions.defaultNulls
        let nullBytes = nulls.map { Array($0.utf8) }
        let body = rows.dropFirst().filter { $0.count == width }
        let decimal = options.decimal ?? detectDecimal(body, delimiter: delimiter, width: width, nullBytes)
        var votes = (0..<width).map { _ in TypeVotes(dateFormat: options.dateFormat) }
        for row in body {
            for (i, f) in row.enumerated() { votes[i].add(f, p, nullBytes, decimal: decimal) }
        }
        // header: the first row is data only if every value fits its column's type and some
        // column is not text; otherwise it names the columns
        var firstVotes = (0..<width).map { _ in TypeVotes(dateFormat: options.dateFormat) }
        for (i, f) in firstRow.enumerated() { firstVotes[i].add(f, p, nullBytes, decimal: decimal) }
        let types = votes.map { $0.decide() }
        let header: Bool
        if let h = options.header {
            header = h
        } else if body.isEmpty {
            header = true
        } else {
            let fits = (0..<width).allSatisfy { i in types[i].type == .string || firstVotes[i].fits(types[i]) }
            header = !(fits && types.contains { $0.type != .string })
        }
        if !header {
            for i in 0..<width { votes[i].add(firstRow[i], p, nullBytes, decimal: decimal) }
        }
        var decided = header ? types : votes.map { $0.decide() }
        var names = header ? headerNames(firstRow, delimiter, &scratch) : (1...width).map { "column_\($0)" }
        names = dedupe(names)
        for (name, type) in options.types {
            guard let i = Table.resolve(name, in: names) else {
                throw EngineError.unknownColumn(name, available: names)
            }
            decided[i] = (type, decided[i].format ?? options.dateFormat ?? (type.isTemporal ? .iso : nil))
        }
        let given = Set(options.types.keys.compactMap { Table.resolve($0, in: names) })
        for i in 0..<width where !given.contains(i) { noteDates(&decided[i], votes[i], name: names[i]) }
        let dialect = CSVDialect(delimiter: delimiter, header: header, decimal: decimal, names: names,
                                 types: decided.map(\.type), dateFormats: decided.map(\.format), nulls: nulls, hasBOM: hasBOM)
        var dataStart = 0
        if header {
            var pos = 0
            for i in 0..<width {
                if FieldScanner.field(p, &pos, n, delimiter, &scratch).count < 0 { break }
                if i < width - 1, pos < n, p[pos] == delimiter { pos += 1 }
            }
            _ = FieldScanner.skipLineBreak(p, &pos, n)
            dataStart = pos
        }
        return (dialect, dataStart)
    }

    /// Two date rules with a note each: a whole-number column whose every value is a valid
    /// `yyyymmdd` date and whose name says date is read as dates; day-first dates that could as
    /// well be month-first (no day above 12) stay day-first, and the note says how to change it.
    mutating func noteDates(_ decided: inout (type: DataType, format: DateFormat?), _ votes: TypeVotes, name: String) {
        if decided.type == .integer, votes.compactDate, options.dateFormat == nil, CSVSniffer.namesDate(name) {
            decided = (.date, .compact)
            notes.append("column \(name) is read as dates (yyyymmdd): every value is one and its name says date; "
                         + "with types (\(name): integer) it stays a number")
        }
        if decided.type == .date, options.dateFormat == nil, votes.ambiguous(decided.format), let format = decided.format, let other = format.swapped {
            notes.append("column \(name): no day is above 12, so the dates could be day-first or month-first; they are read day-first (\(format)); "
                         + "if the month comes first, load with dateformat \"\(other)\"")
        }
    }

    /// Whether a column's name says it holds dates: `date`, `datum`, `…_date`, `…date`, `dt_…`, `date_…`.
    static func namesDate(_ name: String) -> Bool {
        let n = name.lowercased()
        return n.hasSuffix("date") || n.hasSuffix("datum") || n.hasPrefix("dt_") || n.hasPrefix("date_") || n.hasSuffix("_dt")
    }

    /// The candidate that splits the first lines into the most consistent number (> 1) of fields.
    private func detectDelimiter() -> UInt8 {
        var best: (delimiter: UInt8, share: Double, fields: Int)?
        var scratch = Scratch()
        defer { scratch.free() }
        for d in CSVSniffer.candidates {
            let counts = sampleRows(from: 0, limit: 40, delimiter: d, &scratch).rows.map(\.count)
            guard !counts.isEmpty else { continue }
            var frequency: [Int: Int] = [:]
            for c in counts { frequency[c, default: 0] += 1 }
            guard let mode = frequency.max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key < $1.key }), mode.key > 1 else { continue }
            let share = Double(mode.value) / Double(counts.count)
            if best == nil || share > best!.share + 1e-9 || (abs(share - best!.share) < 1e-9 && mode.key > best!.fields) {
                best = (d, share, mode.key)
            }
        }
        return best?.delimiter ?? UInt8(ascii: ",")
    }

    /// German exports write `1.234,56`: comma decimals when some column reads as numbers only
    /// with a comma mark and the delimiter is not a comma.
    private func detectDecimal(_ rows: [[Ref]], delimiter: UInt8, width: Int, _ nulls: [[UInt8]]) -> UInt8 {
        let dot = UInt8(ascii: "."), comma = UInt8(ascii: ",")
        if delimiter == comma { return dot }
        var commaColumns = 0, dotColumns = 0
        for i in 0..<width {
            var dotOK = true, commaOK = true, sawComma = false, sawDot = false, any = false
            for row in rows where i < row.count {
                let f = row[i]
                if f.escaped || TypeVotes.isNull(f, p, nulls) { continue }
                any = true
                let q = p + f.start
                if DateParsing.parseDouble(q, f.count, decimal: dot) == nil { dotOK = false }
                if DateParsing.parseDouble(q, f.count, decimal: comma) == nil { commaOK = false }
                if memchr(q, Int32(comma), f.count) != nil { sawComma = true }
                if memchr(q, Int32(dot), f.count) != nil { sawDot = true }
                if !dotOK && !commaOK { break }
            }
            guard any else { continue }
            if commaOK && sawComma && !dotOK { commaColumns += 1 }
            if dotOK && sawDot && !commaOK { dotColumns += 1 }
        }
        return commaColumns > 0 && dotColumns == 0 ? comma : dot
    }

    /// Up to `limit` rows from `start`, stopping quietly at the first malformed row.
    private func sampleRows(from start: Int, limit: Int, delimiter: UInt8, _ scratch: inout Scratch) -> (rows: [[Ref]], end: Int) {
        var rows: [[Ref]] = []
        var pos = start
        while rows.count < limit, pos < n {
            if p[pos] == FieldScanner.lf || p[pos] == FieldScanner.cr {
                _ = FieldScanner.skipLineBreak(p, &pos, n)  // a blank line
                continue
            }
            var row: [Ref] = []
            while true {
                let before = pos
                let f = FieldScanner.field(p, &pos, n, delimiter, &scratch)
                if f.count < 0 { return (rows, pos) }
                let escaped = f.quoted && f.count != 0 && (f.pointer < p || f.pointer >= p + n)
                let contentStart = f.quoted ? before + 1 : before
                row.append(Ref(start: escaped ? before + 1 : contentStart, count: escaped ? 0 : f.count, quoted: f.quoted, escaped: escaped))
                if pos < n, p[pos] == delimiter { pos += 1; continue }
                break
            }
            _ = FieldScanner.skipLineBreak(p, &pos, n)
            rows.append(row)
        }
        return (rows, pos)
    }

    private func headerNames(_ row: [Ref], _ delimiter: UInt8, _ scratch: inout Scratch) -> [String] {
        var pos = 0
        var names: [String] = []
        for _ in row {
            let f = FieldScanner.field(p, &pos, n, delimiter, &scratch)
            if f.count < 0 { break }
            let text = String(decoding: UnsafeBufferPointer(start: f.pointer, count: f.count), as: UTF8.self)
            names.append(text.trimmingCharacters(in: .whitespaces))
            if pos < n, p[pos] == delimiter { pos += 1 }
        }
        while names.count < row.count { names.append("") }
        return names
    }

    private mutating func dedupe(_ names: [String]) -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        for (i, raw) in names.enumerated() {
            var name = raw
            if name.isEmpty {
                name = "column_\(i + 1)"
                notes.append("column \(i + 1) has no name in the header; it is called \(name)")
            }
            if seen.contains(name) {
                var k = 2
                while seen.contains("\(name)_\(k)") { k += 1 }
                notes.append("the header names \"\(name)\" twice; the later column is called \(name)_\(k)")
                name = "\(name)_\(k)"
            }
            seen.insert(name)
            out.append(name)
        }
        return out
    }
}

import Foundation
