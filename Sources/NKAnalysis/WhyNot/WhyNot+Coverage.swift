import NKEngine

/// Counting, in memory, which of up to 63 candidate patterns each row has.
///
/// One pass over the rows, not one per candidate: for each attribute some candidate names,
/// a table maps each of its codes to the candidates a row with that code can still have
/// (those that name this code, and those that do not name the attribute). A row's bits are
/// the AND of its attributes' entries. The combinations are counted in a small
/// open-addressing table (there are few distinct ones), block by block on all cores.
extension WhyNot {
    /// Per row, which candidates it has, counted in memory.
    static func coverage(_ candidates: [Pattern], _ attributes: [Attribute], target: [UInt8]) -> Coverage {
        precondition(candidates.count <= summaryCandidates)
        let involved = Array(Set(candidates.flatMap { $0.items.map(\.attribute) })).sorted()
        let all: UInt64 = (1 << UInt64(candidates.count)) - 1
        let tables: [[UInt64]] = involved.map { a in
            var table = [UInt64](repeating: 0, count: attributes[a].valueCount)
            for (k, p) in candidates.enumerated() {
                let bit: UInt64 = 1 << UInt64(k)
                if let item = p.items.first(where: { $0.attribute == a }) {
                    table[item.code] |= bit
                } else {
                    for c in table.indices { table[c] |= bit }
                }
            }
            return table
        }
        let n = target.count
        let block = 1 << 14
        let blocks = (n + block - 1) / block
        let counted = Parallel.map(Parallel.workers, minimumWork: n) { worker -> CombinationCounter in
            var counter = CombinationCounter()
            var bits = [UInt64](repeating: 0, count: block)
            var b = worker
            while b < blocks {
                let start = b * block, end = min(n, start + block)
                bits.withUnsafeMutableBufferPointer { out in
                    for i in 0..<(end - start) { out[i] = all }
                    for (j, a) in involved.enumerated() {
                        attributes[a].codes.withUnsafeBufferPointer { codes in
                            tables[j].withUnsafeBufferPointer { table in
                                for i in start..<end { out[i - start] &= table[Int(codes[i])] }
                            }
                        }
                    }
                    target.withUnsafeBufferPointer { t in
                        for i in start..<end { counter.add(out[i - start], target: Int(t[i])) }
                    }
                }
                b += Parallel.workers
            }
            return counter
        }
        var merged: [UInt64: (rows: Int, target: Int)] = [:]
        for counter in counted {
            for cell in counter.cells {
                let c = merged[cell.bits, default: (0, 0)]
                merged[cell.bits] = (c.rows + cell.rows, c.target + cell.target)
            }
        }
        return Coverage(cells: merged.map { ($0.key, $0.value.rows, $0.value.target) })
    }
}

/// Rows and target rows per 64-bit key, in an open-addressing table that grows when half full.
struct CombinationCounter {
    private var keys: [UInt64]
    private var rows: [Int]
    private var targets: [Int]
    private var used: [Bool]
    private var count = 0
    private var mask: Int

    init(capacity: Int = 256) {
        keys = [UInt64](repeating: 0, count: capacity)
        rows = [Int](repeating: 0, count: capacity)
        targets = [Int](repeating: 0, count: capacity)
        used = [Bool](repeating: false, count: capacity)
        mask = capacity - 1
    }

    @inline(__always)
    mutating func add(_ key: UInt64, target: Int, rows n: Int = 1) {
        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
        while used[slot] && keys[slot] != key { slot = (slot + 1) & mask }
        if !used[slot] {
            used[slot] = true
            keys[slot] = key
            count += 1
        }
        rows[slot] += n
        targets[slot] += target
        if count * 2 > mask { grow() }
    }

    private mutating func grow() {
        let old = cells
        self = CombinationCounter(capacity: (mask + 1) * 2)
        for cell in old { add(cell.bits, target: cell.target, rows: cell.rows) }
    }

    var cells: [(bits: UInt64, rows: Int, target: Int)] {
        (0...mask).filter { used[$0] }.map { (keys[$0], rows[$0], targets[$0]) }
    }
}
