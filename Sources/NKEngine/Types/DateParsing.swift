#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parsers for values written as text, working on raw UTF-8 bytes (the CSV reader's hot path).
public enum DateParsing {
    /// Parses a date in `format`; returns days since 1970-01-01 or nil.
    @inlinable
    public static func parseDate(_ p: UnsafePointer<UInt8>, _ n: Int, format: DateFormat) -> Int? {
        var i = 0
        @inline(__always) func number(_ minDigits: Int, _ maxDigits: Int) -> Int? {
            var v = 0, d = 0
            while i < n, d < maxDigits {
                let c = p[i] &- 48
                if c > 9 { break }
                v = v * 10 + Int(c); d += 1; i += 1
            }
            return d >= minDigits ? v : nil
        }
        // without a separator every part has its full width: 19970101, 01011997
        let compact = format.separator == 0
        let short = compact ? 2 : 1
        @inline(__always) func sep() -> Bool {
            if compact { return true }
            if i < n, p[i] == format.separator { i += 1; return true }
            return false
        }
        let y, m, d: Int
        switch format.order {
        case .ymd:
            guard let a = number(4, 4), sep(), let b = number(short, 2), sep(), let c = number(short, 2) else { return nil }
            (y, m, d) = (a, b, c)
        case .dmy:
            guard let a = number(short, 2), sep(), let b = number(short, 2), sep(), let c = number(4, 4) else { return nil }
            (y, m, d) = (c, b, a)
        case .mdy:
            guard let a = number(short, 2), sep(), let b = number(short, 2), sep(), let c = number(4, 4) else { return nil }
            (y, m, d) = (c, a, b)
        }
        guard i == n, CivilDate.isValid(year: y, month: m, day: d) else { return nil }
        return CivilDate.days(year: y, month: m, day: d)
    }

    /// Parses `<date>[ T]hh:mm[:ss[.ffffff]][Z|±hh:mm]`; returns microseconds since the epoch.
    public static func parseTimestamp(_ p: UnsafePointer<UInt8>, _ n: Int, format: DateFormat) -> Int64? {
        var split = -1
        for i in 0..<n where p[i] == UInt8(ascii: " ") || p[i] == UInt8(ascii: "T") { split = i; break }
        guard split > 0, let day = parseDate(p, split, format: format) else { return nil }
        var i = split + 1
        @inline(__always) func two() -> Int? {
            guard i + 2 <= n else { return nil }
            let a = p[i] &- 48, b = p[i + 1] &- 48
            guard a <= 9, b <= 9 else { return nil }
            i += 2
            return Int(a) * 10 + Int(b)
        }
        guard let hh = two(), i < n, p[i] == UInt8(ascii: ":") else { return nil }
        i += 1
        guard let mm = two() else { return nil }
        var ss = 0, micros = 0
        if i < n, p[i] == UInt8(ascii: ":") {
            i += 1
            guard let s = two() else { return nil }
            ss = s
            if i < n, p[i] == UInt8(ascii: ".") || p[i] == UInt8(ascii: ",") {
                i += 1
                var digits = 0
                while i < n, p[i] &- 48 <= 9 {
                    if digits < 6 { micros = micros * 10 + Int(p[i] &- 48); digits += 1 }
                    i += 1
                }
                guard digits > 0 else { return nil }
                for _ in digits..<6 { micros *= 10 }
            }
        }
        var offsetMinutes = 0
        if i < n, p[i] == UInt8(ascii: "Z") { i += 1 }
        else if i < n, p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") {
            let sign = p[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let oh = two() else { return nil }
            if i < n, p[i] == UInt8(ascii: ":") { i += 1 }
            let om = two() ?? 0
            offsetMinutes = sign * (oh * 60 + om)
        }
        guard i == n, hh < 24, mm < 60, ss < 61 else { return nil }
        let seconds = Int64(day) * 86_400 + Int64(hh * 3600 + mm * 60 + ss) - Int64(offsetMinutes * 60)
        return seconds * 1_000_000 + Int64(micros)
    }

    /// Parses an optionally signed decimal integer that fits Int64.
    @inlinable
    public static func parseInt(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int64? {
        guard n > 0 else { return nil }
        var i = 0
        var negative = false
        if p[0] == UInt8(ascii: "-") || p[0] == UInt8(ascii: "+") { negative = p[0] == UInt8(ascii: "-"); i = 1 }
        guard i < n, n - i <= 19 else { return n - i > 19 ? parseLongInt(p, n) : nil }
        var v: Int64 = 0
        while i < n {
            let c = p[i] &- 48
            if c > 9 { return nil }
            v = v &* 10 &+ Int64(c)
            i += 1
        }
        if v < 0 { return negative && v == Int64.min ? v : nil }
        return negative ? -v : v
    }

    @usableFromInline
    static func parseLongInt(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int64? {
        // more than 19 digits never fits unless written with leading zeros
        var i = 0
        var negative = false
        if p[0] == UInt8(ascii: "-") || p[0] == UInt8(ascii: "+") { negative = p[0] == UInt8(ascii: "-"); i = 1 }
        var v: Int64 = 0
        while i < n {
            let c = p[i] &- 48
            if c > 9 { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int64(c))
            if o1 || o2 { return nil }
            v = s
            i += 1
        }
        return negative ? -v : v
    }

    /// 10^k for k in 0...22, all exact in a Double (a switch, not a global table: no lazy
    /// initialisation check in the hot loop).
    @inlinable @inline(__always)
    static func powerOfTen(_ k: Int) -> Double {
        switch k {
        case 0: return 1
        case 1: return 1e1
        case 2: return 1e2
        case 3: return 1e3
        case 4: return 1e4
        case 5: return 1e5
        case 6: return 1e6
        case 7: return 1e7
        case 8: return 1e8
        case 9: return 1e9
        case 10: return 1e10
        case 11: return 1e11
        case 12: return 1e12
        case 13: return 1e13
        case 14: return 1e14
        case 15: return 1e15
        case 16: return 1e16
        case 17: return 1e17
        case 18: return 1e18
        case 19: return 1e19
        case 20: return 1e20
        case 21: return 1e21
        default: return 1e22
        }
    }

    /// Parses a decimal number with `decimal` as the decimal mark (`.` or `,`); with a comma mark,
    /// `.` may group thousands (`1.234,56`). Exponents (`1e-3`) are accepted with a `.` mark.
    /// Exact (correctly rounded) for up to 15 significant digits; longer numbers use `strtod`.
    @inlinable
    public static func parseDouble(_ p: UnsafePointer<UInt8>, _ n: Int, decimal: UInt8 = UInt8(ascii: ".")) -> Double? {
        // fast path: [-]digits[<mark>digits] with at most 15 significant digits
        var i = 0
        var negative = false
        if n > 0, p[0] == UInt8(ascii: "-") { negative = true; i = 1 }
        var mantissa: UInt64 = 0
        let intStart = i
        while i < n, p[i] &- 48 <= 9 { mantissa = mantissa &* 10 &+ UInt64(p[i] &- 48); i += 1 }
        let intDigits = i - intStart
        var fraction = 0
        if i < n, p[i] == decimal {
            i += 1
            let fracStart = i
            while i < n, p[i] &- 48 <= 9 { mantissa = mantissa &* 10 &+ UInt64(p[i] &- 48); i += 1 }
            fraction = i - fracStart
            if fraction == 0 && intDigits == 0 { return nil }
        }
        if i == n, intDigits > 0 || fraction > 0, intDigits + fraction <= 15 {
            let v = Double(mantissa) / powerOfTen(fraction)
            return negative ? -v : v
        }
        return parseDoubleGeneral(p, n, decimal: decimal)
    }

    @usableFromInline
    static func parseDoubleGeneral(_ p: UnsafePointer<UInt8>, _ n: Int, decimal: UInt8) -> Double? {
        guard n > 0 else { return nil }
        var i = 0
        var negative = false
        if p[0] == UInt8(ascii: "-") || p[0] == UInt8(ascii: "+") { negative = p[0] == UInt8(ascii: "-"); i = 1 }
        var mantissa: UInt64 = 0
        var digits = 0, fraction = 0, intDigits = 0
        var seenMark = false
        let grouping: UInt8 = decimal == UInt8(ascii: ",") ? UInt8(ascii: ".") : 0
        var lastGroup = -1
        while i < n {
            let c = p[i]
            let d = c &- 48
            if d <= 9 {
                if mantissa != 0 || d != 0 { digits += 1 }
                if digits <= 19 { mantissa = mantissa &* 10 &+ UInt64(d) } else if !seenMark { fraction -= 1 }
                if seenMark { if digits <= 19 { fraction += 1 } } else { intDigits += 1 }
            } else if c == decimal, !seenMark {
                if lastGroup >= 0, i - lastGroup != 4 { return nil }
                seenMark = true
            } else if c == grouping, grouping != 0, !seenMark, intDigits > 0, lastGroup < 0 || i - lastGroup == 4 {
                if lastGroup < 0, intDigits > 3 { return nil }
                lastGroup = i
            } else if (c == UInt8(ascii: "e") || c == UInt8(ascii: "E")), decimal == UInt8(ascii: "."), intDigits + fraction > 0 || seenMark {
                return slowDouble(p, n, decimal: decimal)
            } else {
                return nil
            }
            i += 1
        }
        if intDigits == 0 && !seenMark { return nil }
        if intDigits == 0 && fraction == 0 { return nil }
        if lastGroup >= 0, !seenMark, n - lastGroup != 4 { return nil }
        if digits > 15 || fraction > 22 || fraction < 0 { return slowDouble(p, n, decimal: decimal) }
        let v = Double(mantissa) / powerOfTen(fraction)
        return negative ? -v : v
    }

    @usableFromInline
    static func slowDouble(_ p: UnsafePointer<UInt8>, _ n: Int, decimal: UInt8) -> Double? {
        var text = [CChar]()
        text.reserveCapacity(n + 1)
        for i in 0..<n {
            let c = p[i]
            if c == decimal { text.append(CChar(UInt8(ascii: "."))) }
            else if decimal == UInt8(ascii: ","), c == UInt8(ascii: ".") { continue }
            else { text.append(CChar(bitPattern: c)) }
        }
        text.append(0)
        return text.withUnsafeBufferPointer { buf -> Double? in
            var end: UnsafeMutablePointer<CChar>?
            let v = strtod(buf.baseAddress!, &end)
            guard let end, end - UnsafeMutablePointer(mutating: buf.baseAddress!) == buf.count - 1, v.isFinite else { return nil }
            return v
        }
    }

    /// `true` / `false`, any letter case.
    @inlinable
    public static func parseBool(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool? {
        if n == 4, p[0] | 0x20 == UInt8(ascii: "t"), p[1] | 0x20 == UInt8(ascii: "r"), p[2] | 0x20 == UInt8(ascii: "u"), p[3] | 0x20 == UInt8(ascii: "e") { return true }
        if n == 5, p[0] | 0x20 == UInt8(ascii: "f"), p[1] | 0x20 == UInt8(ascii: "a"), p[2] | 0x20 == UInt8(ascii: "l"), p[3] | 0x20 == UInt8(ascii: "s"), p[4] | 0x20 == UInt8(ascii: "e") { return false }
        return nil
    }
}
