/// A calendar or clock interval: `12 months`, `90 days`, `2 years`.
public struct Interval: Sendable, Hashable, CustomStringConvertible {
    public enum Unit: String, Sendable, Hashable, CaseIterable {
        case seconds, minutes, hours, days, weeks, months, years
    }
    public var amount: Int
    public var unit: Unit
    public init(_ amount: Int, _ unit: Unit) { self.amount = amount; self.unit = unit }

    public var negated: Interval { Interval(-amount, unit) }
    public var description: String { "\(amount) \(unit.rawValue)" }

    /// Whether the interval counts calendar months (months and years), which clamp at month ends.
    public var isCalendar: Bool { unit == .months || unit == .years }

    /// Microseconds of a clock interval (seconds … weeks).
    var micros: Int64 {
        let s: Int64
        switch unit {
        case .seconds: s = 1
        case .minutes: s = 60
        case .hours: s = 3_600
        case .days: s = 86_400
        case .weeks: s = 604_800
        case .months, .years: s = 0
        }
        return Int64(amount) * s * 1_000_000
    }

    /// Applies the interval to a day number: months clamp to the month's last day.
    public func add(toDay day: Int) -> Int {
        switch unit {
        case .years: return CivilDate.addMonths(day, amount * 12)
        case .months: return CivilDate.addMonths(day, amount)
        case .weeks: return day + amount * 7
        case .days: return day + amount
        case .hours, .minutes, .seconds: return day + Int(micros / 86_400_000_000)
        }
    }
}

public enum UnaryOperator: String, Sendable, Hashable { case negate = "-", not }

public enum BinaryOperator: String, Sendable, Hashable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", modulo = "%"
    case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case and, or

    public var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: return true
        default: return false
        }
    }
    public var isArithmetic: Bool {
        switch self {
        case .add, .subtract, .multiply, .divide, .modulo: return true
        default: return false
        }
    }
}

/// One `when … then …` branch of a conditional.
public struct WhenClause: Sendable, Hashable {
    public var condition: Expr
    public var result: Expr
    public init(_ condition: Expr, _ result: Expr) { self.condition = condition; self.result = result }
}

/// A scalar expression over the columns of a table, as the language hands it to the engine.
///
/// Names are resolved and types checked by ``Table/bind(_:context:)``; evaluation works on
/// chunks of rows (see ``Evaluator``).
public indirect enum Expr: Sendable, Hashable {
    case column(String)
    case literal(Value)
    case unary(UnaryOperator, Expr)
    case binary(BinaryOperator, Expr, Expr)
    /// `x is null`.
    case isNull(Expr)
    /// `x in (a, b, …)`, with SQL's null semantics.
    case inList(Expr, [Expr])
    /// `x between lo and hi` (both ends included).
    case between(Expr, Expr, Expr)
    /// `x + interval` for dates and timestamps (a negative amount subtracts).
    case shift(Expr, Interval)
    /// A scalar function call by name (see ``ScalarFunction``).
    case call(String, [Expr])
    /// `case when … then … [else …] end`.
    case conditional([WhenClause], Expr?)
    /// An expression tagged with a reference to where it was written; errors in it carry the
    /// reference (see ``EngineError/sourceRef``). The innermost tag around a failure wins.
    case located(Expr, sourceRef: Int)

    // Conveniences for building expressions in Swift.
    public static func col(_ name: String) -> Expr { .column(name) }
    public static func lit(_ v: Int) -> Expr { .literal(.integer(Int64(v))) }
    public static func lit(_ v: Double) -> Expr { .literal(.float(v)) }
    public static func lit(_ v: String) -> Expr { .literal(.string(v)) }
    public static func lit(_ v: Bool) -> Expr { .literal(.boolean(v)) }
    public static func == (a: Expr, b: Expr) -> Expr { .binary(.equal, a, b) }
    public static func != (a: Expr, b: Expr) -> Expr { .binary(.notEqual, a, b) }
    public static func < (a: Expr, b: Expr) -> Expr { .binary(.less, a, b) }
    public static func <= (a: Expr, b: Expr) -> Expr { .binary(.lessOrEqual, a, b) }
    public static func > (a: Expr, b: Expr) -> Expr { .binary(.greater, a, b) }
    public static func >= (a: Expr, b: Expr) -> Expr { .binary(.greaterOrEqual, a, b) }
    public static func && (a: Expr, b: Expr) -> Expr { .binary(.and, a, b) }
    public static func || (a: Expr, b: Expr) -> Expr { .binary(.or, a, b) }
    public static func + (a: Expr, b: Expr) -> Expr { .binary(.add, a, b) }
    public static func - (a: Expr, b: Expr) -> Expr { .binary(.subtract, a, b) }
    public static func * (a: Expr, b: Expr) -> Expr { .binary(.multiply, a, b) }
    public static func / (a: Expr, b: Expr) -> Expr { .binary(.divide, a, b) }
    public static prefix func ! (a: Expr) -> Expr { .unary(.not, a) }

    /// The expression without its outermost source tags.
    public var unlocated: Expr {
        if case .located(let e, _) = self { return e.unlocated }
        return self
    }

    /// A short, readable rendering used to name derived columns (`sum(revenue)`).
    public var displayName: String {
        switch self {
        case .column(let n): return n
        case .literal(let v):
            if case .string(let s) = v { return "\"\(s)\"" }
            return v.isNull ? "null" : v.description
        case .unary(.negate, let e): return "-" + e.displayName
        case .unary(.not, let e): return "not " + e.displayName
        case .binary(let op, let a, let b): return "\(a.displayName) \(op.rawValue) \(b.displayName)"
        case .isNull(let e): return "\(e.displayName) is null"
        case .inList(let e, let items): return "\(e.displayName) in (\(items.map(\.displayName).joined(separator: ", ")))"
        case .between(let e, let lo, let hi): return "\(e.displayName) between \(lo.displayName) and \(hi.displayName)"
        case .shift(let e, let i): return i.amount < 0 ? "\(e.displayName) - \(i.negated)" : "\(e.displayName) + \(i)"
        case .call(let f, let args): return "\(f)(\(args.map(\.displayName).joined(separator: ", ")))"
        case .conditional: return "case"
        case .located(let e, _): return e.displayName
        }
    }

    /// The column names the expression reads.
    public var columnNames: [String] {
        switch self {
        case .column(let n): return [n]
        case .literal: return []
        case .unary(_, let e), .isNull(let e), .shift(let e, _): return e.columnNames
        case .binary(_, let a, let b): return a.columnNames + b.columnNames
        case .inList(let e, let items): return e.columnNames + items.flatMap(\.columnNames)
        case .between(let e, let lo, let hi): return e.columnNames + lo.columnNames + hi.columnNames
        case .call(_, let args): return args.flatMap(\.columnNames)
        case .conditional(let whens, let other):
            return whens.flatMap { $0.condition.columnNames + $0.result.columnNames } + (other?.columnNames ?? [])
        case .located(let e, _): return e.columnNames
        }
    }
}
