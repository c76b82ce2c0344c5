/// The values of an expression over one chunk of rows.
///
/// Column references are slices that share the column's storage (no copy); literals stay
/// scalars and are never spread into arrays.
public struct Vector: @unchecked Sendable {
    public enum Data {
        case integer(ArraySlice<Int64>)
        case float(ArraySlice<Double>)
        case boolean(ArraySlice<Bool>)
        case date(ArraySlice<Int32>)
        case timestamp(ArraySlice<Int64>)
        case string(ArraySlice<Int32>, StringDictionary)
        /// The same value in every row (null included).
        case scalar(Value)
    }

    public var data: Data
    /// Nil when every row is valid (for a scalar: when it is not null).
    public var validity: Validity?
    public let count: Int

    public init(_ data: Data, validity: Validity?, count: Int) {
        self.data = data
        self.validity = validity
        self.count = count
    }

    public static func scalar(_ value: Value, count: Int) -> Vector {
        Vector(.scalar(value), validity: nil, count: count)
    }

    public var isScalar: Bool { if case .scalar = data { return true } else { return false } }
    public var isNullScalar: Bool { if case .scalar(.null) = data { return true } else { return false } }

    /// The validity as a bitmap even for scalars (all null or all valid), nil when all valid.
    var effectiveValidity: Validity? {
        if isNullScalar { return Validity(count: count, allValid: false) }
        return validity
    }

    @inline(__always)
    func isValid(_ i: Int) -> Bool {
        if isNullScalar { return false }
        return validity?.isValid(i) ?? true
    }

    /// A column holding this chunk's values (scalars are spread out here, at the very end).
    public func materialize(type: DataType) -> Column {
        switch data {
        case .integer(let a): return Column(.integer(Array(a)), validity: validity)
        case .float(let a): return Column(.float(Array(a)), validity: validity)
        case .boolean(let a): return Column(.boolean(Array(a)), validity: validity)
        case .date(let a): return Column(.date(Array(a)), validity: validity)
        case .timestamp(let a): return Column(.timestamp(Array(a)), validity: validity)
        case .string(let a, let d): return Column(.string(Array(a), d), validity: validity)
        case .scalar(let v): return Column.constant(v, type: type, count: count)
        }
    }

    /// The chunk of `column` for `rows` (shares storage).
    static func slice(_ column: Column, _ rows: Range<Int>) -> Vector {
        let v = column.validity?.slice(rows)
        switch column.storage {
        case .integer(let a): return Vector(.integer(a[rows]), validity: v, count: rows.count)
        case .float(let a): return Vector(.float(a[rows]), validity: v, count: rows.count)
        case .boolean(let a): return Vector(.boolean(a[rows]), validity: v, count: rows.count)
        case .date(let a): return Vector(.date(a[rows]), validity: v, count: rows.count)
        case .timestamp(let a): return Vector(.timestamp(a[rows]), validity: v, count: rows.count)
        case .string(let a, let d): return Vector(.string(a[rows], d), validity: v, count: rows.count)
        }
    }
}

/// One side of an elementwise operation: an array slice or a scalar.
enum Operand<T> {
    case array(ArraySlice<T>)
    case scalar(T)
}

/// Applies `f` elementwise over two operands; a scalar result when both are scalars.
/// - Complexity: O(n); the loop is free of bounds checks and boxing so it can vectorise.
@inline(__always)
func elementwise<A, B, R>(_ a: Operand<A>, _ b: Operand<B>, _ n: Int, _ f: (A, B) -> R) -> Operand<R> {
    switch (a, b) {
    case let (.scalar(x), .scalar(y)):
        return .scalar(f(x, y))
    case let (.array(xs), .array(ys)):
        return .array(ArraySlice(xs.withUnsafeBufferPointer { px in
            ys.withUnsafeBufferPointer { py in
                [R](unsafeUninitializedCapacity: n) { out, c in
                    for i in 0..<n { (out.baseAddress! + i).initialize(to: f(px[i], py[i])) }
                    c = n
                }
            }
        }))
    case let (.array(xs), .scalar(y)):
        return .array(ArraySlice(xs.withUnsafeBufferPointer { px in
            [R](unsafeUninitializedCapacity: n) { out, c in
                for i in 0..<n { (out.baseAddress! + i).initialize(to: f(px[i], y)) }
                c = n
            }
        }))
    case let (.scalar(x), .array(ys)):
        return .array(ArraySlice(ys.withUnsafeBufferPointer { py in
            [R](unsafeUninitializedCapacity: n) { out, c in
                for i in 0..<n { (out.baseAddress! + i).initialize(to: f(x, py[i])) }
                c = n
            }
        }))
    }
}

/// Applies `f` elementwise over one operand.
@inline(__always)
func elementwise<A, R>(_ a: Operand<A>, _ n: Int, _ f: (A) -> R) -> Operand<R> {
    switch a {
    case .scalar(let x): return .scalar(f(x))
    case .array(let xs):
        return .array(ArraySlice(xs.withUnsafeBufferPointer { px in
            [R](unsafeUninitializedCapacity: n) { out, c in
                for i in 0..<n { (out.baseAddress! + i).initialize(to: f(px[i])) }
                c = n
            }
        }))
    }
}
