/// Calendar arithmetic on the proleptic Gregorian calendar, with dates as days since 1970-01-01.
///
/// The conversions follow Howard Hinnant's `days_from_civil` / `civil_from_days` algorithms,
/// exact for every year representable in `Int`.
public enum CivilDate {
    /// Days since 1970-01-01 of the given calendar day (month 1–12, day 1–31, not validated).
    @inlinable
    public static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The calendar day of a day number (days since 1970-01-01).
    @inlinable
    public static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    @inlinable
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    @inlinable
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Whether the triple names a real calendar day.
    @inlinable
    public static func isValid(year: Int, month: Int, day: Int) -> Bool {
        month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year: year, month: month)
    }

    /// Adds calendar months, clamping to the end of the month: 2024-01-31 + 1 month = 2024-02-29.
    @inlinable
    public static func addMonths(_ days: Int, _ months: Int) -> Int {
        let c = civil(days)
        let total = c.year * 12 + (c.month - 1) + months
        let year = total >= 0 ? total / 12 : (total - 11) / 12
        let month = total - year * 12 + 1
        return Self.days(year: year, month: month, day: min(c.day, daysInMonth(year: year, month: month)))
    }

    /// Day of the week, 1 = Monday … 7 = Sunday (ISO 8601).
    @inlinable
    public static func isoWeekday(_ days: Int) -> Int {
        let w = (days + 3) % 7  // 1970-01-01 was a Thursday
        return (w < 0 ? w + 7 : w) + 1
    }

    /// ISO 8601 text `yyyy-mm-dd` of a day number.
    public static func format(_ days: Int) -> String {
        let c = civil(days)
        return pad4(c.year) + "-" + pad2(c.month) + "-" + pad2(c.day)
    }

    /// ISO 8601 text `yyyy-mm-dd hh:mm:ss[.ffffff]` of microseconds since the epoch.
    public static func formatTimestamp(_ micros: Int64) -> String {
        let perDay: Int64 = 86_400_000_000
        var day = micros / perDay
        var rest = micros % perDay
        if rest < 0 { rest += perDay; day -= 1 }
        let secs = rest / 1_000_000
        let frac = rest % 1_000_000
        var text = format(Int(day)) + " " + pad2(Int(secs / 3600)) + ":" + pad2(Int(secs / 60 % 60)) + ":" + pad2(Int(secs % 60))
        if frac != 0 {
            var digits = String(frac)
            digits = String(repeating: "0", count: 6 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text
    }

    /// Parses `yyyy-mm-dd`; nil when the text is not a valid ISO date.
    public static func parseISO(_ text: String) -> Int? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buf in
            DateParsing.parseDate(buf.baseAddress!, buf.count, format: .iso)
        }
    }

    private static func pad2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    private static func pad4(_ v: Int) -> String {
        if v < 0 { return "-" + pad4(-v) }
        let s = String(v)
        return s.count >= 4 ? s : String(repeating: "0", count: 4 - s.count) + s
    }
}
