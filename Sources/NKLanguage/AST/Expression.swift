import NKEngine

/// A name as written, with where.
public struct Identifier: Sendable {
    public var name: String
    public var span: SourceSpan
}

/// An expression as written, every node with its span.
public struct Expression: Sendable {
    public indirect enum Kind: Sendable {
        case column(String)
        case literal(Value)
        /// `90 days`, `12 months`: only meaningful added to or subtracted from a date.
        case duration(Interval)
        case unary(UnaryOperator, Expression)
        case binary(BinaryOperator, Expression, Expression, operatorSpan: SourceSpan)
        /// `a || b`: the texts joined; null when either is null.
        case concatenation(Expression, Expression, operatorSpan: SourceSpan)
        case isNull(Expression, negated: Bool)
        case inList(Expression, [Expression], negated: Bool)
        case between(Expression, Expression, Expression, negated: Bool)
        /// `x contains y`, `x starts with y`, `x ends with y`.
        case textMatch(ScalarFunction, Expression, Expression, negated: Bool)
        /// `f(args)`; `count(distinct x)` sets `distinct`, `count(*)` has no arguments.
        case call(Identifier, [Expression], distinct: Bool)
        case conditional([WhenBranch], Expression?)
    }

    public struct WhenBranch: Sendable {
        public var condition: Expression
        public var result: Expression
    }

    public var kind: Kind
    public var span: SourceSpan

    /// The names of the columns the expression reads.
    public var columnNames: [String] {
        switch kind {
        case .column(let n): return [n]
        case .literal, .duration: return []
        case .unary(_, let e), .isNull(let e, _): return e.columnNames
        case .binary(_, let a, let b, _), .textMatch(_, let a, let b, _), .concatenation(let a, let b, _): return a.columnNames + b.columnNames
        case .inList(let e, let items, _): return e.columnNames + items.flatMap(\.columnNames)
        case .between(let e, let lo, let hi, _): return e.columnNames + lo.columnNames + hi.columnNames
        case .call(_, let args, _): return args.flatMap(\.columnNames)
        case .conditional(let branches, let other):
            return branches.flatMap { $0.condition.columnNames + $0.result.columnNames } + (other?.columnNames ?? [])
        }
    }

    public init(_ kind: Kind, _ span: SourceSpan) {
        self.kind = kind
        self.span = span
    }

    /// The expression with every node for which `replace` returns a replacement swapped for
    /// it; the walk goes top-down and does not look inside a replaced node.
    public func rewritten(_ replace: (Expression) throws -> Expression?) rethrows -> Expression {
        if let r = try replace(self) { return r }
        func w(_ e: Expression) throws -> Expression { try e.rewritten(replace) }
        let k: Kind
        switch kind {
        case .column, .literal, .duration: return self
        case .unary(let op, let e): k = .unary(op, try w(e))
        case .binary(let op, let a, let b, let s): k = .binary(op, try w(a), try w(b), operatorSpan: s)
        case .concatenation(let a, let b, let s): k = .concatenation(try w(a), try w(b), operatorSpan: s)
        case .isNull(let e, let n): k = .isNull(try w(e), negated: n)
        case .inList(let e, let items, let n): k = .inList(try w(e), try items.map(w), negated: n)
        case .between(let e, let lo, let hi, let n): k = .between(try w(e), try w(lo), try w(hi), negated: n)
        case .textMatch(let f, let a, let b, let n): k = .textMatch(f, try w(a), try w(b), negated: n)
        case .call(let f, let args, let d): k = .call(f, try args.map(w), distinct: d)
        case .conditional(let branches, let other):
            k = .conditional(try branches.map { WhenBranch(condition: try w($0.condition), result: try w($0.result)) }, try other.map(w))
        }
        return Expression(k, span)
    }
}

/// An expression with an optional `as name`.
public struct NamedExpression: Sendable {
    public var expression: Expression
    public var alias: Identifier?
}

/// One key of `sort` or `top … by`; the direction is nil when not written (`sort` then
/// ascends, `top` descends).
public struct SortItem: Sendable {
    public var expression: Expression
    public var descending: Bool?
}
