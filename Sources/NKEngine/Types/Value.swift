/// One scalar value: a literal in an expression, a cell read for display, an aggregate's result.
///
/// Hot loops never box rows into `Value`; it exists at the edges (literals, printing, tests).
public enum Value: Sendable, Hashable, CustomStringConvertible {
    case null
    case integer(Int64)
    case float(Double)
    case boolean(Bool)
    /// Days since 1970-01-01.
    case date(Int32)
    /// Microseconds since 1970-01-01T00:00:00.
    case timestamp(Int64)
    case string(String)

    /// The type of a non-null value; nil for null.
    public var type: DataType? {
        switch self {
        case .null: return nil
        case .integer: return .integer
        case .float: return .float
        case .boolean: return .boolean
        case .date: return .date
        case .timestamp: return .timestamp
        case .string: return .string
        }
    }

    public var isNull: Bool { if case .null = self { return true } else { return false } }

    /// The value as a Double when it is a number.
    public var doubleValue: Double? {
        switch self {
        case .integer(let v): return Double(v)
        case .float(let v): return v
        default: return nil
        }
    }

    /// Plain text of the value as CSV and the shell print it (null is the empty string).
    public var description: String {
        switch self {
        case .null: return ""
        case .integer(let v): return String(v)
        case .float(let v): return Value.formatFloat(v)
        case .boolean(let v): return v ? "true" : "false"
        case .date(let d): return CivilDate.format(Int(d))
        case .timestamp(let t): return CivilDate.formatTimestamp(t)
        case .string(let s): return s
        }
    }

    /// An integer with thousands separators, for prose: 1234567 → "1,234,567".
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// Shortest text that reads back as the same Double; whole numbers without `.0`
    /// up to 2^53 are still printed with `.0` removed only when exact.
    public static func formatFloat(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v < 0 ? "-inf" : "inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }
}
