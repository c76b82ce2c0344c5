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
