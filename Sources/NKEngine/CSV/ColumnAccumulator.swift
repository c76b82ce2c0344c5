/// A whole column of a CSV file, assembled from the parts parsed wave after wave.
struct ColumnAccumulator {
    let type: DataType
    var ints: [Int64] = []
    var floats: [Double] = []
    var bools: [Bool] = []
    var days: [Int32] = []
    var codes: [Int32] = []
    var dictionary = StringDictionaryBuilder()
    var nullRows: [Int32] = []
    var count = 0
    /// The first value that did not fit the column's type: byte offset and text.
    var failure: (offset: Int, text: String)?

    init(type: DataType, reserve: Int) {
        self.type = type
        switch type {
        case .integer, .timestamp: ints.reserveCapacity(reserve)
        case .float: floats.reserveCapacity(reserve)
        case .boolean: bools.reserveCapacity(reserve)
        case .date: days.reserveCapacity(reserve)
        case .string: codes.reserveCapacity(reserve)
        }
    }

    /// Appends a part's values, re-encoding its text codes into this column's dictionary (in
    /// the part's own buffers, which the next wave overwrites anyway).
    mutating func append(contentsOf part: ColumnBuilder) {
        let base = Int32(truncatingIfNeeded: count)
        if base != 0 { part.nullRows.shiftAll(by: base) }
        nullRows.append(contentsOf: part.nullRows.buffer)
        switch type {
        case .integer, .timestamp: ints.append(contentsOf: part.ints.buffer)
        case .float: floats.append(contentsOf: part.floats.buffer)
        case .boolean: bools.append(contentsOf: part.bools.buffer)
        case .date: days.append(contentsOf: part.days.buffer)
        case .string:
            let local = part.dictionary
            var remap = [Int32](repeating: 0, count: local.count)
            var identity = true
            local.bytes.withUnsafeBufferPointer { arena in
                for c in 0..<local.count {
                    let lo = local.offsets[c]
                    remap[c] = dictionary.insert(UnsafeRawPointer(arena.baseAddress ?? UnsafePointer(bitPattern: 1)!) + lo, local.offsets[c + 1] - lo)
                    identity = identity && remap[c] == Int32(c)
                }
            }
            if !identity { part.codes.remap(through: remap) }
            codes.append(contentsOf: part.codes.buffer)
        }
        count += part.count
        if failure == nil { failure = part.failure }
    }

    /// The finished column.
    func build() -> Column {
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
