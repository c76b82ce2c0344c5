import Foundation

extension Evaluator {
    /// The values of a scalar function call over `rows`: arguments first, then the function's family.
    func function(_ f: ScalarFunction, _ args: [BoundExpr], _ rows: Range<Int>, _ e: BoundExpr) throws -> Vector {
        let n = rows.count
        let vs = try args.map { try evaluate($0, rows) }
        if f.isNullOnNullFirstArgument, vs[0].isNullScalar { return .scalar(.null, count: n) }
        switch f {
        case .lower, .upper, .trim, .length, .contains, .startsWith, .endsWith: return try textFunction(f, vs, rows, e)
        case .date where vs.count == 2: return try datedText(f, vs, rows, e)
        case .timestamp: return try datedText(f, vs, rows, e)
        case .year, .month, .day, .quarter, .weekday, .dayOfYear, .hour, .minute, .second, .date, .daysBetween: return try calendarFunction(f, vs, rows, e)
        case .substring, .left, .right, .replace, .splitPart, .concat, .padLeft: return try textRepairFunction(f, vs, rows, e)
        case .abs, .round, .floor, .ceil, .sqrt, .ln, .exp, .pow: return try mathFunction(f, vs, rows, e)
        case .coalesce, .nullif, .if: return try choiceFunction(f, vs, rows, e)
        case .integer, .float, .string: return try conversionFunction(f, vs, rows, e)
        case .today, .now:
            throw EngineError.internalError("\(f.rawValue) is bound as a literal")
        }
    }

    /// Functions on text: lower, upper, trim, length, contains, starts/ends with.
    private func textFunction(_ f: ScalarFunction, _ vs: [Vector], _ rows: Range<Int>, _ e: BoundExpr) throws -> Vector {
        let n = rows.count, first = vs[0]
        switch f {
        case .lower: return mapText(first, memo: e.memo) { $0.lowercased() }
        case .upper: return mapText(first, memo: e.memo) { $0.uppercased() }
        case .trim: return mapText(first, memo: e.memo) { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        case .length:
            let r = perEntry(first, memo: e.memo) { Int64($0.count) }!
            return Vector(ints: r.values, type: .integer, validity: first.validity, count: n)
        case .contains, .startsWith, .endsWith:
            let test: (String, String) -> Bool = { a, b in
                var x = a
                return x.withUTF8 { Evaluator.matches(f, $0, Array(b.utf8)) }
            }
            if vs[1].isNullScalar { return .scalar(.null, count: n) }
            if case .scalar(.string(let part)) = vs[1].data {
                let bytes = Array(part.utf8)
                let r = perEntryBytes(first, memo: e.memo) { Evaluator.matches(f, $0, bytes) }!
                return Vector(bools: r, validity: first.validity, count: n)
            }
            let out = (0..<n).map { i -> Bool in
                guard case .string(let a) = first.value(at: i), case .string(let b) = vs[1].value(at: i) else { return false }
                return test(a, b)
            }
            return Vector(.boolean(out[...]), validity: Validity.both(first.effectiveValidity, vs[1].effectiveValidity), count: n)
        default: throw EngineError.internalError("\(f.rawValue) is not a function on text")
        }
    }

    /// Functions on calendar: date parts, time parts, date(…), days_between.
    private func calendarFunction(_ f: ScalarFunction, _ vs: [Vector], _ rows: Range<Int>, _ e: BoundExpr) throws -> Vector {
        let n = rows.count, first = vs[0]
        switch f {
        case .year, .month, .day, .quarter, .weekday, .dayOfYear:
            let days: Operand<Int64> = first.type == .timestamp
                ? elementwise(first.ints, n) { Evaluator.dayOf($0) }
                : elementwise(first.days, n) { Int64($0) }
            let r = elementwise(days, n) { d -> Int64 in
                let c = CivilDate.civil(Int(d))
                switch f {
                case .year: return Int64(c.year)
                case .month: return Int64(c.month)
                case .day: return Int64(c.day)
                case .quarter: return Int64((c.month - 1) / 3 + 1)
                case .weekday: return Int64(CivilDate.isoWeekday(Int(d)))
                default: return d - Int64(CivilDate.days(year: c.year, month: 1, day: 1)) + 1
                }
            }
            return Vector(ints: r, type: .integer, validity: first.validity, count: n)
        case .hour, .minute, .second:
            let r = elementwise(first.ints, n) { t -> Int64 in
                let s = (t - Evaluator.dayOf(t) * 86_400_000_000) / 1_000_000
                return f == .hour ? s / 3600 : f == .minute ? s / 60 % 60 : s % 60
            }
            return Vector(ints: r, type: .integer, validity: first.validity, count: n)
        case .date:
            switch first.type {
            case .timestamp: return Vector(days: elementwise(first.ints, n) { Int32(truncatingIfNeeded: Evaluator.dayOf($0)) }, validity: first.validity, count: n)
            case .string:
                let r = perEntry(first, memo: e.memo) { Conversion.convert(.string($0), to: .date) }!
                return try converted(r.values, .date, first, rows)
            default: return first
            }
        case .daysBetween:
            if vs[1].isNullScalar { return .scalar(.null, count: n) }
            // day boundaries crossed from the first to the second, as calendar days
            let r = elementwise(first.ints, vs[1].ints, n) { Evaluator.dayOf($1) - Evaluator.dayOf($0) }
            return Vector(ints: r, type: .integer, validity: Validity.both(first.validity, vs[1].validity), count: n)
        default: throw EngineError.internalError("\(f.rawValue) is not a function on calendar")
        }
    }

    /// Functions on numbers: abs, rounding, sqrt, ln, exp, pow.
    private func mathFunction(_ f: ScalarFunction, _ vs: [Vector], _ rows: Range<Int>, _ e: BoundExpr) throws -> Vector {
        let n = rows.count, first = vs[0]
        switch f {
        case .abs:
            if e.type == .integer { return wholeNumberNegation(first.ints, n, first.validity, absolute: true) }
            return Vector(floats: elementwise(first.floats, n) { Swift.abs($0) }, validity: first.validity, count: n)
        case .round, .floor, .ceil:
            let digits: Int64
            if vs.count > 1 { guard case .scalar(.integer(let d)) = vs[1].data else { throw EngineError.typeMismatch("round's digits must be a constant whole number") }; digits = d } else { digits = 0 }
            let rule: FloatingPointRoundingRule = f == .round ? .toNearestOrAwayFromZero : f == .floor ? .down : .up
            if e.type == .integer {
                if digits >= 0 { return first }
                return roundWholeNumbers(first.ints, places: digits == .min ? .max : -digits, rule: rule, n, first.validity)
            }
            let scale = pow(10.0, Double(digits))
            return Vector(floats: elementwise(first.floats, n) { ($0 * scale).rounded(rule) / scale }, validity: first.validity, count: n)
        case .sqrt, .ln, .exp, .pow:
            let op: (Double, Double) -> Double
            switch f {
            case .sqrt: op = { x, _ in x.squareRoot() }
            case .ln: op = { x, _ in x > 0 ? Foundation.log(x) : .nan }
            case .exp: op = { x, _ in Foundation.exp(x) }
            default: op = { Foundation.pow($0, $1) }
            }
            let r = elementwise(first.floats, vs.count > 1 ? vs[1].floats : .scalar(0), n, op)
            var validity = Validity.both(first.effectiveValidity, vs.count > 1 ? vs[1].effectiveValidity : nil)
            let values = r.materialized(n)
            if values.contains(where: { $0.isNaN }) {
                var v = validity ?? Validity(count: n, allValid: true)
                for i in 0..<n where values[i].isNaN { v.set(i, false) }
                validity = v
            }
            return Vector(.float(values[...]), validity: validity, count: n)
        default: throw EngineError.internalError("\(f.rawValue) is not a function on numbers")
        }
    }

    /// Functions on choices: coalesce, nullif, if.
    private func choiceFunction(_ f: ScalarFunction, _ vs: [Vector], _ rows: Range<Int>, _ e: BoundExpr) throws -> Vector {
        let n = rows.count, first = vs[0]
        switch f {
        case .coalesce:
            var pick = [Int16](repeating: -1, count: n)
            for i in 0..<n {
                for (k, v) in vs.enumerated() where v.isValid(i) { pick[i] = Int16(k); break }
            }
            return choose(vs, pick, e.type, n)
        case .nullif:
            let eq = compare(.equal, vs[0], vs[1], memo: e.memo)
            let pick = (0..<n).map { i -> Int16 in eq.isValid(i) && eq.bools.at(i) ? -1 : 0 }
            return choose([vs[0]], pick, e.type, n)
        case .if:
            let pick = (0..<n).map { i -> Int16 in first.isValid(i) && first.bools.at(i) ? 1 : 2 }
            return choose(vs, pick, e.type, n)
        default: throw EngineError.internalError("\(f.rawValue) is not a function on choices")
        }
    }

    /// Functions on conversions: integer(…), float(…), string(…).
    private func conversionFunction(_ f: ScalarFunction, _ vs: [Vector], _ rows: Range<Int>, _ e: BoundExpr) throws -> Vector {
        let n = rows.count, first = vs[0]
        switch f {
        case .integer:
            switch first.type {
            case .integer: return first
            case .float:
                let r = elementwise(first.floats, n) { x -> Value in
                    x.isFinite && Swift.abs(x) < 9.2e18 ? .integer(Int64(x.rounded(.towardZero))) : .null
                }
                return boxed(r, .integer, first, n)
            case .boolean: return Vector(ints: elementwise(first.bools, n) { $0 ? 1 : 0 }, type: .integer, validity: first.validity, count: n)
            case .date: return Vector(ints: elementwise(first.days, n) { Int64($0) }, type: .integer, validity: first.validity, count: n)
            default:
                let r = perEntry(first, memo: e.memo) { Conversion.convert(.string($0), to: .integer) }!
                return try converted(r.values, .integer, first, rows)
            }
        case .float:
            switch first.type {
            case .integer, .float: return Vector(floats: first.floats, validity: first.validity, count: n)
            case .boolean: return Vector(floats: elementwise(first.bools, n) { $0 ? 1 : 0 }, validity: first.validity, count: n)
            default:
                let r = perEntry(first, memo: e.memo) { Conversion.convert(.string($0), to: .float) }!
                return try converted(r.values, .float, first, rows)
            }
        case .string:
            if first.isNullScalar { return .scalar(.null, count: n) }
            if first.type == .string { return first }
            var b = StringDictionaryBuilder()
            let codes = (0..<n).map { i in b.insert(first.value(at: i).description) }
            return Vector(.string(codes[...], b.build()), validity: first.effectiveValidity, count: n)
        default: throw EngineError.internalError("\(f.rawValue) is not a function on conversions")
        }
    }

    func conditional(_ whens: [(BoundExpr, BoundExpr)], _ other: BoundExpr?, _ rows: Range<Int>, _ type: DataType) throws -> Vector {
        let n = rows.count
        var pick = [Int16](repeating: Int16(whens.count), count: n)
        var decided = [Bool](repeating: false, count: n)
        var results: [Vector] = []
        for (k, (condition, result)) in whens.enumerated() {
            let c = try evaluate(condition, rows)
            for i in 0..<n where !decided[i] && c.isValid(i) && c.bools.at(i) {
                pick[i] = Int16(k)
                decided[i] = true
            }
            results.append(try evaluate(result, rows))
        }
        results.append(try other.map { try evaluate($0, rows) } ?? .scalar(.null, count: n))
        return choose(results, pick, type, n)
    }

    /// Row `i` takes its value from `vectors[pick[i]]` (null when `pick[i]` is -1).
    func choose(_ vectors: [Vector], _ pick: [Int16], _ type: DataType, _ n: Int) -> Vector {
        var validity = Validity(count: n, allValid: true)
        for i in 0..<n {
            let k = Int(pick[i])
            if k < 0 || !vectors[k].isValid(i) { validity.set(i, false) }
        }
        func gather<T>(_ ops: [Operand<T>], _ zero: T) -> ArraySlice<T> {
            ArraySlice((0..<n).map { i in pick[i] < 0 ? zero : ops[Int(pick[i])].at(i) })
        }
        switch type {
        case .integer, .timestamp:
            let data = gather(vectors.map(\.ints), 0)
            return Vector(type == .integer ? .integer(data) : .timestamp(data), validity: validity, count: n)
        case .float: return Vector(.float(gather(vectors.map(\.floats), 0)), validity: validity, count: n)
        case .boolean: return Vector(.boolean(gather(vectors.map(\.bools), false)), validity: validity, count: n)
        case .date: return Vector(.date(gather(vectors.map(\.days), 0)), validity: validity, count: n)
        case .string:
            var builder = StringDictionaryBuilder()
            let codeOps: [Operand<Int32>] = vectors.map { v in
                switch v.data {
                case .string(let codes, let dict):
                    let remap = (0..<dict.count).map { builder.insert(dict[Int32($0)]) }
                    return elementwise(Operand.array(codes), n) { remap[Int($0)] }
                case .scalar(.string(let s)): return .scalar(builder.insert(s))
                default: return .scalar(0)
                }
            }
            if builder.count == 0 { builder.insert("") }  // code 0 of null rows must index the dictionary
            return Vector(.string(gather(codeOps, 0), builder.build()), validity: validity, count: n)
        }
    }

    /// Text converted to another type: a value that does not convert is an error naming its row.
    func converted(_ values: Operand<Value>, _ type: DataType, _ source: Vector, _ rows: Range<Int>) throws -> Vector {
        let n = rows.count
        let all = values.materialized(n)
        for i in 0..<n where all[i].isNull && source.isValid(i) {
            let text = source.value(at: i).description
            throw EngineError(.conversion, "\"\(text)\" in row \(rows.lowerBound + i + 1) is not \(type == .integer ? "an" : "a") \(type)",
                              hint: "filter out such rows first, e.g. with a condition on the text")
        }
        return boxed(values, type, source, n)
    }

    /// Values computed as boxed `Value`s (conversions that may fail) back into a typed vector.
    func boxed(_ values: Operand<Value>, _ type: DataType, _ source: Vector, _ n: Int) -> Vector {
        let all = values.materialized(n)
        var validity = source.effectiveValidity ?? Validity(count: n, allValid: true)
        for i in 0..<n where all[i].isNull { validity.set(i, false) }
        let column = Column.build(type, all)
        return Vector.slice(Column(column.storage, validity: validity), 0..<n)
    }

    /// The day (since the epoch) of a timestamp in microseconds, rounding down.
    @inline(__always)
    static func dayOf(_ micros: Int64) -> Int64 {
        let perDay: Int64 = 86_400_000_000
        return micros >= 0 ? micros / perDay : (micros - perDay + 1) / perDay
    }
}

extension Column {
    /// Builds a column of `type` from boxed values (nulls where a value is null or of another type).
    public static func build(_ type: DataType, _ values: [Value]) -> Column {
        switch type {
        case .integer: return .integers(values.map { if case .integer(let v) = $0 { return v } else { return nil } })
        case .float: return .floats(values.map { $0.isNull ? nil : $0.doubleValue })
        case .boolean: return .booleans(values.map { if case .boolean(let v) = $0 { return v } else { return nil } })
        case .date: return .dates(values.map { if case .date(let v) = $0 { return v } else { return nil } })
        case .timestamp: return .timestamps(values.map { if case .timestamp(let v) = $0 { return v } else { return nil } })
        case .string: return .strings(values.map { $0.isNull ? nil : $0.description })
        }
    }
}
