/// Collects one column's values while a part of a CSV file is parsed. Its buffers are reused
/// wave after wave and must be freed with ``deallocate()``.
struct ColumnBuilder {
    let type: DataType
    let format: DateFormat
    var ints = ValueBuffer<Int64>()
    var floats = ValueBuffer<Double>()
    var bools = ValueBuffer<Bool>()
    var days = ValueBuffer<Int32>()
    var codes = ValueBuffer<Int32>()
    var dictionary = StringDictionaryBuilder()
    /// The codes of short strings met recently (text columns whose values are kept).
    var recent: RecentStrings
    /// Rows (counted from this builder's first row) that are null.
    var nullRows = ValueBuffer<Int32>()
    var count = 0
    /// The last ten-byte date text parsed and its day number: exports are often sorted by date,
    /// so most dates repeat the one before.
    private var lastDateText: (UInt64, UInt16) = (0, 0)
    private var lastDay: Int32 = Int32.min
    /// The first value that did not fit the column's type: byte offset and text.
    var failure: (offset: Int, text: String)?

    static func make(_ plan: ParsePlan, reserve: Int) -> [ColumnBuilder] {
        (0..<plan.width).map { ColumnBuilder(type: plan.types[$0], format: plan.formats[$0], reserve: plan.keep[$0] ? reserve : 0) }
    }

    init(type: DataType, format: DateFormat, reserve: Int = 0) {
        self.type = type
        self.format = format
        recent = RecentStrings(enabled: type == .string)
        switch type {
        case .integer, .timestamp: ints.reserve(reserve)
        case .float: floats.reserve(reserve)
        case .boolean: bools.reserve(reserve)
        case .date: days.reserve(reserve)
        case .string: codes.reserve(reserve)
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

    @inline(__always)
    mutating func appendInt(_ v: Int64) { ints.append(v); count &+= 1 }  // counts rows of one part

    @inline(__always)
    mutating func appendFloat(_ v: Double) { floats.append(v); count &+= 1 }

    /// Appends a text field whose string the column met recently; false, with nothing
    /// appended, when it has not (the field then takes ``append(_:at:_:)``).
    @inline(__always)
    mutating func appendRecentString(_ f: FieldBytes) -> Bool {
        guard let code = recent.code(of: f) else { return false }
        codes.append(code)
        count &+= 1
        return true
    }

    /// Appends a date field whose text is the date before it (exports sorted by date repeat
    /// one date row after row); false, with nothing appended, when it is not.
    @inline(__always)
    mutating func appendRepeatedDate(_ f: FieldBytes) -> Bool {
        guard f.count == 10, lastDay != Int32.min else { return false }
        let raw = UnsafeRawPointer(f.pointer)
        guard raw.loadUnaligned(as: UInt64.self) == lastDateText.0,
              raw.loadUnaligned(fromByteOffset: 8, as: UInt16.self) == lastDateText.1 else { return false }
        days.append(lastDay)
        count &+= 1
        return true
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
            // (the parse loop took a date as the one before with appendRepeatedDate already; the
            // same test here is only repeated work, but without it the load of orders.csv
            // measured 2-3 % slower, the parse loop compiled otherwise, so it stays)
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
            count &+= 1
            if !f.quoted || !plan.isNullSpelling(FieldBytes(pointer: f.pointer, count: f.count, quoted: false)) {
                recent.store(f, code: code)
            }
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
        ints.removeAll()
        floats.removeAll()
        bools.removeAll()
        days.removeAll()
        codes.removeAll()
        dictionary.removeAll()
        recent.removeAll()
        nullRows.removeAll()
        count = 0
        failure = nil
    }

    /// Frees the buffers.
    mutating func deallocate() {
        ints.deallocate()
        floats.deallocate()
        bools.deallocate()
        days.deallocate()
        codes.deallocate()
        recent.deallocate()
        nullRows.deallocate()
    }
}
