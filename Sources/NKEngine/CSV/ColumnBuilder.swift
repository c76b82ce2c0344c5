#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the parser needs to know about the columns: types, formats, null spellings.
struct ParsePlan {
    var delimiter: UInt8
    var decimal: UInt8
    var types: [DataType]
    var formats: [DateFormat]
    var nulls: [[UInt8]]
    var width: Int { types.count }

    /// Whether an unquoted field is one of the null spellings.
    @inline(__always)
    func isNullSpelling(_ f: FieldBytes) -> Bool {
        if f.quoted { return false }
        if f.count == 0 { return true }
        for s in nulls where s.count == f.count {
            if s.withUnsafeBufferPointer({ memcmp($0.baseAddress!, f.pointer, f.count) == 0 }) { return true }
        }
        return false
    }
}

/// Collects one column's values while a part of a CSV file is parsed.
struct ColumnBuilder {
    let type: DataType
    let format: DateFormat
    var ints: [Int64] = []
    var floats: [Double] = []
    var bools: [Bool] = []
    var days: [Int32] = []
    var codes: [Int32] = []
    var dictionary = StringDictionaryBuilder()
    /// Rows (counted from this builder's first row) that are null.
    var nullRows: [Int32] = []
    var count = 0
    /// The last ten-byte date text parsed and its day number: exports are often sorted by date,
    /// so most dates repeat the one before.
    private var lastDateText: (UInt64, UInt16) = (0, 0)
    private var lastDay: Int32 = Int32.min
    /// The first value that did not fit the column's type: byte offset and text.
    var failure: (offset: Int, text: String)?

    static func make(_ plan: ParsePlan, reserve: Int) -> [ColumnBuilder] {
        (0..<plan.width).map { ColumnBuilder(type: plan.types[$0], format: plan.formats[$0], reserve: reserve) }
    }

    init(type: DataType, format: DateFormat, reserve: Int = 0) {
        self.type = type
        self.format = format
        switch type {
        case .integer, .timestamp: ints.reserveCapacity(reserve)
        case .float: floats.reserveCapacity(reserve)
        case .boolean: bools.reserveCapacity(reserve)
        case .date: days.reserveCapacity(reserve)
        case .string: codes.reserveCapacity(reserve)
        }
    }

    @inline(__always)
    private mutating func appendPlaceholder() {
        switch type {
        case .integer, .timestamp: ints.append(0)
        case .float: floats.append(0)
        case .boolean: bools.append(false)
        case .date: days.append(0)
        case .string: codes.append(0)
        }
    }

    @inline(__always)
    private mutating func appendNull() {
        nullRows.append(Int32(truncatingIfNeeded: count))
        appendPlaceholder()
        count += 1
    }

    /// Appends one field; returns -1, or the offset of bytes that are not UTF-8.
    @inline(__always)
    mutating func append(_ f: FieldBytes, at offset: Int, _ plan: ParsePlan) -> Int {
        if f.count == 0 && (!f.quoted || type != .string) { appendNull(); return -1 }
        switch type {
        case .integer:
            if let v = DateParsing.parseInt(f.pointer, f.count) { ints.append(v); count += 1; return -1 }
        case .float:
            if let v = DateParsing.parseDouble(f.pointer, f.count, decimal: plan.decimal) { floats.append(v); count += 1; return -1 }
        case .date:
            if f.count == 10 {
                let raw = UnsafeRawPointer(f.pointer)
                let text = (raw.loadUnaligned(as: UInt64.self), raw.loadUnaligned(fromByteOffset: 8, as: UInt16.self))
                if text == lastDateText, lastDay != Int32.min { days.append(lastDay); count += 1; return -1 }
                if let v = DateParsing.parseDate(f.pointer, f.count, format: format) {
                    lastDateText = text
                    lastDay = Int32(v)
                    days.append(lastDay); count += 1; return -1
                }
            } else if let v = DateParsing.parseDate(f.pointer, f.count, format: format) { days.append(Int32(v)); count += 1; return -1 }
        case .timestamp:
            if let v = DateParsing.parseTimestamp(f.pointer, f.count, format: format) { ints.append(v); count += 1; return -1 }
            if let d = DateParsing.parseDate(f.pointer, f.count, format: format) { ints.append(Int64(d) * 86_400_000_000); count += 1; return -1 }
        case .boolean:
            if let v = DateParsing.parseBool(f.pointer, f.count) { bools.append(v); count += 1; return -1 }
        case .string:
            if plan.isNullSpelling(f) { appendNull(); return -1 }
            let before = dictionary.count
            let code = dictionary.insert(UnsafeRawPointer(f.pointer), f.count)
            if dictionary.count != before, let bad = UTF8Validation.firstInvalid(f.pointer, f.count) {
                return offset + (f.quoted ? 1 : 0) + bad
            }
            codes.append(code)
            count += 1
            return -1
        }
        appendUnparsed(f, offset, plan)
        return -1
    }

    /// A field that did not parse as the column's type: a null spelling, a padded value, or a
    /// failure to report (the reader then widens the column or names the line).
    private mutating func appendUnparsed(_ f: FieldBytes, _ offset: Int, _ plan: ParsePlan) {
        if plan.isNullSpelling(f) { appendNull(); return }
        var p = f.pointer, n = f.count
        while n > 0, p[0] == 32 || p[0] == 9 { p += 1; n -= 1 }
        while n > 0, p[n - 1] == 32 || p[n - 1] == 9 { n -= 1 }
        if n == 0 { appendNull(); return }
        if n != f.count {
            // a padded value: parse it again without its blanks (which appends a value, or
            // records the failure and appends a null)
            _ = append(FieldBytes(pointer: p, count: n, quoted: f.quoted), at: offset + (p - f.pointer), plan)
            return
        }
        if failure == nil {
            failure = (offset, String(decoding: UnsafeBufferPointer(start: f.pointer, count: f.count), as: UTF8.self))
        }
        appendNull()
    }

    /// Empties the builder, keeping its memory for the next wave.
    mutating func reset() {
        ints.removeAll(keepingCapacity: true)
        floats.removeAll(keepingCapacity: true)
        bools.removeAll(keepingCapacity: true)
        days.removeAll(keepingCapacity: true)
        codes.removeAll(keepingCapacity: true)
        dictionary.removeAll()
        nullRows.removeAll(keepingCapacity: true)
        count = 0
        failure = nil
    }

    /// Appends a later part's values, re-encoding its text codes into this dictionary.
    mutating func append(contentsOf part: ColumnBuilder) {
        let base = Int32(truncatingIfNeeded: count)
        nullRows.append(contentsOf: part.nullRows.map { $0 &+ base })
        switch type {
        case .integer, .timestamp: ints.append(contentsOf: part.ints)
        case .float: floats.append(contentsOf: part.floats)
        case .boolean: bools.append(contentsOf: part.bools)
        case .date: days.append(contentsOf: part.days)
        case .string:
            let local = part.dictionary
            var remap = [Int32](repeating: 0, count: local.count)
            local.bytes.withUnsafeBufferPointer { arena in
                for c in 0..<local.count {
                    let lo = local.offsets[c]
                    remap[c] = dictionary.insert(UnsafeRawPointer(arena.baseAddress ?? UnsafePointer(bitPattern: 1)!) + lo, local.offsets[c + 1] - lo)
                }
            }
            if remap.enumerated().allSatisfy({ $0.offset == Int($0.element) }) {
                codes.append(contentsOf: part.codes)
            } else {
                remap.withUnsafeBufferPointer { r in codes.append(contentsOf: part.codes.lazy.map { r[Int($0)] }) }
            }
        }
        count += part.count
        if failure == nil { failure = part.failure }
    }

    /// The finished column.
    func build() -> Column {
        var validity: Validity?
        if !nullRows.isEmpty {
            var v = Validity(count: count, allValid: true)
            for r in nullRows { v.set(Int(r), false) }
            validity = v
        }
        switch type {
        case .integer: return Column(.integer(ints), validity: validity)
        case .timestamp: return Column(.timestamp(ints), validity: validity)
        case .float: return Column(.float(floats), validity: validity)
        case .boolean: return Column(.boolean(bools), validity: validity)
        case .date: return Column(.date(days), validity: validity)
        case .string: return Column(.string(codes, dictionary.build()), validity: validity)
        }
    }
}

/// The result of parsing one stretch of a CSV file (its values are in the builders passed in).
struct PartResult {
    var rows: Int
    /// Offset just after the last row read (where the next part must start).
    var end: Int
    var problem: ProblemAt?
}

enum PartParser {
    /// Parses rows that start before `limit` (the last one may run past it), from `start`.
    static func parse(_ p: UnsafePointer<UInt8>, start: Int, limit: Int, end: Int, plan: ParsePlan,
                      into builders: inout [ColumnBuilder]) -> PartResult {
        for i in builders.indices { builders[i].reset() }
        var scratch = Scratch()
        defer { scratch.free() }
        var pos = start
        var rows = 0
        var problem: ProblemAt?
        let width = plan.width
        let delimiter = plan.delimiter
        builders.withUnsafeMutableBufferPointer { b in
            rowLoop: while pos < limit {
                let c = p[pos]
                if c == FieldScanner.lf || c == FieldScanner.cr {
                    _ = FieldScanner.skipLineBreak(p, &pos, end)
                    continue
                }
                let rowStart = pos
                var column = 0
                while true {
                    let fieldStart = pos
                    let f = FieldScanner.field(p, &pos, end, delimiter, &scratch)
                    if f.count < 0 {
                        problem = ProblemAt(f.count == FieldBytes.unterminatedQuote ? .unterminatedQuote : .textAfterQuote,
                                            f.count == FieldBytes.unterminatedQuote ? fieldStart : pos)
                        break rowLoop
                    }
                    if column < width {
                        let bad = b[column].append(f, at: fieldStart, plan)
                        if bad >= 0 {
                            problem = ProblemAt(.invalidUTF8, bad)
                            break rowLoop
                        }
                    }
                    column += 1
                    if pos < end, p[pos] == delimiter { pos += 1; continue }
                    break
                }
                if column != width {
                    problem = ProblemAt(column < width ? .tooFewFields(found: column) : .tooManyFields, rowStart)
                    break
                }
                _ = FieldScanner.skipLineBreak(p, &pos, end)
                rows += 1
            }
        }
        return PartResult(rows: rows, end: pos, problem: problem)
    }
}
