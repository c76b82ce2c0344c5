import CLibPQ
import NKEngine

/// A result column of PostgreSQL: its name and type (by the type's oid in `pg_type`), with the
/// nk type it is read as and a note when that loses something.
struct PostgresColumn {
    var name: String
    var oid: Oid
    var modifier: Int32

    enum Kind { case integer, float, numeric, boolean, date, timestamp, timestamptz, text, other(String) }

    /// Built-in type oids (`pg_type.oid`, stable across PostgreSQL versions).
    var type: Kind {
        switch oid {
        case 20, 21, 23, 26: return .integer          // int8, int2, int4, oid
        case 700, 701: return .float                  // float4, float8
        case 1700: return .numeric
        case 16: return .boolean
        case 1082: return .date
        case 1114: return .timestamp
        case 1184: return .timestamptz
        case 25, 1043, 1042, 19, 18: return .text     // text, varchar, char(n), name, "char"
        case 2950: return .other("uuid")
        case 114, 3802: return .other("json")
        case 1083, 1266: return .other("time")
        case 1186: return .other("interval")
        case 790: return .other("money")
        case 17: return .other("bytea")
        default: return .other("type \(oid)")
        }
    }

    /// Whether the type is an array (PostgreSQL names them `_elem`; their oids are listed here
    /// for the common ones).
    var isArray: Bool { [1000, 1005, 1007, 1016, 1009, 1015, 1021, 1022, 1182, 1115, 1185, 1231, 2951].contains(oid) }

    /// The precision of a `numeric(p, s)`, when declared.
    var numericPrecision: Int? { modifier >= 4 ? Int((modifier - 4) >> 16) & 0xFFFF : nil }
}

extension PostgresColumn.Kind {
    var nkType: DataType {
        switch self {
        case .integer: return .integer
        case .float, .numeric: return .float
        case .boolean: return .boolean
        case .date: return .date
        case .timestamp, .timestamptz: return .timestamp
        case .text, .other: return .string
        }
    }
}

extension PostgresColumn {
    /// What the user should know about how the column is read.
    var note: String? {
        if isArray { return "\(name) is an array: read as text" }
        switch type {
        case .numeric:
            if let p = numericPrecision, p <= 15 { return nil }
            return "\(name) is numeric\(numericPrecision.map { "(\($0))" } ?? ""): read as float, exact to about 15 digits"
        case .timestamptz: return "\(name) is a timestamp with time zone: read in UTC"
        case .other(let t): return "\(name) is \(t): read as text"
        default: return nil
        }
    }
}
