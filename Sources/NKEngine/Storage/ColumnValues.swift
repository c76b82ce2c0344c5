/// A column's values while they are appended, in the storage of its type, with the rows that
/// are null: what readers (CSV parts, database rows) fill before `build` makes the column.
public struct ColumnValues {
    public let type: DataType
    public var ints: [Int64] = []
    public var floats: [Double] = []
    public var bools: [Bool] = []
    public var days: [Int32] = []
    public var codes: [Int32] = []
    public var dictionary = StringDictionaryBuilder()
    public var nullRows: [Int32] = []
    public var count = 0

    public init(type: DataType, reserve: Int) {
        self.type = type
        switch type {
        case .integer, .timestamp: ints.reserveCapacity(reserve)
        case .float: floats.reserveCapacity(reserve)
        case .boolean: bools.reserveCapacity(reserve)
        case .date: days.reserveCapacity(reserve)
        case .string: codes.reserveCapacity(reserve)
        }
    }

    /// Appends a null (a placeholder value, and the row marked).
    public mutating func appendNull() {
        nullRows.append(Int32(truncatingIfNeeded: count))
        switch type {
        case .integer, .timestamp: ints.append(0)
        case .float: floats.append(0)
        case .boolean: bools.append(false)
        case .date: days.append(0)
        case .string: codes.append(0)
        }
        count += 1
    }

    /// The finished column.
    public func build() -> Column {
        var validity: Validity?
        if !nullRows.isEmpty {
            var v = Validity(count: count, allValid: true)
            for r in nullRows { v.set(Int(r), false) }
            validity = v
        }
        switch type {
        case .integer: return Column(.integer(ints), validity: validity)
        case .timestamp: return Column(.timestamp(ints), validity: validity)
        case .float: return Column(.float(floats), validity: validity)
        case .boolean: return Column(.boolean(bools), validity: validity)
        case .date: return Column(.date(days), validity: validity)
        case .string: return Column(.string(codes, dictionary.build()), validity: validity)
        }
    }
}
