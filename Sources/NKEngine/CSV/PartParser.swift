/// The result of parsing one stretch of a CSV file (its values are in the builders passed in).
struct PartResult {
    var rows: Int
    /// Offset just after the last row read (where the next part must start).
    var end: Int
    var problem: ProblemAt?
    /// The part holds a NUL byte and was not parsed (the reader then says where).
    var hasNUL = false
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
        let direct = directKinds(plan)
        let keep = plan.keep
        // the per-column flags are read through buffers: `column < width` is tested before
        // each read, so the array's own bounds check would only repeat it in the inner loop
        direct.withUnsafeBufferPointer { direct in keep.withUnsafeBufferPointer { keep in
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
                    // plain numbers are converted while they are scanned: one pass, no call
                    if column < width, direct[column] == 1 || direct[column] == 2,
                       PartParser.directNumber(p, &pos, end, delimiter, floats: direct[column] == 2, into: &b[column]) {
                        column &+= 1
                        if pos < end, p[pos] == delimiter { pos &+= 1; continue }
                        break
                    }
                    let f = FieldScanner.field(p, &pos, end, delimiter, &scratch)
                    if f.count < 0 {
                        problem = ProblemAt(f.count == FieldBytes.unterminatedQuote ? .unterminatedQuote : .textAfterQuote,
                                            f.count == FieldBytes.unterminatedQuote ? fieldStart : pos)
                        break rowLoop
                    }
                    // a text seen lately, a date as the row before: no call into the builder
                    if column < width, keep[column],
                       direct[column] == 3 ? !b[column].appendRecentString(f)
                                           : direct[column] != 4 || !b[column].appendRepeatedDate(f) {
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
        } }
        return PartResult(rows: rows, end: pos, problem: problem)
    }

    /// How each column's fields are converted: 1 integer, 2 float with a decimal point (both
    /// read while scanned), 3 text, 4 date (each first compared with what the column met
    /// lately), 0 the general path (also for columns not kept).
    static func directKinds(_ plan: ParsePlan) -> [UInt8] {
        plan.types.indices.map { c in
            guard plan.keep[c] else { return 0 }
            switch plan.types[c] {
            case .integer: return 1
            case .float: return plan.decimal == UInt8(ascii: ".") ? 2 : 0
            case .string: return 3
            case .date: return 4
            default: return 0
            }
        }
    }

    /// Reads `[-]digits` (integers) or `[-]digits[.digits]` with at most 15 digits (floats)
    /// ending at a delimiter, a line break or the end, and appends the value. Returns false,
    /// with `pos` unchanged, for anything else (quotes, blanks, exponents, nulls, long numbers),
    /// which then takes the general path.
    ///
    /// Offsets step with `&+`: each is below `end`, so they cannot overflow, and the checked
    /// form kept this loop from being inlined into the parse loop (W1 took 1.34 s with
    /// unchecked builds, 1.84 s with checked steps here, see docs/PERFORMANCE.md).
    @inline(__always)
    static func directNumber(_ p: UnsafePointer<UInt8>, _ pos: inout Int, _ end: Int, _ delimiter: UInt8,
                             floats: Bool, into builder: inout ColumnBuilder) -> Bool {
        var i = pos
        var negative = false
        if i < end, p[i] == UInt8(ascii: "-") { negative = true; i &+= 1 }
        var mantissa: UInt64 = 0
        let digitsStart = i
        while i < end {
            let d = p[i] &- 48
            if d > 9 { break }
            mantissa = mantissa &* 10 &+ UInt64(d)
            i &+= 1
        }
        var digits = i &- digitsStart
        var fraction = 0
        if floats, i < end, p[i] == UInt8(ascii: ".") {
            i &+= 1
            let fractionStart = i
            while i < end {
                let d = p[i] &- 48
                if d > 9 { break }
                mantissa = mantissa &* 10 &+ UInt64(d)
                i &+= 1
            }
            fraction = i &- fractionStart
            digits &+= fraction
        }
        // at most 15 (floats) or 18 (whole numbers) digits: the wrapping mantissa above never
        // wrapped for a value that is kept
        guard digits > 0, digits <= (floats ? 15 : 18) else { return false }
        if i < end {
            let c = p[i]
            guard c == delimiter || c == FieldScanner.lf || c == FieldScanner.cr else { return false }
        }
        if floats {
            let v = Double(mantissa) / DateParsing.powerOfTen(fraction)
            builder.appendFloat(negative ? -v : v)
        } else {
            let v = Int64(truncatingIfNeeded: mantissa)
            builder.appendInt(negative ? 0 &- v : v)
        }
        pos = i
        return true
    }
}
