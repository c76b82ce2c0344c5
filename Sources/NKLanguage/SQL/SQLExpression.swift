import Foundation
import NKEngine

/// Writes nk expressions as SQL over the columns of `schema`, with nk's meaning kept: division
/// gives a float and null for a zero divisor, `!=` is `<>`, dates move by calendar months. An
/// expression SQL cannot say the same way is an error naming what cannot be pushed.
struct SQLExpressionWriter {
    let dialect: SQLDialect
    let schema: Schema
    /// What `today()` and `now()` are in this session (set today = … fixes them).
    var context = ExecutionContext()

    struct CannotPush: Error {
        var what: String
        var sourceRef: Int?
    }

    func type(_ e: Expr) -> DataType? { try? schema.bind(e).type }

    /// `round` (half away from zero, as in memory) and `trim` (spaces, tabs, line breaks), or
    /// nil when the arguments cannot be written.
    func roundOrTrim(_ name: String, _ arguments: [Expr], _ args: [String]) -> String? {
        switch ScalarFunction(name: name) {
        case .round?:
            // half away from zero, as in memory (engines differ on ties of doubles)
            var digits: Int64 = 0
            if arguments.count > 1 {
                guard let d = Self.wholeNumber(arguments[1]) else { return nil }
                digits = d
            }
            if type(arguments[0]) == .integer {
                guard digits >= 0 else { return nil }
                return args[0]
            }
            guard (-15...15).contains(digits) else { return nil }
            let scale = "CAST(1e\(digits) AS \(dialect.double))"
            var whole = "floor(abs(\(args[0])) * \(scale) + 0.5)"
            if dialect.engine == .spark { whole = "CAST(\(whole) AS DOUBLE)" }
            return "(sign(\(args[0])) * \(whole) / \(scale))"
        case .trim?:
            // the whitespace nk trims: spaces, tabs and line breaks
            switch dialect.engine {
            case .postgresql: return "btrim(\(args[0]), E' \\t\\n\\r\\f\\013')"
            case .duckdb: return "trim(\(args[0]), ' ' || chr(9) || chr(10) || chr(13) || chr(12) || chr(11))"
            case .spark: return "trim(BOTH concat(' ', chr(9), chr(10), chr(13), chr(12), chr(11)) FROM \(args[0]))"
            }
        default: return nil
        }
    }

    /// A whole-number constant as written (`2`, `-1`), or nil.
    static func wholeNumber(_ e: Expr) -> Int64? {
        switch e {
        case .located(let inner, _): return wholeNumber(inner)
        case .literal(.integer(let d)): return d
        case .unary(.negate, let inner): return wholeNumber(inner).map { 0 - $0 }
        default: return nil
        }
    }

    /// The type of a null that nk folds the expression to (`null + 1`, `-null`), or nil.
    func foldedNull(_ e: Expr) -> DataType? {
        guard let bound = try? schema.bind(e), bound.isNullLiteral else { return nil }
        return bound.type
    }

    /// An expression as a whole value (a column of a select, a key): a null nk folds it to is
    /// written with nk's type, which the engine cannot guess from a bare NULL.
    func writeWhole(_ e: Expr) throws -> String {
        if let type = foldedNull(e) { return "CAST(NULL AS \(dialect.typeName(type)))" }
        return try write(e)
    }

    func write(_ e: Expr) throws -> String {
        // inside an expression a folded null is a bare NULL, which takes its type from where it
        // stands as the null does in memory (`coalesce(region, null + 1)` is text)
        if case .literal = e.unlocated {} else if foldedNull(e) != nil { return "NULL" }
        switch e {
        case .located(let inner, let ref):
            do { return try write(inner) } catch var c as CannotPush {
                if c.sourceRef == nil { c.sourceRef = ref }
                throw c
            }
        case .column(let n):
            guard let i = schema.index(of: n) else { throw CannotPush(what: "the column \(n)") }
            return dialect.name(schema.fields[i].name)
        case .literal(let v): return try literal(v)
        case .unary(.negate, let a): return "(-\(try write(a)))"
        case .unary(.not, let a): return "(NOT \(try write(a)))"
        case .binary(let op, let a, let b): return try binary(op, a, b)
        case .isNull(let a): return "(\(try write(a)) IS NULL)"
        case .inList(let a, let items): return "(\(try write(a)) IN (\(try items.map(write).joined(separator: ", "))))"
        case .between(let a, let lo, let hi): return "(\(try write(a)) BETWEEN \(try write(lo)) AND \(try write(hi)))"
        case .shift(let a, let interval):
            if type(a) == .timestamp { return dialect.shiftTimestamp(try write(a), interval) }
            guard type(a) == .date, let shifted = dialect.shift(try write(a), interval) else {
                throw CannotPush(what: "moving a date by \(interval)")
            }
            return shifted
        case .conditional(let whens, let other):
            let branches = try whens.map { "WHEN \(try write($0.condition)) THEN \(try write($0.result))" }.joined(separator: " ")
            return "(CASE \(branches)\(try other.map { " ELSE \(try write($0))" } ?? "") END)"
        case .call(let name, let arguments): return try call(name, arguments)
        }
    }

    func literal(_ v: Value) throws -> String {
        switch v {
        case .null: return "NULL"
        case .integer(let i): return "CAST(\(i) AS BIGINT)"
        case .float(let d):
            guard d.isFinite else { throw CannotPush(what: "the number \(d)") }
            return "CAST(\(d) AS \(dialect.double))"
        case .boolean(let b): return b ? "TRUE" : "FALSE"
        case .string(let s): return dialect.text(s)
        case .date: return "DATE '\(v.description)'"
        case .timestamp: return "TIMESTAMP '\(v.description)'"
        }
    }

    func binary(_ op: BinaryOperator, _ a: Expr, _ b: Expr) throws -> String {
        let x = try write(a), y = try write(b)
        switch op {
        case .divide: return "(\(dialect.divide(x, y)))"
        case .modulo:
            guard type(a) == .integer, type(b) == .integer else { throw CannotPush(what: "% of fractional numbers") }
            return "(\(x) % NULLIF(\(y), 0))"
        case .add where type(a) == .date && type(b) == .integer, .subtract where type(a) == .date && type(b) == .integer:
            // days added to a date: the engines add a 32-bit integer to a date, not a 64-bit one
            return daysAdded(op, to: x, y)
        case .add where type(a) == .integer && type(b) == .date:
            // (and not to a whole number: the date comes first)
            return daysAdded(op, to: y, x)
        case .subtract where type(a) == .date && type(b) == .date:
            return dialect.engine == .postgresql ? "CAST(\(x) - \(y) AS BIGINT)" : "datediff(\(dialect.engine == .duckdb ? "'day', \(y), \(x)" : "\(x), \(y)"))"
        case .notEqual: return "(\(x) <> \(y))"
        case .and: return "(\(x) AND \(y))"
        case .or: return "(\(x) OR \(y))"
        default: return "(\(x) \(op.rawValue) \(y))"
        }
    }

    /// Whole days added to or taken from a date.
    func daysAdded(_ op: BinaryOperator, to date: String, _ days: String) -> String {
        if dialect.engine == .spark { return "\(op == .add ? "date_add" : "date_sub")(\(date), CAST(\(days) AS INT))" }
        return "CAST(\(date) \(op.rawValue) CAST(\(days) AS INTEGER) AS DATE)"
    }

    /// The functions with the same meaning in every engine; others cannot be pushed yet.
    func call(_ name: String, _ arguments: [Expr]) throws -> String {
        let args = try arguments.map(write)
        switch ScalarFunction(name: name) {
        case .lower?, .upper?:
            // nk maps case by Unicode's full rules (ß becomes SS), whatever the database's locale:
            // PostgreSQL through ICU's root locale, DuckDB's capital sharp s spelled out, Spark's
            // (Java's) rules are the full ones already
            let f = ScalarFunction(name: name) == .upper ? "upper" : "lower"
            switch dialect.engine {
            case .postgresql: return "\(f)(\(args[0]) COLLATE \"und-x-icu\")"
            case .duckdb: return f == "upper" ? "replace(upper(\(args[0])), 'ẞ', 'SS')" : "lower(\(args[0]))"
            case .spark: return "\(f)(\(args[0]))"
            }
        case .length?: return "CAST(char_length(\(args[0])) AS BIGINT)"
        case .abs?: return "abs(\(args[0]))"
        case .coalesce?: return "coalesce(\(args.joined(separator: ", ")))"
        case .nullif?: return "nullif(\(args[0]), \(args[1]))"
        case .year?, .month?, .day?, .quarter?:
            guard type(arguments[0])?.isTemporal == true else { break }
            return "CAST(EXTRACT(\(name.uppercased()) FROM \(args[0])) AS BIGINT)"
        case .weekday?, .dayOfYear?:
            // ISO weekdays, Monday 1 to Sunday 7; days of the year from 1
            guard type(arguments[0])?.isTemporal == true else { break }
            let isWeekday = ScalarFunction(name: name) == .weekday
            switch dialect.engine {
            case .postgresql: return "CAST(EXTRACT(\(isWeekday ? "ISODOW" : "DOY") FROM \(args[0])) AS BIGINT)"
            case .duckdb: return "CAST(\(isWeekday ? "isodow" : "dayofyear")(\(args[0])) AS BIGINT)"
            case .spark: return isWeekday ? "CAST((dayofweek(\(args[0])) + 5) % 7 + 1 AS BIGINT)" : "CAST(dayofyear(\(args[0])) AS BIGINT)"
            }
        case .hour?, .minute?, .second?:
            guard type(arguments[0]) == .timestamp else { break }
            // whole seconds, as in memory
            return "CAST(floor(EXTRACT(\(name.uppercased()) FROM \(args[0]))) AS BIGINT)"
        case .date? where arguments.count == 1 && type(arguments[0]) == .timestamp:
            return "CAST(\(args[0]) AS DATE)"
        case .timestamp? where arguments.count == 1 && type(arguments[0]) == .date:
            return "CAST(\(args[0]) AS TIMESTAMP)"
        case .floor?, .ceil?:
            // a whole number stays as it is; a float rounds to a float
            if type(arguments[0]) == .integer { return args[0] }
            // Spark's floor and ceil of a double are bigints
            return dialect.engine == .spark ? "CAST(\(name.lowercased())(\(args[0])) AS DOUBLE)" : "\(name.lowercased())(\(args[0]))"
        case .round?, .trim?:
            if let sql = roundOrTrim(name, arguments, args) { return sql }
        case .sqrt?: return "(CASE WHEN \(args[0]) >= 0 THEN sqrt(CAST(\(args[0]) AS \(dialect.double))) END)"
        case .ln?: return "(CASE WHEN \(args[0]) > 0 THEN ln(CAST(\(args[0]) AS \(dialect.double))) END)"
        case .contains?:
            switch dialect.engine {
            case .postgresql: return "(strpos(\(args[0]), \(args[1])) > 0)"
            case .duckdb: return "contains(\(args[0]), \(args[1]))"
            case .spark: return "(instr(\(args[0]), \(args[1])) > 0 OR \(args[1]) = '')"
            }
        case .startsWith?:
            return dialect.engine == .spark ? "startswith(\(args[0]), \(args[1]))" : "starts_with(\(args[0]), \(args[1]))"
        case .endsWith?:
            switch dialect.engine {
            case .postgresql: return "(right(\(args[0]), char_length(\(args[1]))) = \(args[1]))"
            case .duckdb: return "ends_with(\(args[0]), \(args[1]))"
            case .spark: return "endswith(\(args[0]), \(args[1]))"
            }
        case .daysBetween?:
            guard let a = type(arguments[0]), let b = type(arguments[1]), a.isTemporal, b.isTemporal else { break }
            let from = "CAST(\(args[0]) AS DATE)", to = "CAST(\(args[1]) AS DATE)"
            switch dialect.engine {
            case .postgresql: return "CAST(\(to) - \(from) AS BIGINT)"
            case .duckdb: return "datediff('day', \(from), \(to))"
            case .spark: return "CAST(datediff(\(to), \(from)) AS BIGINT)"
            }
        case .concat? where arguments.allSatisfy({ type($0) == .string }):
            // nulls are skipped, as nk's concat does (`a || b`, null when either is, is lowered to a case around it)
            return dialect.engine == .spark ? "concat_ws('', \(args.joined(separator: ", ")))" : "concat(\(args.joined(separator: ", ")))"
        case .replace?: return "replace(\(args[0]), \(args[1]), \(args[2]))"
        case .today?: return "DATE '\(CivilDate.format(Int(context.today)))'"
        default: break
        }
        throw CannotPush(what: "the function \(name)")
    }
}
