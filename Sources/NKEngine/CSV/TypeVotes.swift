/// Which types every sampled value of a column could be read as.
struct TypeVotes {
    var values = 0
    var boolean = true
    var integer = true
    var float = true
    /// Per format of ``DateFormat/sniffed``.
    var dates = [Bool](repeating: true, count: DateFormat.sniffed.count)
    var timestamps = [Bool](repeating: true, count: DateFormat.sniffed.count)
    /// Per format of ``DateFormat/sniffed``: every value also reads with day and month swapped
    /// (no day above 12), so the order cannot be told from the data.
    var swappable = [Bool](repeating: true, count: DateFormat.sniffed.count)
    /// Every value is a valid `yyyymmdd` date (as a whole number, 8 digits).
    var compactDate = true
    /// Numbers with leading zeros (postcodes, article numbers) stay text so no digit is lost.
    var leadingZero = false
    /// The date format the user gave, and whether every value fits it.
    let fixedFormat: DateFormat?
    var fixedDate = true
    /// Some value fits no type but text: later values cannot change the decision.
    private(set) var settled = false

    init(dateFormat: DateFormat? = nil) { fixedFormat = dateFormat }

    static func isNull(_ f: CSVSniffer.Ref, _ p: UnsafePointer<UInt8>, _ nulls: [[UInt8]]) -> Bool {
        if f.quoted { return false }
        for spelling in nulls where spelling.count == f.count {
            if f.count == 0 || ParsePlan.same(spelling, p + f.start) { return true }
        }
        return false
    }

    mutating func add(_ f: CSVSniffer.Ref, _ p: UnsafePointer<UInt8>, _ nulls: [[UInt8]], decimal: UInt8) {
        if settled { return }
        if TypeVotes.isNull(f, p, nulls) { return }
        if f.escaped {
            values += 1
            boolean = false; integer = false; float = false
            dates = dates.map { _ in false }; timestamps = timestamps.map { _ in false }
            fixedDate = false; compactDate = false
            settled = true
            return
        }
        defer {
            settled = !boolean && !integer && !float && !(fixedFormat != nil && fixedDate) && !compactDate
                && !dates.contains(true) && !timestamps.contains(true)
        }
        var q = p + f.start
        var count = f.count
        // blank-only or padded values: numbers may be padded with spaces
        while count > 0, q[0] == 32 { q += 1; count -= 1 }
        while count > 0, q[count - 1] == 32 { count -= 1 }
        if count == 0 { return }
        values += 1
        if boolean, DateParsing.parseBool(q, count) == nil { boolean = false }
        let digitsStart = (q[0] == UInt8(ascii: "-") || q[0] == UInt8(ascii: "+")) ? 1 : 0
        if count - digitsStart > 1, q[digitsStart] == UInt8(ascii: "0"), q[digitsStart + 1] != decimal { leadingZero = true }
        if integer, DateParsing.parseInt(q, count) == nil { integer = false }
        if float, DateParsing.parseDouble(q, count, decimal: decimal) == nil { float = false }
        if fixedDate, let f = fixedFormat, DateParsing.parseDate(q, count, format: f) == nil { fixedDate = false }
        if compactDate, count != 8 || DateParsing.parseDate(q, count, format: .compact) == nil { compactDate = false }
        for (k, format) in DateFormat.sniffed.enumerated() {
            if dates[k], DateParsing.parseDate(q, count, format: format) == nil { dates[k] = false }
            if dates[k], swappable[k], let other = format.swapped, DateParsing.parseDate(q, count, format: other) == nil { swappable[k] = false }
            if timestamps[k], DateParsing.parseTimestamp(q, count, format: format) == nil, DateParsing.parseDate(q, count, format: format) == nil { timestamps[k] = false }
        }
    }

    /// The narrowest type all values fit, with the date format where it applies.
    func decide() -> (type: DataType, format: DateFormat?) {
        if values == 0 { return (.string, nil) }
        if boolean { return (.boolean, nil) }
        if leadingZero && (integer || float) { return (.string, nil) }
        // a given format without separators reads whole numbers as dates
        if let fixed = fixedFormat, fixed.separator == 0, fixedDate { return (.date, fixed) }
        if integer { return (.integer, nil) }
        if float { return (.float, nil) }
        if let fixed = fixedFormat, fixedDate { return (.date, fixed) }
        if let k = dates.firstIndex(of: true) { return (.date, DateFormat.sniffed[k]) }
        if let k = timestamps.firstIndex(of: true) { return (.timestamp, DateFormat.sniffed[k]) }
        return (.string, nil)
    }

    /// Whether the column's day-first dates could as well be month-first (every day ≤ 12).
    func ambiguous(_ format: DateFormat?) -> Bool {
        guard values > 0, let format, format.swapped != nil, let k = DateFormat.sniffed.firstIndex(of: format) else { return false }
        return dates[k] && swappable[k]
    }

    /// Whether the (single) value recorded here fits the decided type.
    func fits(_ decided: (type: DataType, format: DateFormat?)) -> Bool {
        if values == 0 { return true }
        switch decided.type {
        case .string: return true
        case .boolean: return boolean
        case .integer: return integer && !leadingZero
        case .float: return float && !leadingZero
        case .date: return decided.format.flatMap { DateFormat.sniffed.firstIndex(of: $0) }.map { dates[$0] } ?? dates.contains(true)
        case .timestamp: return decided.format.flatMap { DateFormat.sniffed.firstIndex(of: $0) }.map { timestamps[$0] } ?? timestamps.contains(true)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
