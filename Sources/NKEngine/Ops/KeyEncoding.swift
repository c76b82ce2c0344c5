/// Key columns turned into comparable 64-bit words: what group-by, distinct and join hash.
///
/// Integers, dates and timestamps keep their value, floats their normalised bit pattern
/// (`-0.0` as `0.0`, one NaN), booleans 0/1, text its dictionary code (or, for joins, the code
/// in the other side's dictionary). Nulls are a key of their own (SQL `group by` semantics).
struct EncodedKeys {
    var words: [[UInt64]]
    var validity: [Validity?]
    let count: Int

    init(_ columns: [Column], count: Int) {
        self.count = count
        words = columns.map { EncodedKeys.encode($0) }
        validity = columns.map(\.validity)
    }

    init(words: [[UInt64]], validity: [Validity?], count: Int) {
        self.words = words
        self.validity = validity
        self.count = count
    }

    static func encode(_ c: Column) -> [UInt64] {
        switch c.storage {
        case .integer(let a), .timestamp(let a): return a.map { UInt64(bitPattern: $0) }
        case .float(let a): return a.map { $0 == 0 ? 0 : ($0.isNaN ? Double.nan.bitPattern : $0.bitPattern) }
        case .boolean(let a): return a.map { $0 ? 1 : 0 }
        case .date(let a): return a.map { UInt64(bitPattern: Int64($0)) }
        case .string(let a, _): return a.map { UInt64(UInt32(bitPattern: $0)) }
        }
    }

    @inline(__always)
    func hash(_ row: Int) -> UInt64 {
        var h: UInt64 = 0x243F_6A88_85A3_08D3
        for k in 0..<words.count {
            let valid = validity[k]?.isValid(row) ?? true
            h = ByteHash.mix(h ^ (valid ? words[k][row] : 0x5bd1_e995_0000_0001) &+ UInt64(k))
        }
        return h
    }

    @inline(__always)
    func equal(_ i: Int, _ other: EncodedKeys, _ j: Int) -> Bool {
        for k in 0..<words.count {
            let vi = validity[k]?.isValid(i) ?? true
            let vj = other.validity[k]?.isValid(j) ?? true
            if vi != vj { return false }
            if vi && words[k][i] != other.words[k][j] { return false }
        }
        return true
    }

    /// Whether any key of the row is null (joins never match null keys).
    @inline(__always)
    func hasNull(_ row: Int) -> Bool {
        for v in validity { if let v, !v.isValid(row) { return true } }
        return false
    }
}

/// Assigns each row the number of its group (distinct key), in order of first appearance.
struct GroupAssignment {
    /// Per row, its group number.
    var groupOfRow: [Int32]
    /// Per group, the first row that has its key.
    var firstRow: [Int32]
    var groupCount: Int { firstRow.count }

    /// Hash-based assignment for any key types. - Complexity: O(rows) expected.
    static func assign(keys: EncodedKeys, cancellation: CancellationFlag) throws -> GroupAssignment {
        if keys.words.count == 1, keys.validity[0] == nil {
            return try GroupAssignment(singleKey: keys.words[0], cancellation: cancellation)
        }
        return try GroupAssignment(keys: keys, cancellation: cancellation)
    }

    private init(keys: EncodedKeys, cancellation: CancellationFlag) throws {
        let n = keys.count
        groupOfRow = [Int32](repeating: 0, count: n)
        firstRow = []
        var capacity = 1024
        var slots = [Int32](repeating: -1, count: capacity)
        var hashes: [UInt64] = []
        var mask = capacity - 1
        for row in 0..<n {
            if row & 0xFFFF == 0 { try cancellation.check() }
            if (firstRow.count + 1) * 2 > capacity {
                capacity *= 2
                mask = capacity - 1
                slots = [Int32](repeating: -1, count: capacity)
                for (g, h) in hashes.enumerated() {
                    var i = Int(truncatingIfNeeded: h) & mask
                    while slots[i] >= 0 { i = (i + 1) & mask }
                    slots[i] = Int32(g)
                }
            }
            let h = keys.hash(row)
            var i = Int(truncatingIfNeeded: h) & mask
            while true {
                let g = slots[i]
                if g < 0 {
                    let group = Int32(firstRow.count)
                    slots[i] = group
                    hashes.append(h)
                    firstRow.append(Int32(row))
                    groupOfRow[row] = group
                    break
                }
                if hashes[Int(g)] == h, keys.equal(Int(firstRow[Int(g)]), keys, row) {
                    groupOfRow[row] = g
                    break
                }
                i = (i + 1) & mask
            }
        }
    }

    /// One key column without nulls: a tighter loop on the words themselves.
    private init(singleKey words: [UInt64], cancellation: CancellationFlag) throws {
        let n = words.count
        groupOfRow = [Int32](repeating: 0, count: n)
        firstRow = []
        var capacity = 1024
        var slotKeys = [UInt64](repeating: 0, count: capacity)
        var slotGroups = [Int32](repeating: -1, count: capacity)
        var mask = capacity - 1
        var keysOfGroups: [UInt64] = []
        try words.withUnsafeBufferPointer { w in
            for row in 0..<n {
                if row & 0xFFFF == 0 { try cancellation.check() }
                if (keysOfGroups.count + 1) * 2 > capacity {
                    capacity *= 2
                    mask = capacity - 1
                    slotKeys = [UInt64](repeating: 0, count: capacity)
                    slotGroups = [Int32](repeating: -1, count: capacity)
                    for (g, key) in keysOfGroups.enumerated() {
                        var i = Int(truncatingIfNeeded: ByteHash.mix(key)) & mask
                        while slotGroups[i] >= 0 { i = (i + 1) & mask }
                        slotKeys[i] = key
                        slotGroups[i] = Int32(g)
                    }
                }
                let key = w[row]
                var i = Int(truncatingIfNeeded: ByteHash.mix(key)) & mask
                while true {
                    let g = slotGroups[i]
                    if g < 0 {
                        let group = Int32(keysOfGroups.count)
                        slotKeys[i] = key
                        slotGroups[i] = group
                        keysOfGroups.append(key)
                        firstRow.append(Int32(row))
                        groupOfRow[row] = group
                        break
                    }
                    if slotKeys[i] == key { groupOfRow[row] = g; break }
                    i = (i + 1) & mask
                }
            }
        }
    }
}
