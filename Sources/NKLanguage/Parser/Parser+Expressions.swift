import NKEngine

/// Expressions, from loosest to tightest binding: `or`; `and`; `not`; comparisons (`=`, `<`, …,
/// `is null`, `in`, `between`, `contains`, `starts with`, `ends with`); `+ -`; `* / %`; unary
/// minus; literals, names, calls, `case`, parentheses.
extension Parser {
    static let durationUnits: [String: Interval.Unit] = [
        "second": .seconds, "seconds": .seconds, "minute": .minutes, "minutes": .minutes,
        "hour": .hours, "hours": .hours, "day": .days, "days": .days, "week": .weeks, "weeks": .weeks,
        "month": .months, "months": .months, "year": .years, "years": .years,
        "tag": .days, "tage": .days, "woche": .weeks, "wochen": .weeks, "monat": .months, "monate": .months,
        "jahr": .years, "jahre": .years,
    ]

    mutating func expression() throws -> Expression {
        try enter()
        defer { depth -= 1 }
        return try orExpression()
    }

    private mutating func orExpression() throws -> Expression {
        let entryDepth = depth
        defer { depth = entryDepth }
        var left = try andExpression()
        while let op = accept("or") {
            try chainLink(op)
            let right = try andExpression()
            left = Expression(.binary(.or, left, right, operatorSpan: op.span), left.span.to(right.span))
        }
        return left
    }

    private mutating func andExpression() throws -> Expression {
        let entryDepth = depth
        defer { depth = entryDepth }
        var left = try notExpression()
        while let op = accept("and") {
            try chainLink(op)
            let right = try notExpression()
            left = Expression(.binary(.and, left, right, operatorSpan: op.span), left.span.to(right.span))
        }
        return left
    }

    /// One more operator in a chain (`a + b + c …`): the tree it builds is as deep as the chain
    /// is long, so chains count against the same limit as nesting, and nk never recurses too
    /// deeply while lowering or evaluating them.
    private mutating func chainLink(_ op: Token) throws {
        depth += 1
        if depth > Parser.maximumDepth {
            throw Diagnostic("this expression chains too many operators (more than \(Parser.maximumDepth) in a row)", at: op.span, in: source,
                             hint: "for a list of values use x in (…); otherwise compute parts with derive")
        }
    }

    private mutating func notExpression() throws -> Expression {
        if let op = accept("not") {
            try enter()
            defer { depth -= 1 }
            let operand = try notExpression()
            return Expression(.unary(.not, operand), op.span.to(operand.span))
        }
        return try comparison()
    }

    private mutating func comparison() throws -> Expression {
        let left = try concatenation()
        let comparisons: [String: BinaryOperator] = ["=": .equal, "==": .equal, "!=": .notEqual, "<>": .notEqual,
                                                     "<": .less, "<=": .lessOrEqual, ">": .greater, ">=": .greaterOrEqual]
        if case .symbol(let s) = current.kind, let op = comparisons[s] {
            let opToken = current
            advance()
            let right = try concatenation()
            return Expression(.binary(op, left, right, operatorSpan: opToken.span), left.span.to(right.span))
        }
        if accept("is") != nil {
            let negated = accept("not") != nil
            let null = try expectWord("null", "after `is`\(negated ? " not" : "")")
            return Expression(.isNull(left, negated: negated), left.span.to(null.span))
        }
        // `not in`, `not between`, `not contains`, …
        var negated = false
        if current.isWord("not"), ["in", "between", "contains", "starts", "ends"].contains(where: { next().isWord($0) }) {
            negated = true
            advance()
        }
        if accept("in") != nil {
            try expectSymbol("(", "after `in`, as in x in (1, 2)")
            var items: [Expression] = []
            if !current.isSymbol(")") {
                repeat { items.append(try expression()) } while acceptSymbol(",") != nil
            }
            let close = try expectSymbol(")", "to close the list after `in`")
            return Expression(.inList(left, items, negated: negated), left.span.to(close.span))
        }
        if accept("between") != nil {
            let low = try concatenation()
            try expectWord("and", "in `between … and …`")
            let high = try concatenation()
            return Expression(.between(left, low, high, negated: negated), left.span.to(high.span))
        }
        if accept("contains") != nil {
            let part = try concatenation()
            return Expression(.textMatch(.contains, left, part, negated: negated), left.span.to(part.span))
        }
        if current.isWord("starts") || current.isWord("ends") {
            let f: ScalarFunction = current.isWord("starts") ? .startsWith : .endsWith
            advance()
            try expectWord("with", "after `\(f == .startsWith ? "starts" : "ends")`")
            let part = try concatenation()
            return Expression(.textMatch(f, left, part, negated: negated), left.span.to(part.span))
        }
        if negated {
            throw Diagnostic("expected `in`, `between`, `contains`, `starts with` or `ends with` after `not`", at: current.span, in: source)
        }
        return left
    }

    /// `a || b || …`: text joined, binding looser than `+` and tighter than comparisons.
    private mutating func concatenation() throws -> Expression {
        let entryDepth = depth
        defer { depth = entryDepth }
        var left = try additive()
        while current.isSymbol("||") {
            let op = current
            try chainLink(op)
            advance()
            let right = try additive()
            left = Expression(.concatenation(left, right, operatorSpan: op.span), left.span.to(right.span))
        }
        return left
    }

    private mutating func additive() throws -> Expression {
        let entryDepth = depth
        defer { depth = entryDepth }
        var left = try multiplicative()
        while current.isSymbol("+") || current.isSymbol("-") {
            let op = current
            try chainLink(op)
            advance()
            let right = try multiplicative()
            left = Expression(.binary(op.isSymbol("+") ? .add : .subtract, left, right, operatorSpan: op.span), left.span.to(right.span))
        }
        return left
    }

    private mutating func multiplicative() throws -> Expression {
        let entryDepth = depth
        defer { depth = entryDepth }
        var left = try unary()
        while current.isSymbol("*") || current.isSymbol("/") || current.isSymbol("%") {
            let op = current
            try chainLink(op)
            advance()
            let right = try unary()
            let kind: BinaryOperator = op.isSymbol("*") ? .multiply : op.isSymbol("/") ? .divide : .modulo
            left = Expression(.binary(kind, left, right, operatorSpan: op.span), left.span.to(right.span))
        }
        return left
    }

    private mutating func unary() throws -> Expression {
        if let minus = acceptSymbol("-") {
            try enter()
            defer { depth -= 1 }
            let operand = try unary()
            switch operand.kind {
            case .literal(.integer(let v)): return Expression(.literal(.integer(-v)), minus.span.to(operand.span))
            case .literal(.float(let v)): return Expression(.literal(.float(-v)), minus.span.to(operand.span))
            case .duration(let i): return Expression(.duration(i.negated), minus.span.to(operand.span))
            default: return Expression(.unary(.negate, operand), minus.span.to(operand.span))
            }
        }
        if acceptSymbol("+") != nil { return try unary() }
        return try primary()
    }

    private mutating func primary() throws -> Expression {
        let token = current
        switch token.kind {
        case .integer(let v):
            advance()
            if case .identifier(let w) = current.kind, let unit = Parser.durationUnits[w.lowercased()] {
                let unitToken = current
                advance()
                return Expression(.duration(Interval(Int(v), unit)), token.span.to(unitToken.span))
            }
            return Expression(.literal(.integer(v)), token.span)
        case .float(let v):
            advance()
            return Expression(.literal(.float(v)), token.span)
        case .string(let s):
            advance()
            return Expression(.literal(.string(s)), token.span)
        case .date(let d):
            advance()
            return Expression(.literal(.date(d)), token.span)
        case .quotedIdentifier(let name):
            advance()
            return Expression(.column(name), token.span)
        case .identifier(let name):
            let lower = name.lowercased()
            if lower == "true" || lower == "false" { advance(); return Expression(.literal(.boolean(lower == "true")), token.span) }
            if lower == "null" { advance(); return Expression(.literal(.null), token.span) }
            if lower == "case" { return try caseExpression() }
            advance()
            if acceptSymbol("(") != nil { return try call(Identifier(name: name, span: token.span)) }
            try refuseDottedName(token)
            return Expression(.column(name), token.span)
        case .symbol("("):
            advance()
            let inner = try expression()
            guard let close = acceptSymbol(")") else {
                let (line, column) = source.location(of: token.span.start)
                throw Diagnostic("the parenthesis opened at \(line):\(column) is not closed", at: token.span, in: source,
                                 hint: "add `)` after \(source.text(of: inner.span))")
            }
            return Expression(inner.kind, token.span.to(close.span))
        default:
            throw Diagnostic("expected a value, a column or a function, found \(token.description)", at: token.span, in: source)
        }
    }

    private mutating func call(_ function: Identifier) throws -> Expression {
        var arguments: [Expression] = []
        var distinct = false
        if acceptSymbol("*") == nil, !current.isSymbol(")") {
            if accept("distinct") != nil { distinct = true }
            repeat { arguments.append(try expression()) } while acceptSymbol(",") != nil
        }
        let close = try expectSymbol(")", "to close the arguments of \(function.name)(…)")
        return Expression(.call(function, arguments, distinct: distinct), function.span.to(close.span))
    }

    private mutating func caseExpression() throws -> Expression {
        let start = current
        advance()
        var branches: [Expression.WhenBranch] = []
        while accept("when") != nil {
            let condition = try expression()
            try expectWord("then", "after the condition of `when`")
            branches.append(Expression.WhenBranch(condition: condition, result: try expression()))
        }
        if branches.isEmpty {
            throw Diagnostic("expected `when` after `case`", at: current.span, in: source, hint: "case when x > 0 then \"yes\" else \"no\" end")
        }
        var otherwise: Expression?
        if accept("else") != nil { otherwise = try expression() }
        let end = try expectWord("end", "to close `case … end`")
        return Expression(.conditional(branches, otherwise), start.span.to(end.span))
    }

    /// A name written with dots and no backquotes (`emp.var.rate`, as bank data names its
    /// columns) is read up to its first dot; say how to write it instead.
    private func refuseDottedName(_ first: Token) throws {
        guard current.isSymbol("."), current.span.start == first.span.end,
              case .identifier = next().kind, next().span.start == current.span.end else { return }
        var end = next().span.end, k = 2
        while next(k).isSymbol("."), next(k).span.start == end, case .identifier = next(k + 1).kind, next(k + 1).span.start == next(k).span.end {
            end = next(k + 1).span.end
            k += 2
        }
        let written = source.text(of: SourceSpan(first.span.start, end))
        throw Diagnostic("`\(written)` is a name with dots", at: SourceSpan(first.span.start, end), in: source,
                         hint: "write it in backquotes: `\(written)`")
    }
}
