/// A whole column of a CSV file, assembled from the parts parsed wave after wave.
struct ColumnAccumulator {
    var values: ColumnValues
    var type: DataType { values.type }
    /// The first value that did not fit the column's type: byte offset and text.
    var failure: (offset: Int, text: String)?

    init(type: DataType, reserve: Int) {
        values = ColumnValues(type: type, reserve: reserve)
    }

    /// Appends a part's values, re-encoding its text codes into this column's dictionary (in
    /// the part's own buffers, which the next wave overwrites anyway). Each distinct string of
    /// the part is looked up with the hash the part computed for it, not hashed again
    /// (``StringDictionaryBuilder/insertAll(of:)``).
    mutating func append(contentsOf part: ColumnBuilder) {
        let base = Int32(truncatingIfNeeded: values.count)
        if base != 0 { part.nullRows.shiftAll(by: base) }
        values.nullRows.append(contentsOf: part.nullRows.buffer)
        switch type {
        case .integer, .timestamp: values.ints.append(contentsOf: part.ints.buffer)
        case .float: values.floats.append(contentsOf: part.floats.buffer)
        case .boolean: values.bools.append(contentsOf: part.bools.buffer)
        case .date: values.days.append(contentsOf: part.days.buffer)
        case .string:
            let remap = values.dictionary.insertAll(of: part.dictionary)
            let identity = remap.indices.allSatisfy { remap[$0] == Int32($0) }
            if !identity { part.codes.remap(through: remap) }
            values.codes.append(contentsOf: part.codes.buffer)
        }
        values.count += part.count
        if failure == nil { failure = part.failure }
    }

    /// The finished column.
    func build() -> Column { values.build() }
}
