import NKEngine

/// Turns written expressions into engine expressions. Every node is tagged with a reference to
/// its span, so an error the engine finds (an unknown column, a type mismatch, a bad cast)
/// points at what the user wrote; operators are tagged with the operator's own span.
final class Lowering {
    let source: Source
    /// Span of each tag, by reference number.
    private(set) var spans: [SourceSpan] = []

    init(source: Source) { self.source = source }

    func tag(_ e: Expr, _ span: SourceSpan) -> Expr {
        spans.append(span)
        return .located(e, sourceRef: spans.count - 1)
    }

    func span(of ref: Int?) -> SourceSpan? {
        guard let ref, ref >= 0, ref < spans.count else { return nil }
        return spans[ref]
    }

    /// The engine expression of a scalar expression (no aggregates, no bare durations).
    func lower(_ e: Expression) throws -> Expr {
        switch e.kind {
        case .column(let name):
            return tag(.column(name), e.span)
        case .literal(let v):
            return tag(.literal(v), e.span)
        case .duration(let interval):
            throw Diagnostic("a duration such as `\(interval)` can only be added to or subtracted from a date", at: e.span, in: source,
                             hint: "e.g. today() - \(interval)")
        case .unary(let op, let operand):
            return tag(.unary(op, try lower(operand)), e.span)
        case .binary(let op, let left, let right, let opSpan):
            if op == .add || op == .subtract, case .duration(let interval) = right.kind {
                return tag(.shift(try lower(left), op == .add ? interval : interval.negated), opSpan)
            }
            if op == .add, case .duration(let interval) = left.kind {
                return tag(.shift(try lower(right), interval), opSpan)
            }
            if case .duration = right.kind {
                throw Diagnostic("a duration can only be added or subtracted", at: opSpan, in: source, hint: "e.g. order_date + 30 days")
            }
            return tag(.binary(op, try lower(left), try lower(right)), opSpan)
        case .concatenation(let left, let right, let opSpan):
            let a = try lower(left), b = try lower(right)
            let eitherNull = Expr.binary(.or, .isNull(a), .isNull(b))
            return tag(.conditional([WhenClause(eitherNull, .literal(.null))], .call("concat", [a, b])), opSpan)
        case .isNull(let operand, let negated):
            let test = tag(.isNull(try lower(operand)), e.span)
            return negated ? .unary(.not, test) : test
        case .inList(let subject, let items, let negated):
            let test = tag(.inList(try lower(subject), try items.map { try lower($0) }), e.span)
            return negated ? .unary(.not, test) : test
        case .between(let subject, let low, let high, let negated):
            let test = tag(.between(try lower(subject), try lower(low), try lower(high)), e.span)
            return negated ? .unary(.not, test) : test
        case .textMatch(let f, let text, let part, let negated):
            let test = tag(.call(f.rawValue, [try lower(text), try lower(part)]), e.span)
            return negated ? .unary(.not, test) : test
        case .call(let function, let arguments, let distinct):
            if AggregateFunction(name: function.name) != nil, ScalarFunction(name: function.name) == nil {
                throw Diagnostic("`\(function.name)(…)` is an aggregate; it belongs in `segment … agg`", at: function.span, in: source,
                                 hint: "e.g. | segment by industry agg \(function.name)(…)")
            }
            if distinct {
                throw Diagnostic("`distinct` inside a call only goes with count(distinct …)", at: function.span, in: source)
            }
            return tag(.call(function.name, try arguments.map { try lower($0) }), function.span)
        case .conditional(let branches, let otherwise):
            let whens = try branches.map { WhenClause(try lower($0.condition), try lower($0.result)) }
            return tag(.conditional(whens, try otherwise.map { try lower($0) }), e.span)
        }
    }

    /// The items of `segment … agg`: the aggregates to compute, and — when an item computes
    /// with aggregates (`round(avg(nps), 1)`, `sum(revenue) / count()`) — the expressions over
    /// them that give the output columns after grouping (`keys` come first, unchanged).
    func aggregateItems(_ items: [NamedExpression], keys: [String]) throws -> (aggregates: [Aggregate], outputs: [NamedExpr]?) {
        var aggregates: [Aggregate] = []
        var outputs: [NamedExpr] = keys.map { NamedExpr($0, .column($0)) }
        var composed = false
        for item in items {
            if case .call(let f, _, _) = item.expression.kind, AggregateFunction(name: f.name) != nil {
                let a = try aggregate(item)
                aggregates.append(a)
                outputs.append(NamedExpr(a.name, .column(a.name)))
                continue
            }
            // an expression over aggregates: each aggregate inside becomes a hidden column
            let before = aggregates.count
            let rewritten = try item.expression.rewritten { e in
                guard case .call(let f, _, _) = e.kind, AggregateFunction(name: f.name) != nil else { return nil }
                let hidden = "\u{1}agg\(aggregates.count)"
                aggregates.append(try aggregate(NamedExpression(expression: e, alias: Identifier(name: hidden, span: e.span))))
                return Expression(.column(hidden), e.span)
            }
            guard aggregates.count > before else {
                throw Diagnostic("`agg` takes aggregates such as count(), sum(x), avg(x), median(x), share()", at: item.expression.span, in: source,
                                 hint: "to compute a value per row, use | derive name = …")
            }
            composed = true
            let name = item.alias?.name ?? Lowering.defaultName(source.text(of: item.expression.span))
            outputs.append(NamedExpr(name, try lower(rewritten)))
        }
        return (aggregates, composed ? outputs : nil)
    }

    /// An aggregate of `segment … agg`: `count()`, `count(x)`, `count(distinct x)`, `sum(x)`,
    /// `avg(x)`, `min(x)`, `max(x)`, `median(x)`, `quantile(x, q)`, `share()`, `share(x)`.
    func aggregate(_ item: NamedExpression) throws -> Aggregate {
        var a = try untaggedAggregate(item)
        spans.append(item.expression.span)
        a.sourceRef = spans.count - 1
        return a
    }

    private func untaggedAggregate(_ item: NamedExpression) throws -> Aggregate {
        let e = item.expression
        guard case .call(let function, let arguments, let distinct) = e.kind, var f = AggregateFunction(name: function.name) else {
            throw Diagnostic("`agg` takes aggregates such as count(), sum(x), avg(x), median(x), share()", at: e.span, in: source,
                             hint: "to compute a value per row, use | derive name = …")
        }
        let name = item.alias?.name ?? (arguments.isEmpty ? f.rawValue : Lowering.defaultName(source.text(of: e.span)))
        if distinct {
            guard f == .count else {
                throw Diagnostic("`distinct` only goes with count(distinct …)", at: function.span, in: source)
            }
            f = .countDistinct
        }
        switch f {
        case .count, .share:
            guard arguments.count <= 1 else {
                throw Diagnostic("\(function.name) takes at most one argument", at: e.span, in: source)
            }
            return Aggregate(f, try arguments.first.map { try lower($0) }, as: name)
        case .quantile:
            guard arguments.count == 2 else {
                throw Diagnostic("quantile takes a column and a fraction, as in quantile(revenue, 0.9)", at: e.span, in: source)
            }
            let q: Double
            switch arguments[1].kind {
            case .literal(.float(let v)): q = v
            case .literal(.integer(let v)): q = Double(v)
            default:
                throw Diagnostic("the fraction of quantile must be a number between 0 and 1", at: arguments[1].span, in: source)
            }
            guard (0...1).contains(q) else {
                throw Diagnostic("the fraction of quantile must be between 0 and 1", at: arguments[1].span, in: source, hint: "0.9 is the 90th percentile")
            }
            return Aggregate(.quantile, try lower(arguments[0]), parameter: q, as: name)
        default:
            break
        }
        guard arguments.count == 1 else {
            throw Diagnostic("\(function.name) takes one argument, as in \(function.name)(revenue)", at: e.span, in: source)
        }
        return Aggregate(f, try lower(arguments[0]), as: name)
    }

    /// A column name from the written text: single spaces, no line breaks.
    static func defaultName(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
    }
}
