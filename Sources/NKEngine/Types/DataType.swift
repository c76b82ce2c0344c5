/// The logical type of a column or an expression.
///
/// Physical storage (see ``ColumnStorage``): `integer` is `Int64`, `float` is `Double`,
/// `boolean` is `Bool`, `date` is `Int32` days since 1970-01-01, `timestamp` is `Int64`
/// microseconds since 1970-01-01T00:00:00 (no time zone), `string` is dictionary-encoded
/// (`Int32` codes into a ``StringDictionary``).
public enum DataType: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case integer
    case float
    case boolean
    case date
    case timestamp
    case string

    public var description: String { rawValue }

    /// The type with its article, for messages: "an integer", "a date".
    public var withArticle: String { (self == .integer ? "an " : "a ") + rawValue }

    /// Whether values of this type are numbers (integer or float).
    public var isNumeric: Bool { self == .integer || self == .float }

    /// Whether values of this type are points in time (date or timestamp).
    public var isTemporal: Bool { self == .date || self == .timestamp }

    /// Parses a type name as users write it (`int`, `integer`, `float`, `double`, `bool`, `text`, ...).
    public init?(name: String) {
        switch name.lowercased() {
        case "int", "integer", "int64", "bigint": self = .integer
        case "float", "double", "real", "number", "decimal", "numeric": self = .float
        case "bool", "boolean": self = .boolean
        case "date": self = .date
        case "timestamp", "datetime": self = .timestamp
        case "string", "text", "str", "varchar": self = .string
        default: return nil
        }
    }

    /// The type both operands are promoted to in arithmetic or comparison, if any.
    public static func common(_ a: DataType, _ b: DataType) -> DataType? {
        if a == b { return a }
        switch (a, b) {
        case (.integer, .float), (.float, .integer): return .float
        case (.date, .timestamp), (.timestamp, .date): return .timestamp
        default: return nil
        }
    }
}
