/// The scalar functions expressions can call, with their arity and result type rules.
public enum ScalarFunction: String, Sendable, CaseIterable {
    // strings (evaluated once per distinct value of a dictionary column)
    case lower, upper, trim, length, contains, startsWith = "starts_with", endsWith = "ends_with"
    // repairing text: parts, replacements, joins, padding
    case substring, left, right, replace, splitPart = "split_part", concat, padLeft = "pad_left"
    // dates and timestamps
    case year, month, day, quarter, weekday, dayOfYear = "day_of_year", hour, minute, second
    case date, timestamp, today, now, daysBetween = "days_between"
    // numbers
    case abs, round, floor, ceil, sqrt, ln, exp, pow
    // nulls and conditions
    case coalesce, nullif
    case `if`
    // conversions
    case integer, float, string

    /// Whether the function is null wherever its first argument is: every one but those that
    /// choose among nulls (`coalesce`, `nullif`, `if`) and those that write a null as text
    /// (`string`, `concat`). `today` and `now` take no argument.
    public var isNullOnNullFirstArgument: Bool {
        switch self {
        case .coalesce, .nullif, .if, .string, .concat, .today, .now: return false
        default: return true
        }
    }

    /// Finds a function by the name a user typed (case-insensitive; `startswith` too).
    public init?(name: String) {
        let n = name.lowercased()
        if let f = ScalarFunction(rawValue: n) { self = f; return }
        switch n {
        case "startswith": self = .startsWith
        case "endswith": self = .endsWith
        case "len": self = .length
        case "dayofyear", "doy": self = .dayOfYear
        case "datediff", "date_diff", "daysbetween": self = .daysBetween
        case "dow", "day_of_week": self = .weekday
        case "int": self = .integer
        case "double": self = .float
        case "text": self = .string
        case "substr": self = .substring
        case "lpad": self = .padLeft
        default: return nil
        }
    }

    /// Allowed argument counts.
    public var arity: ClosedRange<Int> {
        switch self {
        case .today, .now: return 0...0
        case .contains, .startsWith, .endsWith, .pow, .nullif, .daysBetween, .left, .right: return 2...2
        case .round, .date, .timestamp: return 1...2
        case .substring, .padLeft: return 2...3
        case .replace, .splitPart: return 3...3
        case .coalesce, .concat: return 1...64
        case .if: return 3...3
        default: return 1...1
        }
    }

    /// A one-line signature for help texts and error hints.
    public var signature: String {
        switch self {
        case .lower, .upper, .trim: return "\(rawValue)(text) → text"
        case .length: return "length(text) → integer"
        case .contains, .startsWith, .endsWith: return "\(rawValue)(text, part) → boolean"
        case .year, .month, .day, .quarter, .weekday, .dayOfYear: return "\(rawValue)(date) → integer"
        case .hour, .minute, .second: return "\(rawValue)(timestamp) → integer"
        case .date: return "date(timestamp or text[, format]) → date; with a format, text or a yyyymmdd number"
        case .timestamp: return "timestamp(text or date[, format]) → timestamp"
        case .substring: return "substring(text, start[, length]) → text, counting characters from 1"
        case .left, .right: return "\(rawValue)(text, n) → the first (last) n characters"
        case .replace: return "replace(text, from, to) → text with every from replaced"
        case .splitPart: return "split_part(text, separator, n) → the n-th part (from the end when negative)"
        case .concat: return "concat(x, y, …) → text, nulls skipped; x || y gives null when either is"
        case .padLeft: return "pad_left(x, width[, fill]) → text filled on the left to width (default fill a space)"
        case .today: return "today() → date"
        case .now: return "now() → timestamp"
        case .daysBetween: return "days_between(start, end) → integer days from start to end"
        case .abs: return "abs(number) → number"
        case .round: return "round(number[, digits]) → number"
        case .floor, .ceil: return "\(rawValue)(number) → float"
        case .sqrt, .ln, .exp: return "\(rawValue)(number) → float"
        case .pow: return "pow(base, exponent) → float"
        case .coalesce: return "coalesce(x, y, …) → first non-null"
        case .nullif: return "nullif(x, y) → null where x = y"
        case .if: return "if(condition, then, else)"
        case .integer: return "integer(x) → integer"
        case .float: return "float(x) → float"
        case .string: return "string(x) → text"
        }
    }
}
