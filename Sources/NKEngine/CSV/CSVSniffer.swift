/// Guesses a CSV file's dialect and column types from a sample: the first rows plus blocks of
/// rows spread evenly over the file (so a column that turns to text late is still seen).
struct CSVSniffer {
    let p: UnsafePointer<UInt8>
    let n: Int
    let options: CSVOptions
    var notes: [String] = []

    static let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")]

    /// A sampled field: where its bytes are (quoted content without the quotes).
    struct Ref {
        var start: Int
        private var length: Int32
        var quoted: Bool
        var escaped: Bool
        var count: Int { Int(length) }
        init(start: Int, count: Int, quoted: Bool, escaped: Bool) {
            // a sampled field longer than 2 GB is read as far as 2 GB
            self.start = start; length = Int32(clamping: count); self.quoted = quoted; self.escaped = escaped
        }
    }

    mutating func sniff(fileName: String, hasBOM: Bool) throws -> (dialect: CSVDialect, dataStart: Int) {
        let delimiter = options.delimiter ?? detectDelimiter()
        var scratch = Scratch()
        defer { scratch.free() }
        let sample = gatherSample(delimiter: delimiter, &scratch)
        guard sample.rowCount > 0 else {
            throw EngineError.invalidInput("the file is empty: it has no header and no rows",
                                           hint: "check the path, or export the data again")
        }
        let firstRow = Array(sample.row(0))
        let width = firstRow.count
        let nulls = options.nulls ?? CSVOptions.defaultNulls
        let nullBytes = nulls.map { Array($0.utf8) }
        // the rows after the first with as many fields as it
        let body = (1..<max(1, sample.rowCount)).filter { sample.starts[$0 + 1] - sample.starts[$0] == width }.map { sample.starts[$0] }
        let decimal = options.decimal ?? detectDecimal(sample.fields, body, width: width, delimiter: delimiter, nullBytes)
        var votes = vote(sample, body, width: width, nullBytes, decimal: decimal)
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

    /// The first rows, and for a file above 4 MB blocks of rows spread over the rest.
    private func gatherSample(delimiter: UInt8, _ scratch: inout Scratch) -> Sample {
        var sample = Sample()
        let headRows = max(100, options.sampleRows / 2)
        // room for every sampled field at once, guessed from the first line's delimiters
        let firstLine = memchr(p, 10, n).map { p.distance(to: $0.assumingMemoryBound(to: UInt8.self)) } ?? n
        let guessedWidth = 1 + (0..<min(firstLine, 1 << 16)).reduce(0) { $0 + (p[$1] == delimiter ? 1 : 0) }
        sample.fields.reserveCapacity(min(guessedWidth, 1_000) * min(options.sampleRows + headRows, n / max(1, firstLine) + 100))
        sampleRows(from: 0, limit: headRows, delimiter: delimiter, into: &sample, &scratch)
        guard sample.rowCount > 0, n > 4 << 20 else { return sample }
        let blocks = 20
        for b in 1...blocks {
            let offset = Int(Double(n) * Double(b) / Double(blocks + 1))
            let start = FieldScanner.nextLineStart(p, from: offset, n)
            sampleRows(from: start, limit: max(20, options.sampleRows / 2 / blocks), delimiter: delimiter, into: &sample, &scratch)
        }
        return sample
    }

    /// Each column's votes over the rows that start at `body`, each column on its own core.
    private func vote(_ sample: Sample, _ body: [Int], width: Int, _ nullBytes: [[UInt8]], decimal: UInt8) -> [TypeVotes] {
        var votes = (0..<width).map { _ in TypeVotes(dateFormat: options.dateFormat) }
        let base = p
        sample.fields.withUnsafeBufferPointer { fields in
            votes.withUnsafeMutableBufferPointer { v in
                let target = UncheckedBox(v)
                Parallel.forEach(width, minimumWork: fields.count) { i in
                    for start in body { target.value[i].add(fields[start + i], base, nullBytes, decimal: decimal) }
                }
            }
        }
        return votes
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
            var sample = Sample()
            sampleRows(from: 0, limit: 40, delimiter: d, into: &sample, &scratch)
            let counts = (0..<sample.rowCount).map { sample.starts[$0 + 1] - sample.starts[$0] }
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
    private func detectDecimal(_ fields: [Ref], _ body: [Int], width: Int, delimiter: UInt8, _ nulls: [[UInt8]]) -> UInt8 {
        let dot = UInt8(ascii: "."), comma = UInt8(ascii: ",")
        if delimiter == comma { return dot }
        // per column: still reads with a dot / with a comma, saw a comma / a dot, saw a value
        var dotOK = [Bool](repeating: true, count: width), commaOK = dotOK
        var sawComma = [Bool](repeating: false, count: width), sawDot = sawComma, any = sawComma
        var open = width
        for start in body where open > 0 {
            for i in 0..<width where dotOK[i] || commaOK[i] {
                let f = fields[start + i]
                if f.escaped || TypeVotes.isNull(f, p, nulls) { continue }
                any[i] = true
                let q = p + f.start
                var hasComma = false, hasDot = false
                for k in 0..<f.count {
                    if q[k] == comma { hasComma = true } else if q[k] == dot { hasDot = true }
                }
                if !hasComma && !hasDot {
                    // without a mark both readings are the same number
                    if DateParsing.parseDouble(q, f.count, decimal: dot) == nil { dotOK[i] = false; commaOK[i] = false }
                } else {
                    if DateParsing.parseDouble(q, f.count, decimal: dot) == nil { dotOK[i] = false }
                    if DateParsing.parseDouble(q, f.count, decimal: comma) == nil { commaOK[i] = false }
                }
                sawComma[i] = sawComma[i] || hasComma
                sawDot[i] = sawDot[i] || hasDot
                if !dotOK[i] && !commaOK[i] { open -= 1 }
            }
        }
        var commaColumns = 0, dotColumns = 0
        for i in 0..<width where any[i] {
            if commaOK[i] && sawComma[i] && !dotOK[i] { commaColumns += 1 }
            if dotOK[i] && sawDot[i] && !commaOK[i] { dotColumns += 1 }
        }
        return commaColumns > 0 && dotColumns == 0 ? comma : dot
    }

    /// Sampled rows, their fields one after another.
    struct Sample {
        var fields: [Ref] = []
        /// Where each row's fields start in `fields`, and one past the last row's.
        var starts: [Int] = [0]
        var rowCount: Int { starts.count - 1 }
        func row(_ i: Int) -> ArraySlice<Ref> { fields[starts[i]..<starts[i + 1]] }
    }

    /// Up to `limit` rows from `start`, stopping quietly at the first malformed row.
    @discardableResult
    private func sampleRows(from start: Int, limit: Int, delimiter: UInt8, into sample: inout Sample, _ scratch: inout Scratch) -> Int {
        var pos = start
        var taken = 0
        while taken < limit, pos < n {
            if p[pos] == FieldScanner.lf || p[pos] == FieldScanner.cr {
                _ = FieldScanner.skipLineBreak(p, &pos, n)  // a blank line
                continue
            }
            let rowStart = sample.fields.count
            while true {
                let before = pos
                let f = FieldScanner.field(p, &pos, n, delimiter, &scratch)
                if f.count < 0 {
                    sample.fields.removeSubrange(rowStart...)
                    return taken
                }
                let escaped = f.quoted && f.count != 0 && (f.pointer < p || f.pointer >= p + n)
                let contentStart = f.quoted ? before + 1 : before
                sample.fields.append(Ref(start: escaped ? before + 1 : contentStart, count: escaped ? 0 : f.count, quoted: f.quoted, escaped: escaped))
                if pos < n, p[pos] == delimiter { pos += 1; continue }
                break
            }
            _ = FieldScanner.skipLineBreak(p, &pos, n)
            sample.starts.append(sample.fields.count)
            taken += 1
        }
        return taken
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
