/// Evaluates bound expressions over chunks of a table's rows, producing ``Vector``s.
///
/// Each node is evaluated for the whole chunk at once (column at a time); nulls travel in
/// validity bitmaps beside the values, and string operations work on dictionary codes.
public struct Evaluator {
    public let table: Table
    /// Where rows that overflow are counted (they become null).
    let notes: EngineNotes

    public init(table: Table, notes: EngineNotes = EngineNotes()) {
        self.table = table
        self.notes = notes
    }

    /// The values of `e` for the rows in `rows`.
    public func evaluate(_ e: BoundExpr, _ rows: Range<Int>) throws -> Vector {
        guard let ref = e.sourceRef else { return try evaluateNode(e, rows) }
        do {
            return try evaluateNode(e, rows)
        } catch var error as EngineError {
            if error.sourceRef == nil { error.sourceRef = ref }
            throw error
        }
    }

    private func evaluateNode(_ e: BoundExpr, _ rows: Range<Int>) throws -> Vector {
        let n = rows.count
        switch e.node {
        case .column(let i):
            return Vector.slice(table.columns[i], rows)
        case .literal(let v):
            return .scalar(v, count: n)
        case .cast(let inner):
            return cast(try evaluate(inner, rows), to: e.type)
        case .negate(let inner):
            let v = try evaluate(inner, rows)
            if v.isNullScalar { return v }
            if e.type == .integer { return wholeNumberNegation(v.ints, n, v.validity, absolute: false) }
            return Vector(floats: elementwise(v.floats, n) { -$0 }, validity: v.validity, count: n)
        case .not(let inner):
            let v = try evaluate(inner, rows)
            if v.isNullScalar { return v }
            return Vector(bools: elementwise(v.bools, n) { !$0 }, validity: v.validity, count: n)
        case .arithmetic(let op, let a, let b):
            return try arithmetic(op, try evaluate(a, rows), try evaluate(b, rows), e.type)
        case .compare(let op, let a, let b):
            return compare(op, try evaluate(a, rows), try evaluate(b, rows), memo: e.memo)
        case .and(let a, let b):
            return logic(try evaluate(a, rows), try evaluate(b, rows), isAnd: true)
        case .or(let a, let b):
            return logic(try evaluate(a, rows), try evaluate(b, rows), isAnd: false)
        case .isNull(let inner):
            let v = try evaluate(inner, rows)
            if v.isScalar { return .scalar(.boolean(v.isNullScalar), count: n) }
            guard let validity = v.validity else { return .scalar(.boolean(false), count: n) }
            var out = [Bool](repeating: false, count: n)
            for i in 0..<n { out[i] = !validity.isValid(i) }
            return Vector(.boolean(out[...]), validity: nil, count: n)
        case .inList(let subject, let items):
            return try inList(subject, items, rows, memo: e.memo)
        case .shift(let inner, let interval):
            return shift(try evaluate(inner, rows), interval, e.type)
        case .function(let f, let args):
            return try function(f, args, rows, e)
        case .conditional(let whens, let other):
            return try conditional(whens, other, rows, e.type)
        }
    }

    // MARK: arithmetic

    private func arithmetic(_ op: BinaryOperator, _ a: Vector, _ b: Vector, _ type: DataType) throws -> Vector {
        let n = a.count
        if a.isNullScalar || b.isNullScalar { return .scalar(.null, count: n) }
        var validity = Validity.both(a.validity, b.validity)
        switch (a.type, b.type) {
        case (.float, .float):
            let x = a.floats, y = b.floats
            let r: Operand<Double>
            switch op {
            case .add: r = elementwise(x, y, n, +)
            case .subtract: r = elementwise(x, y, n, -)
            case .multiply: r = elementwise(x, y, n, *)
            case .divide:
                r = elementwise(x, y, n, /)
                validity = nullWhereZero(y, validity, n)
            default:
                r = elementwise(x, y, n) { $0.truncatingRemainder(dividingBy: $1) }
                validity = nullWhereZero(y, validity, n)
            }
            return Vector(floats: r, validity: validity, count: n)
        case (.integer, .integer):
            let x = a.ints, y = b.ints
            if op == .divide {
                let r = elementwise(x, y, n) { Double($0) / Double($1) }
                return Vector(floats: r, validity: nullWhereZero(y, validity, n), count: n)
            }
            if op == .modulo {
                // x % -1 is 0 for every x (and Int64.min % -1 would trap)
                let r = elementwise(x, y, n) { $1 == 0 || $1 == -1 ? 0 : $0 % $1 }
                return Vector(ints: r, type: .integer, validity: nullWhereZero(y, validity, n), count: n)
            }
            return wholeNumberArithmetic(op, x, y, n, validity)
        case (.date, .date):
            let r = elementwise(a.days, b.days, n) { Int64($0) - Int64($1) }
            return Vector(ints: r, type: .integer, validity: validity, count: n)
        case (.timestamp, .timestamp):
            return timestampDifference(a.ints, b.ints, n, validity)
        case (.date, .integer):
            return dateArithmetic(subtract: op == .subtract, a.days, b.ints, n, validity)
        default:
            throw EngineError.internalError("arithmetic on \(a.type) and \(b.type)")
        }
    }

    private func nullWhereZero<T: Numeric>(_ divisor: Operand<T>, _ validity: Validity?, _ n: Int) -> Validity? {
        switch divisor {
        case .scalar(let d):
            return d == 0 ? Validity(count: n, allValid: false) : validity
        case .array(let ds):
            var v = validity ?? Validity(count: n, allValid: true)
            var any = false
            ds.withUnsafeBufferPointer { p in
                for i in 0..<n where p[i] == 0 { v.set(i, false); any = true }
            }
            return any || validity != nil ? v : nil
        }
    }

    // MARK: comparison

    func compare(_ op: BinaryOperator, _ a: Vector, _ b: Vector, memo: DictionaryMemo) -> Vector {
        let n = a.count
        if a.isNullScalar || b.isNullScalar { return .scalar(.null, count: n) }
        let validity = Validity.both(a.validity, b.validity)
        switch a.type {
        case .integer, .timestamp: return Vector(bools: Evaluator.ordered(op, a.ints, b.ints, n), validity: validity, count: n)
        case .float: return Vector(bools: Evaluator.ordered(op, a.floats, b.floats, n), validity: validity, count: n)
        case .date: return Vector(bools: Evaluator.ordered(op, a.days, b.days, n), validity: validity, count: n)
        case .boolean:
            let x = elementwise(a.bools, n) { $0 ? 1 as Int8 : 0 }, y = elementwise(b.bools, n) { $0 ? 1 as Int8 : 0 }
            return Vector(bools: Evaluator.ordered(op, x, y, n), validity: validity, count: n)
        case .string:
            return compareStrings(op, a, b, validity, memo: memo)
        }
    }

    @inline(__always)
    static func ordered<T: Comparable>(_ op: BinaryOperator, _ x: Operand<T>, _ y: Operand<T>, _ n: Int) -> Operand<Bool> {
        switch op {
        case .equal: return elementwise(x, y, n, ==)
        case .notEqual: return elementwise(x, y, n, !=)
        case .less: return elementwise(x, y, n, <)
        case .lessOrEqual: return elementwise(x, y, n, <=)
        case .greater: return elementwise(x, y, n, >)
        default: return elementwise(x, y, n, >=)
        }
    }

    // MARK: three-valued logic

    /// SQL's `and` / `or`: false and null is false, true or null is true, otherwise null wins.
    private func logic(_ a: Vector, _ b: Vector, isAnd: Bool) -> Vector {
        let n = a.count
        let x = a.bools, y = b.bools
        let values = isAnd ? elementwise(x, y, n) { $0 && $1 } : elementwise(x, y, n) { $0 || $1 }
        let va = a.effectiveValidity, vb = b.effectiveValidity
        if va == nil && vb == nil { return Vector(bools: values, validity: nil, count: n) }
        // a decisive operand (false for and, true for or) makes the result valid even if the other is null
        var validity = Validity(count: n, allValid: false)
        for i in 0..<n {
            let okA = va?.isValid(i) ?? true, okB = vb?.isValid(i) ?? true
            if okA && okB { validity.set(i, true); continue }
            let xa = x.at(i), yb = y.at(i)
            let decisive = isAnd ? ((okA && !xa) || (okB && !yb)) : ((okA && xa) || (okB && yb))
            if decisive { validity.set(i, true) }
        }
        var out = values.materialized(n)
        if isAnd {
            for i in 0..<n where validity.isValid(i) && !(va?.isValid(i) ?? true) { out[i] = false }
            for i in 0..<n where validity.isValid(i) && !(vb?.isValid(i) ?? true) { out[i] = false }
        } else {
            for i in 0..<n where validity.isValid(i) && !((va?.isValid(i) ?? true) && (vb?.isValid(i) ?? true)) { out[i] = true }
        }
        return Vector(.boolean(out[...]), validity: validity, count: n)
    }

    // MARK: in

    private func inList(_ subject: BoundExpr, _ items: [BoundExpr], _ rows: Range<Int>, memo: DictionaryMemo) throws -> Vector {
        let n = rows.count
        let s = try evaluate(subject, rows)
        if s.isNullScalar { return .scalar(.null, count: n) }
        let literals = items.compactMap(\.literalValue)
        if literals.count == items.count, case .string(let codes, let dict) = s.data {
            let hasNull = literals.contains(.null)
            let table: [Bool] = memo.value(for: dict) {
                var t = [Bool](repeating: false, count: dict.count)
                for case .string(let text) in literals { if let c = dict.code(of: text) { t[Int(c)] = true } }
                return t
            }
            var out = [Bool](repeating: false, count: n)
            table.withUnsafeBufferPointer { t in
                codes.withUnsafeBufferPointer { c in for i in 0..<n { out[i] = t[Int(c[i])] } }
            }
            return Vector(.boolean(out[...]), validity: inValidity(out, s.validity, hasNull), count: n)
        }
        // general case: or over equality, with null items making a non-match null
        var result: Vector?
        for item in items {
            let eq = compare(.equal, s, try evaluate(item, rows), memo: DictionaryMemo())
            result = result.map { logic($0, eq, isAnd: false) } ?? eq
        }
        return result ?? .scalar(.boolean(false), count: n)
    }

    private func inValidity(_ matched: [Bool], _ validity: Validity?, _ listHasNull: Bool) -> Validity? {
        guard listHasNull else { return validity }
        var v = validity ?? Validity(count: matched.count, allValid: true)
        for i in matched.indices where !matched[i] { v.set(i, false) }
        return v
    }

    // MARK: dates

    private func cast(_ v: Vector, to type: DataType) -> Vector {
        let n = v.count
        if v.isNullScalar { return v }
        switch (v.type, type) {
        case (.integer, .float): return Vector(floats: elementwise(v.ints, n) { Double($0) }, validity: v.validity, count: n)
        case (.date, .timestamp): return Vector(ints: elementwise(v.days, n) { Int64($0) * 86_400_000_000 }, type: .timestamp, validity: v.validity, count: n)
        default: return v
        }
    }

    /// A date or timestamp moved by an interval; null outside the years 1 to 9999
    /// (``Evaluator/fitting(_:_:_:_:note:_:)``).
    private func shift(_ v: Vector, _ interval: Interval, _ type: DataType) -> Vector {
        let n = v.count
        if v.isNullScalar { return v }
        if type == .date {
            let r = fitting(v.days, Operand<Int32>.scalar(0), n, v.validity, note: Evaluator.dateNote) { d, _ -> (value: Int32, fits: Bool) in
                guard let day = Evaluator.shiftedDay(Int64(d), interval) else { return (0, false) }
                return (Int32(day), true)
            }
            guard let r else { return .scalar(.null, count: n) }
            return Vector(days: r.values, validity: r.validity, count: n)
        }
        let r = fitting(v.ints, Operand<Int64>.scalar(0), n, v.validity, note: Evaluator.dateNote) { t, _ -> (value: Int64, fits: Bool) in
            guard let moved = Evaluator.shiftedTimestamp(t, interval) else { return (0, false) }
            return (moved, true)
        }
        guard let r else { return .scalar(.null, count: n) }
        return Vector(ints: r.values, type: .timestamp, validity: r.validity, count: n)
    }
}
