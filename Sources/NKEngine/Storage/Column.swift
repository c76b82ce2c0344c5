/// The physical values of a column: one contiguous array per column, typed.
///
/// Null rows hold an arbitrary placeholder (zero, false, code 0) that no operator reads:
/// whether a row is null is decided by the column's ``Validity`` alone, never by a sentinel.
public enum ColumnStorage: Sendable {
    case integer([Int64])
    case float([Double])
    case boolean([Bool])
    /// Days since 1970-01-01.
    case date([Int32])
    /// Microseconds since 1970-01-01T00:00:00.
    case timestamp([Int64])
    /// Codes into the dictionary.
    case string([Int32], StringDictionary)
}

/// A typed, immutable column of values with an optional validity bitmap (nil: no nulls).
///
/// Invariant for text: every code, null rows' included, indexes the dictionary, so tables
/// computed per dictionary entry can be gathered by code without checks. Null rows hold code 0,
/// and a text column with rows always has at least one dictionary entry.
public struct Column: Sendable {
    public let storage: ColumnStorage
    public let validity: Validity?

    public init(_ storage: ColumnStorage, validity: Validity? = nil) {
        var storage = storage
        if case .string(let codes, let dictionary) = storage, dictionary.count == 0, !codes.isEmpty {
            // only null rows (code 0): give code 0 an entry
            storage = .string(codes, .blank)
        }
        self.storage = storage
        let n = Column.count(of: storage)
        if let v = validity {
            precondition(v.count == n, "validity length \(v.count) does not match column length \(n)")
            self.validity = v.allValid ? nil : v
        } else {
            self.validity = nil
        }
    }

    /// Convenience constructors used by tests and small tables.
    public static func integers(_ values: [Int64?]) -> Column {
        Column(.integer(values.map { $0 ?? 0 }), validity: Validity(values.map { $0 != nil }))
    }
    public static func floats(_ values: [Double?]) -> Column {
        Column(.float(values.map { $0 ?? 0 }), validity: Validity(values.map { $0 != nil }))
    }
    public static func booleans(_ values: [Bool?]) -> Column {
        Column(.boolean(values.map { $0 ?? false }), validity: Validity(values.map { $0 != nil }))
    }
    public static func dates(_ values: [Int32?]) -> Column {
        Column(.date(values.map { $0 ?? 0 }), validity: Validity(values.map { $0 != nil }))
    }
    public static func timestamps(_ values: [Int64?]) -> Column {
        Column(.timestamp(values.map { $0 ?? 0 }), validity: Validity(values.map { $0 != nil }))
    }
    public static func strings(_ values: [String?]) -> Column {
        var b = StringDictionaryBuilder()
        let codes = values.map { $0.map { b.insert($0) } ?? 0 }
        return Column(.string(codes, b.build()), validity: Validity(values.map { $0 != nil }))
    }

    /// A column of `count` nulls of the given type.
    public static func nulls(_ type: DataType, count: Int) -> Column {
        let v = Validity(count: count, allValid: false)
        switch type {
        case .integer: return Column(.integer(.init(repeating: 0, count: count)), validity: v)
        case .float: return Column(.float(.init(repeating: 0, count: count)), validity: v)
        case .boolean: return Column(.boolean(.init(repeating: false, count: count)), validity: v)
        case .date: return Column(.date(.init(repeating: 0, count: count)), validity: v)
        case .timestamp: return Column(.timestamp(.init(repeating: 0, count: count)), validity: v)
        case .string: return Column(.string(.init(repeating: 0, count: count), .empty), validity: v)
        }
    }

    /// A column holding `value` in each of `count` rows.
    public static func constant(_ value: Value, type: DataType, count: Int) -> Column {
        switch value {
        case .null: return nulls(type, count: count)
        case .integer(let x): return Column(.integer(.init(repeating: x, count: count)))
        case .float(let x): return Column(.float(.init(repeating: x, count: count)))
        case .boolean(let x): return Column(.boolean(.init(repeating: x, count: count)))
        case .date(let x): return Column(.date(.init(repeating: x, count: count)))
        case .timestamp(let x): return Column(.timestamp(.init(repeating: x, count: count)))
        case .string(let s): return Column(.string(.init(repeating: 0, count: count), StringDictionary([s])))
        }
    }

    static func count(of storage: ColumnStorage) -> Int {
        switch storage {
        case .integer(let a): return a.count
        case .float(let a): return a.count
        case .boolean(let a): return a.count
        case .date(let a): return a.count
        case .timestamp(let a): return a.count
        case .string(let a, _): return a.count
        }
    }

    /// Number of rows.
    public var count: Int { Column.count(of: storage) }

    /// The logical type.
    public var type: DataType {
        switch storage {
        case .integer: return .integer
        case .float: return .float
        case .boolean: return .boolean
        case .date: return .date
        case .timestamp: return .timestamp
        case .string: return .string
        }
    }

    /// Number of null rows. - Complexity: O(n/64).
    public var nullCount: Int { validity?.nullCount ?? 0 }

    @inline(__always)
    public func isNull(_ row: Int) -> Bool { validity.map { !$0.isValid(row) } ?? false }

    /// The value of one row, boxed (for display and tests, not for hot loops).
    public subscript(row: Int) -> Value {
        if isNull(row) { return .null }
        switch storage {
        case .integer(let a): return .integer(a[row])
        case .float(let a): return .float(a[row])
        case .boolean(let a): return .boolean(a[row])
        case .date(let a): return .date(a[row])
        case .timestamp(let a): return .timestamp(a[row])
        case .string(let a, let d): return .string(d[a[row]])
        }
    }

    /// All values, boxed.
    public var values: [Value] { (0..<count).map { self[$0] } }

    /// The rows at the given indices, in that order. - Complexity: O(rows.count).
    public func gather(_ rows: [Int32]) -> Column {
        rows.withUnsafeBufferPointer { gather($0) }
    }

    /// The rows at the given indices; an index of -1 yields a null (used by left joins).
    public func gather(_ rows: UnsafeBufferPointer<Int32>) -> Column {
        gather(rows, stop: nil)
    }

    /// The rows at the given indices, asking `stop` between blocks of a million rows: when it
    /// says yes the column comes back short, and the caller (who asked) throws it away.
    public func gather(_ rows: UnsafeBufferPointer<Int32>, stop: (() -> Bool)?) -> Column {
        var hasMissing = false
        for r in rows where r < 0 { hasMissing = true; break }
        let block = 1 << 20
        func pick<T>(_ a: [T], _ zero: T) -> [T] {
            a.withUnsafeBufferPointer { src in
                [T](unsafeUninitializedCapacity: rows.count) { dst, n in
                    var start = 0
                    while start < rows.count {
                        if start > 0, let stop, stop() { break }
                        let end = min(rows.count, start + block)
                        if hasMissing {
                            for j in start..<end { let r = Int(rows[j]); (dst.baseAddress! + j).initialize(to: r < 0 ? zero : src[r]) }
                        } else {
                            for j in start..<end { (dst.baseAddress! + j).initialize(to: src[Int(rows[j])]) }
                        }
                        start = end
                    }
                    n = start
                }
            }
        }
        var validity = self.validity?.gather(rows)
        if hasMissing {
            var v = validity ?? Validity(count: rows.count, allValid: true)
            for j in 0..<rows.count where rows[j] < 0 { v.set(j, false) }
            validity = v
        }
        let gathered: ColumnStorage
        switch storage {
        case .integer(let a): gathered = .integer(pick(a, 0))
        case .float(let a): gathered = .float(pick(a, 0))
        case .boolean(let a): gathered = .boolean(pick(a, false))
        case .date(let a): gathered = .date(pick(a, 0))
        case .timestamp(let a): gathered = .timestamp(pick(a, 0))
        case .string(let a, let d): gathered = .string(pick(a, 0), d)
        }
        // stopped part-way: an empty column the caller throws away
        if Column.count(of: gathered) < rows.count { return Column.nulls(type, count: 0) }
        return Column(gathered, validity: validity)
    }

    /// The rows in `range`, copied.
    public func slice(_ range: Range<Int>) -> Column {
        let v = validity?.slice(range)
        switch storage {
        case .integer(let a): return Column(.integer(Array(a[range])), validity: v)
        case .float(let a): return Column(.float(Array(a[range])), validity: v)
        case .boolean(let a): return Column(.boolean(Array(a[range])), validity: v)
        case .date(let a): return Column(.date(Array(a[range])), validity: v)
        case .timestamp(let a): return Column(.timestamp(Array(a[range])), validity: v)
        case .string(let a, let d): return Column(.string(Array(a[range]), d), validity: v)
        }
    }

    /// The values as Doubles (integers converted), for numeric columns; nil otherwise.
    public var doubles: [Double]? {
        switch storage {
        case .float(let a): return a
        case .integer(let a): return a.map { Double($0) }
        default: return nil
        }
    }
}
