extension Vector {
    /// The logical type of the values (a null scalar reports `string`; callers check nulls first).
    var type: DataType {
        switch data {
        case .integer: return .integer
        case .float: return .float
        case .boolean: return .boolean
        case .date: return .date
        case .timestamp: return .timestamp
        case .string: return .string
        case .scalar(let v): return v.type ?? .string
        }
    }

    /// Integer or timestamp values.
    var ints: Operand<Int64> {
        switch data {
        case .integer(let a), .timestamp(let a): return .array(a)
        case .scalar(.integer(let v)), .scalar(.timestamp(let v)): return .scalar(v)
        case .scalar(.date(let d)): return .scalar(Int64(d))
        case .date(let a): return .array(ArraySlice(a.map { Int64($0) }))
        default: return .scalar(0)
        }
    }

    var floats: Operand<Double> {
        switch data {
        case .float(let a): return .array(a)
        case .integer(let a): return .array(ArraySlice(a.map { Double($0) }))
        case .scalar(let v): return .scalar(v.doubleValue ?? 0)
        default: return .scalar(0)
        }
    }

    var bools: Operand<Bool> {
        switch data {
        case .boolean(let a): return .array(a)
        case .scalar(.boolean(let b)): return .scalar(b)
        default: return .scalar(false)
        }
    }

    var days: Operand<Int32> {
        switch data {
        case .date(let a): return .array(a)
        case .scalar(.date(let d)): return .scalar(d)
        default: return .scalar(0)
        }
    }

    init(ints: Operand<Int64>, type: DataType, validity: Validity?, count: Int) {
        switch ints {
        case .array(let a): self.init(type == .timestamp ? .timestamp(a) : .integer(a), validity: validity, count: count)
        case .scalar(let v):
            if let validity { self.init(type == .timestamp ? .timestamp(ArraySlice(repeating: v, count: count)) : .integer(ArraySlice(repeating: v, count: count)), validity: validity, count: count) }
            else { self.init(.scalar(type == .timestamp ? .timestamp(v) : .integer(v)), validity: nil, count: count) }
        }
    }

    init(floats: Operand<Double>, validity: Validity?, count: Int) {
        switch floats {
        case .array(let a): self.init(.float(a), validity: validity, count: count)
        case .scalar(let v):
            if let validity { self.init(.float(ArraySlice(repeating: v, count: count)), validity: validity, count: count) }
            else { self.init(.scalar(.float(v)), validity: nil, count: count) }
        }
    }

    init(bools: Operand<Bool>, validity: Validity?, count: Int) {
        switch bools {
        case .array(let a): self.init(.boolean(a), validity: validity, count: count)
        case .scalar(let v):
            if let validity { self.init(.boolean(ArraySlice(repeating: v, count: count)), validity: validity, count: count) }
            else { self.init(.scalar(.boolean(v)), validity: nil, count: count) }
        }
    }

    init(days: Operand<Int32>, validity: Validity?, count: Int) {
        switch days {
        case .array(let a): self.init(.date(a), validity: validity, count: count)
        case .scalar(let v):
            if let validity { self.init(.date(ArraySlice(repeating: v, count: count)), validity: validity, count: count) }
            else { self.init(.scalar(.date(v)), validity: nil, count: count) }
        }
    }

    /// The boxed value of one row (slow; for the rarely used per-row paths).
    func value(at i: Int) -> Value {
        if !isValid(i) { return .null }
        switch data {
        case .integer(let a): return .integer(a[a.startIndex + i])
        case .float(let a): return .float(a[a.startIndex + i])
        case .boolean(let a): return .boolean(a[a.startIndex + i])
        case .date(let a): return .date(a[a.startIndex + i])
        case .timestamp(let a): return .timestamp(a[a.startIndex + i])
        case .string(let a, let d): return .string(d[a[a.startIndex + i]])
        case .scalar(let v): return v
        }
    }
}

extension Operand {
    /// The element of row `i`.
    @inline(__always)
    func at(_ i: Int) -> T {
        switch self {
        case .scalar(let v): return v
        case .array(let a): return a[a.startIndex + i]
        }
    }

    /// All `n` elements as an array.
    func materialized(_ n: Int) -> [T] {
        switch self {
        case .scalar(let v): return [T](repeating: v, count: n)
        case .array(let a): return Array(a)
        }
    }
}
