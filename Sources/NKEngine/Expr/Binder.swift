/// Resolves an ``Expr`` against a table's columns and checks its types.
struct Binder {
    let names: [String]
    let types: [DataType]
    let context: ExecutionContext

    func bind(_ expr: Expr) throws -> BoundExpr {
        switch expr {
        case .located(let inner, let ref):
            do {
                let b = try bind(inner)
                if b.sourceRef == nil { b.sourceRef = ref }
                return b
            } catch var e as EngineError {
                if e.sourceRef == nil { e.sourceRef = ref }
                throw e
            }
        case .column(let name):
            guard let i = Table.resolve(name, in: names) else {
                throw EngineError.unknownColumn(name, available: names)
            }
            return BoundExpr(.column(i), types[i])
        case .literal(let v):
            return BoundExpr(.literal(v), v.type ?? .string)
        case .unary(.negate, let e):
            let b = try bind(e)
            // a bare null is a number here, as in SQL
            if b.isNullLiteral { return BoundExpr(.literal(.null), numberType(b)) }
            guard b.type.isNumeric else {
                throw EngineError.typeMismatch("cannot negate \(b.type.withArticle) value", hint: "minus applies to numbers")
            }
            return BoundExpr(.negate(b), b.type)
        case .unary(.not, let e):
            return BoundExpr(.not(try boolean(e, "not")), .boolean)
        case .binary(.and, let a, let b):
            return BoundExpr(.and(try boolean(a, "and"), try boolean(b, "and")), .boolean)
        case .binary(.or, let a, let b):
            return BoundExpr(.or(try boolean(a, "or"), try boolean(b, "or")), .boolean)
        case .binary(let op, let a, let b) where op.isComparison:
            let (_, pair) = try unify([try bind(a), try bind(b)], what: "compare")
            return BoundExpr(.compare(op, pair[0], pair[1]), .boolean)
        case .binary(let op, let a, let b):
            return try arithmetic(op, try bind(a), try bind(b))
        case .isNull(let e):
            return BoundExpr(.isNull(try bind(e)), .boolean)
        case .inList(let e, let items):
            let (_, all) = try unify([try bind(e)] + items.map(bind), what: "compare")
            return BoundExpr(.inList(all[0], Array(all.dropFirst())), .boolean)
        case .between(let e, let lo, let hi):
            return try bind(.binary(.and, .binary(.greaterOrEqual, e, lo), .binary(.lessOrEqual, e, hi)))
        case .shift(let e, let interval):
            var b = try bind(e)
            if b.isNullLiteral { return BoundExpr(.literal(.null), .date) }
            guard b.type.isTemporal else {
                throw EngineError.typeMismatch("cannot add \(interval) to a \(b.type) value", hint: "intervals apply to dates and timestamps")
            }
            let subDay = interval.unit == .hours || interval.unit == .minutes || interval.unit == .seconds
            if b.type == .date, subDay { b = try cast(b, to: .timestamp) }
            return BoundExpr(.shift(b, interval), b.type)
        case .call(let name, let args):
            return try call(name, args)
        case .conditional(let whens, let other):
            var conditions: [BoundExpr] = []
            var results: [BoundExpr] = []
            for w in whens {
                conditions.append(try boolean(w.condition, "when"))
                results.append(try bind(w.result))
            }
            let otherBound = try other.map(bind) ?? BoundExpr(.literal(.null), .string)
            let (type, unified) = try unify(results + [otherBound], what: "combine the branches of")
            return BoundExpr(.conditional(Array(zip(conditions, unified.dropLast())), unified.last), type)
        }
    }

    private func boolean(_ e: Expr, _ what: String) throws -> BoundExpr {
        let b = try bind(e)
        if b.isNullLiteral { return BoundExpr(.literal(.null), .boolean) }
        guard b.type == .boolean else {
            throw EngineError.typeMismatch("\(what) needs a true/false condition, not \(b.type.withArticle) value (\(e.displayName))",
                                           hint: "compare it with something, e.g. \(e.displayName) = …")
        }
        return b
    }

    private func arithmetic(_ op: BinaryOperator, _ a: BoundExpr, _ b: BoundExpr) throws -> BoundExpr {
        if a.isNullLiteral || b.isNullLiteral {
            // the other operand's type; two nulls are whole numbers, as in SQL
            let t = a.isNullLiteral ? (b.isNullLiteral ? .integer : b.type) : a.type
            return BoundExpr(.literal(.null), op == .divide ? .float : t)
        }
        switch (a.type, b.type) {
        case (.integer, .integer):
            return BoundExpr(.arithmetic(op, a, b), op == .divide ? .float : .integer)
        case (let x, let y) where x.isNumeric && y.isNumeric:
            return BoundExpr(.arithmetic(op, try cast(a, to: .float), try cast(b, to: .float)), .float)
        case (.date, .date) where op == .subtract:
            return BoundExpr(.arithmetic(op, a, b), .integer)
        case (.timestamp, .timestamp) where op == .subtract, (.date, .timestamp) where op == .subtract,
             (.timestamp, .date) where op == .subtract:
            return BoundExpr(.arithmetic(op, try cast(a, to: .timestamp), try cast(b, to: .timestamp)), .integer)
        case (.date, .integer) where op == .add || op == .subtract:
            return BoundExpr(.arithmetic(op, a, b), .date)
        case (.integer, .date) where op == .add:
            return BoundExpr(.arithmetic(op, b, a), .date)
        default:
            var hint = "arithmetic works on numbers; dates take intervals such as 30 days"
            if a.type == .string || b.type == .string { hint = "text cannot be calculated with; convert it with float(…) if it holds numbers" }
            throw EngineError.typeMismatch("cannot apply \(op.rawValue) to \(a.type) and \(b.type)", hint: hint)
        }
    }

    /// Casts every expression to one common type (ignoring `null` literals when choosing it).
    func unify(_ exprs: [BoundExpr], what: String) throws -> (DataType, [BoundExpr]) {
        var common: DataType?
        for e in exprs where !e.isNullLiteral {
            guard let c = common else { common = e.type; continue }
            if let t = DataType.common(c, e.type) { common = t; continue }
            // a text literal next to a date column is read as a date
            if c.isTemporal, e.type == .string, e.literalValue != nil { continue }
            if e.type.isTemporal, c == .string { common = e.type; continue }
            throw EngineError.typeMismatch("cannot \(what) \(c) and \(e.type) values",
                                           hint: "convert one side, e.g. with string(…) or float(…)")
        }
        let type = common ?? .string
        return (type, try exprs.map { try cast($0, to: type) })
    }

    /// An implicit conversion: integer → float, date → timestamp, a text literal → date/timestamp.
    func cast(_ e: BoundExpr, to type: DataType) throws -> BoundExpr {
        if e.type == type { return e }
        if e.isNullLiteral { return BoundExpr(.literal(.null), type) }
        switch (e.type, type) {
        case (.integer, .float), (.date, .timestamp):
            if let v = e.literalValue { return BoundExpr(.literal(Conversion.convert(v, to: type)), type) }
            return BoundExpr(.cast(e), type)
        case (.string, .date), (.string, .timestamp):
            if case .string(let text)? = e.literalValue {
                let converted = Conversion.convert(.string(text), to: type)
                guard !converted.isNull else {
                    throw EngineError(.conversion, "\"\(text)\" is not \(type.withArticle)",
                                      hint: type == .date ? "write dates as 2025-01-31" : "write timestamps as 2025-01-31 14:30:00")
                }
                return BoundExpr(.literal(converted), type)
            }
        default: break
        }
        throw EngineError.typeMismatch("a \(e.type) value cannot be used as \(type)")
    }

    private func call(_ name: String, _ args: [Expr]) throws -> BoundExpr {
        guard let f = ScalarFunction(name: name) else {
            let names = ScalarFunction.allCases.map(\.rawValue)
            let hint = NameSuggestion.nearest(to: name, in: names).map { "did you mean `\($0)`?" }
            throw EngineError(.unknownName, "no function `\(name)`", hint: hint)
        }
        guard f.arity.contains(args.count) else {
            throw EngineError.typeMismatch("\(f.rawValue) takes \(arityText(f.arity)), not \(args.count)", hint: f.signature)
        }
        if f == .today { return BoundExpr(.literal(.date(context.today)), .date) }
        if f == .now { return BoundExpr(.literal(.timestamp(context.now)), .timestamp) }
        var bound = try args.map(bind)
        func need(_ i: Int, _ ok: (DataType) -> Bool, _ what: String) throws {
            let b = bound[i]
            if b.isNullLiteral { return }
            if !ok(b.type) {
                throw EngineError.typeMismatch("\(f.rawValue) needs \(what), not \(b.type.withArticle) value", hint: f.signature)
            }
        }
        let type: DataType
        switch f {
        case .lower, .upper, .trim:
            try need(0, { $0 == .string }, "text"); type = .string
        case .length:
            try need(0, { $0 == .string }, "text"); type = .integer
        case .contains, .startsWith, .endsWith:
            try need(0, { $0 == .string }, "text"); try need(1, { $0 == .string }, "text"); type = .boolean
        case .year, .month, .day, .quarter, .weekday, .dayOfYear:
            try need(0, { $0.isTemporal }, "a date"); type = .integer
        case .hour, .minute, .second:
            try need(0, { $0.isTemporal }, "a timestamp")
            bound[0] = try cast(bound[0], to: .timestamp); type = .integer
        case .date, .timestamp, .substring, .left, .right, .replace, .splitPart, .concat, .padLeft:
            (type, bound) = try textRepair(f, bound)
        case .daysBetween:
            for i in bound.indices {
                if bound[i].type == .string, bound[i].literalValue != nil { bound[i] = try cast(bound[i], to: .date) }
                try need(i, { $0.isTemporal }, "dates")
                bound[i] = try cast(bound[i], to: .timestamp)
            }
            type = .integer
        case .abs:
            try need(0, { $0.isNumeric }, "a number"); type = numberType(bound[0])
        case .round, .floor, .ceil:
            try need(0, { $0.isNumeric }, "a number")
            if bound.count == 2 { try need(1, { $0 == .integer }, "a whole number of digits") }
            type = numberType(bound[0])
        case .sqrt, .ln, .exp, .pow:
            for i in bound.indices { try need(i, { $0.isNumeric }, "a number"); bound[i] = try cast(bound[i], to: .float) }
            type = .float
        case .coalesce:
            let (t, u) = try unify(bound, what: "coalesce"); bound = u; type = t
        case .nullif:
            let (t, u) = try unify(bound, what: "compare"); bound = u; type = t
        case .if:
            try need(0, { $0 == .boolean }, "a condition")
            let (t, u) = try unify(Array(bound[1...]), what: "combine the branches of")
            bound = [bound[0]] + u; type = t
        case .integer:
            try need(0, { $0 != .timestamp }, "a number, text, boolean or date"); type = .integer
        case .float:
            try need(0, { $0.isNumeric || $0 == .string || $0 == .boolean }, "a number or text"); type = .float
        case .string:
            type = .string
        case .today, .now:
            fatalError("handled above")
        }
        if f.isNullOnNullFirstArgument, bound[0].isNullLiteral {
            // null in, null out, as the evaluator gives it: folded here like `null + 1`, so that
            // `length(abs(null))` is a null as a whole
            return BoundExpr(.literal(.null), type)
        }
        return BoundExpr(.function(f, bound), type)
    }

    /// The type of a number's function or negation: a bare null is a whole number there, as in SQL.
    private func numberType(_ b: BoundExpr) -> DataType {
        b.isNullLiteral && !b.type.isNumeric ? .integer : b.type
    }

    /// Types of the text repair functions and of `date`/`timestamp` (with an optional format).
    private func textRepair(_ f: ScalarFunction, _ args: [BoundExpr]) throws -> (DataType, [BoundExpr]) {
        var bound = args
        func need(_ i: Int, _ ok: (DataType) -> Bool, _ what: String) throws {
            if i >= bound.count || bound[i].isNullLiteral { return }
            if !ok(bound[i].type) {
                throw EngineError.typeMismatch("\(f.rawValue) needs \(what), not \(bound[i].type.withArticle) value", hint: f.signature)
            }
        }
        let text = { (t: DataType) in t == .string }, whole = { (t: DataType) in t == .integer }
        switch f {
        case .date, .timestamp:
            if bound.count == 2 {
                guard case .string(let pattern)? = bound[1].literalValue, DateFormat(pattern: pattern) != nil else {
                    throw EngineError.typeMismatch("the format of \(f.rawValue) is a pattern in quotes, such as \"dd.mm.yyyy\" or \"yyyymmdd\"",
                                                   hint: f.signature)
                }
                try need(0, f == .date ? { $0 == .string || $0 == .integer } : text, f == .date ? "text or a whole number" : "text")
            } else {
                try need(0, { $0.isTemporal || $0 == .string }, f == .date ? "a timestamp or text" : "a date or text")
            }
            return (f == .date ? .date : .timestamp, bound)
        case .substring, .left, .right:
            try need(0, text, "text"); try need(1, whole, "a whole number"); try need(2, whole, "a whole number")
        case .replace:
            for i in 0..<3 { try need(i, text, "text") }
        case .splitPart:
            try need(0, text, "text"); try need(1, text, "a separator in quotes"); try need(2, whole, "a whole number")
        case .padLeft:
            try need(1, whole, "a whole number for the width"); try need(2, text, "the fill text")
            if bound[0].type != .string, !bound[0].isNullLiteral { bound[0] = BoundExpr(.function(.string, [bound[0]]), .string) }
        case .concat:
            bound = bound.map { $0.type == .string || $0.isNullLiteral ? $0 : BoundExpr(.function(.string, [$0]), .string) }
        default:
            throw EngineError.internalError("\(f.rawValue) is not a text repair function")
        }
        return (.string, bound)
    }

    private func arityText(_ r: ClosedRange<Int>) -> String {
        if r.lowerBound == r.upperBound { return r.lowerBound == 1 ? "1 argument" : "\(r.lowerBound) arguments" }
        return "\(r.lowerBound) to \(r.upperBound) arguments"
    }
}

extension Table {
    /// Resolves names and checks types of `expr` against this table's columns.
    public func bind(_ expr: Expr, context: ExecutionContext = .standard) throws -> BoundExpr {
        try Binder(names: names, types: columns.map(\.type), context: context).bind(expr)
    }

    /// Exact name first, then a unique case-insensitive match.
    public static func resolve(_ name: String, in names: [String]) -> Int? {
        if let i = names.firstIndex(of: name) { return i }
        let lower = name.lowercased()
        let matches = names.indices.filter { names[$0].lowercased() == lower }
        return matches.count == 1 ? matches[0] : nil
    }
}
