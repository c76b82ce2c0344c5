import NKEngine

/// How one engine spells what nk's plans need: names, literals, division, dates, ordering.
/// One compiler (``SQLCompiler``) writes SQL for every engine through this description.
public struct SQLDialect: Sendable, Equatable {
    public enum Engine: String, Sendable, CaseIterable { case postgresql, duckdb, spark }
    public let engine: Engine

    public static let postgresql = SQLDialect(engine: .postgresql)
    public static let duckdb = SQLDialect(engine: .duckdb)
    public static let spark = SQLDialect(engine: .spark)

    /// The dialect named `postgresql` (or `postgres`), `duckdb` or `spark`.
    public static func named(_ name: String) -> SQLDialect? {
        switch name.lowercased() {
        case "postgresql", "postgres": return .postgresql
        case "duckdb": return .duckdb
        case "spark": return .spark
        default: return nil
        }
    }

    /// A column or table name, quoted. nk's hidden columns (named from \u{1}: a group's size,
    /// an aggregate inside an expression) are spelled `nk_…`.
    public func name(_ raw: String) -> String {
        let n = raw.hasPrefix("\u{1}") ? "nk_" + raw.dropFirst() : raw
        switch engine {
        case .spark: return "`" + n.replacingOccurrences(of: "`", with: "``") + "`"
        case .postgresql, .duckdb: return "\"" + n.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
    }

    /// A text literal (Spark reads backslashes in literals as escapes; its command line would
    /// take a tab for completion, so control characters are written as escapes there).
    public func text(_ s: String) -> String {
        var body = s.replacingOccurrences(of: "'", with: "''")
        if engine == .spark {
            body = s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
                .replacingOccurrences(of: "\t", with: "\\t").replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
        }
        return "'" + body + "'"
    }

    /// The 64-bit float type's name.
    var double: String { engine == .postgresql ? "DOUBLE PRECISION" : "DOUBLE" }

    /// The engine's name of the type nk reads back as `type`.
    func typeName(_ type: DataType) -> String {
        switch type {
        case .integer: return "BIGINT"
        case .float: return double
        case .boolean: return "BOOLEAN"
        case .date: return "DATE"
        case .timestamp: return "TIMESTAMP"
        case .string:
            switch engine {
            case .postgresql: return "TEXT"
            case .duckdb: return "VARCHAR"
            case .spark: return "STRING"
            }
        }
    }

    /// `a / b` as nk divides: always a float, null when `b` is zero.
    func divide(_ a: String, _ b: String) -> String { "CAST(\(a) AS \(double)) / NULLIF(\(b), 0)" }

    /// A date moved by whole days or calendar months (months clamp to the month's end, as nk's).
    func shift(_ date: String, _ interval: Interval) -> String? {
        let months: Int
        switch interval.unit {
        case .years: months = interval.amount * 12
        case .months: months = interval.amount
        case .weeks, .days:
            let days = interval.unit == .weeks ? interval.amount * 7 : interval.amount
            switch engine {
            case .spark: return "date_add(\(date), \(days))"
            case .postgresql: return "(\(date) + \(days))"
            case .duckdb: return "CAST(\(date) + INTERVAL (\(days)) DAY AS DATE)"
            }
        case .hours, .minutes, .seconds: return nil
        }
        switch engine {
        case .spark: return "add_months(\(date), \(months))"
        case .postgresql: return "CAST(\(date) + INTERVAL '\(months) months' AS DATE)"
        case .duckdb: return "CAST(\(date) + INTERVAL (\(months)) MONTH AS DATE)"
        }
    }

    /// A timestamp moved by an interval (calendar units clamp at month ends, as for dates).
    func shiftTimestamp(_ t: String, _ interval: Interval) -> String {
        let amount = interval.amount, unit = interval.unit
        switch engine {
        case .postgresql: return "(\(t) + INTERVAL '\(amount) \(unit.rawValue)')"
        case .duckdb:
            let singular = String(unit.rawValue.dropLast()).uppercased()
            return "(\(t) + INTERVAL (\(amount)) \(singular))"
        case .spark: return "(\(t) + INTERVAL \(amount) \(unit.rawValue.uppercased()))"
        }
    }

    /// An ORDER BY key in nk's order: nulls last in either direction, text by its bytes.
    func orderKey(_ e: String, descending: Bool, isText: Bool) -> String {
        let collated = isText && engine == .postgresql ? "\(e) COLLATE \"C\"" : e
        return collated + (descending ? " DESC" : " ASC") + " NULLS LAST"
    }

    /// Whether purchase days are best counted by grouping rows per customer and day first
    /// (DuckDB, Spark) rather than by `count(DISTINCT day)` per customer (PostgreSQL, whose
    /// two-level grouping of 50 M orders took three times as long).
    var groupsBeforeCounting: Bool { engine != .postgresql }

    /// Whole-number division, rounding towards zero (the operands are whole numbers).
    func wholeDivide(_ a: String, _ b: String) -> String {
        switch engine {
        case .postgresql: return "((\(a)) / (\(b)))"
        case .duckdb: return "((\(a)) // (\(b)))"
        case .spark: return "((\(a)) div (\(b)))"
        }
    }

    /// The days from one date to another, as a whole number.
    func days(from: String, to: String) -> String {
        switch engine {
        case .postgresql: return "CAST(\(to) - \(from) AS BIGINT)"
        case .duckdb: return "datediff('day', \(from), \(to))"
        case .spark: return "CAST(datediff(\(to), \(from)) AS BIGINT)"
        }
    }

    /// The exact quantile q of x, interpolated between neighbours (type 7, as in memory).
    func quantile(_ x: String, _ q: Double) -> String {
        switch engine {
        case .postgresql: return "percentile_cont(\(q)) WITHIN GROUP (ORDER BY \(x))"
        case .duckdb: return "quantile_cont(\(x), \(q))"
        case .spark: return "percentile(\(x), \(q))"
        }
    }

    /// Whether a float is a number and finite (NaN sorts above infinity in all three).
    func finite(_ x: String) -> String {
        "\(x) > CAST('-Infinity' AS \(double)) AND \(x) < CAST('Infinity' AS \(double))"
    }

    /// A subquery's alias.
    func alias(_ depth: Int) -> String { "q\(depth)" }
}
