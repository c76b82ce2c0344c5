/// One key of a sort: an expression and its direction. Nulls always sort last.
public struct SortKey: Sendable, Hashable {
    public var expr: Expr
    public var descending: Bool
    public init(_ expr: Expr, descending: Bool = false) { self.expr = expr; self.descending = descending }
    public static func asc(_ column: String) -> SortKey { SortKey(.column(column)) }
    public static func desc(_ column: String) -> SortKey { SortKey(.column(column), descending: true) }
}

/// Sort keys reduced to unsigned words whose order is the requested order (direction applied),
/// plus validity: comparisons in the sort loop never look at strings or types.
struct OrderKeys {
    var words: [[UInt64]]
    let validity: [Validity?]

    /// Throws when `cancellation` is set between its passes over the rows (a pass over 50 M
    /// rows takes up to a few hundred milliseconds).
    init(_ columns: [Column], descending: [Bool], cancellation: CancellationFlag? = nil) throws {
        var w: [[UInt64]] = []
        for (column, desc) in zip(columns, descending) {
            try cancellation?.check()
            var keys: [UInt64]
            switch column.storage {
            case .integer(let a), .timestamp(let a): keys = OrderKeys.map(a) { UInt64(bitPattern: $0) ^ (1 << 63) }
            case .date(let a): keys = OrderKeys.map(a) { UInt64(bitPattern: Int64($0)) ^ (1 << 63) }
            case .float(let a):
                // whole hundredths, tenths or units sort as such, in fewer radix passes
                var scaled: [UInt64]?
                for scale in [1.0, 10, 100] where scaled == nil {
                    scaled = RadixSort.scaledKeys(a, scale, cancellation: cancellation)?.keys
                    try cancellation?.check()
                }
                keys = scaled ?? OrderKeys.map(a, OrderKeys.orderedBits)
            case .boolean(let a): keys = a.map { $0 ? 1 : 0 }
            case .string(let codes, let dict):
                let ranks = dict.sortRanks()
                keys = codes.map { UInt64(ranks[Int($0)]) }
            }
            try cancellation?.check()
            if desc { keys = OrderKeys.map(keys) { ~$0 } }
            w.append(keys)
        }
        words = w
        validity = columns.map(\.validity)
    }

    /// `transform` of every value, on all cores for a large column.
    static func map<T>(_ values: [T], _ transform: (T) -> UInt64) -> [UInt64] {
        let n = values.count
        let parts = n >= 1 << 20 ? Parallel.split(n, parts: Parallel.workers) : [0..<n]
        return [UInt64](unsafeUninitializedCapacity: n) { out, count in
            let target = UncheckedBox(out)
            values.withUnsafeBufferPointer { v in
                Parallel.forEach(parts.count, minimumWork: n) { p in
                    for i in parts[p] { (target.value.baseAddress! + i).initialize(to: transform(v[i])) }
                }
            }
            count = n
        }
    }

    /// Bits of a Double whose unsigned order is the numeric order (NaN last, -0 = 0).
    static func orderedBits(_ x: Double) -> UInt64 {
        if x.isNaN { return UInt64.max }
        let bits = (x == 0 ? 0.0 : x).bitPattern
        return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
    }

    /// Whether row `a` sorts before row `b` (ties broken by row number: a stable order).
    @inline(__always)
    func less(_ a: Int32, _ b: Int32) -> Bool {
        for k in 0..<words.count {
            if let v = validity[k] {
                let va = v.isValid(Int(a)), vb = v.isValid(Int(b))
                if va != vb { return va }
                if !va { continue }
            }
            let x = words[k][Int(a)], y = words[k][Int(b)]
            if x != y { return x < y }
        }
        return a < b
    }
}

extension Table {
    /// The row order of a stable multi-key sort (nulls last in either direction).
    /// - Complexity: O(n log n), both halves sorted concurrently and merged.
    public func sortPermutation(_ keys: [SortKey], context: ExecutionContext = .standard) throws -> [Int32] {
        let columns = try keys.map { try evaluate($0.expr, context: context) }
        var order = try OrderKeys(columns, descending: keys.map(\.descending), cancellation: context.cancellation)
        try context.cancellation.check()
        let n = rowCount
        if order.words.count == 1, order.validity[0] == nil {
            // the words move out, so that the sort works on them without copying
            var words: [UInt64] = []
            swap(&words, &order.words[0])
            let rows = Table.sortSingleKey(&words, context.cancellation)
            try context.cancellation.check()
            return rows
        }
        var rows = (0..<Int32(n)).map { $0 }
        let halves = Parallel.split(n, parts: n > 100_000 ? 2 : 1)
        let flag = context.cancellation
        rows.withUnsafeMutableBufferPointer { buf in
            let target = UncheckedBox(buf)
            Parallel.forEach(halves.count, minimumWork: n) { h in
                var part = UnsafeMutableBufferPointer(rebasing: target.value[halves[h]])
                part.sort(by: Table.interruptible(order.less, flag))
            }
        }
        try context.cancellation.check()
        if halves.count == 2 { rows = Table.merge(rows, split: halves[1].lowerBound, by: order.less) }
        return rows
    }

    /// One key without nulls. Many rows are radix-sorted (stable, so ties stay in row order),
    /// in as many passes of at most 11 bits as the spread of the keys needs, the row number in
    /// the low bits of its key's word when both fit in 64 bits (else carried in an array
    /// beside); few rows sort (key, row) pairs, which compares plain integers.
    private static func sortSingleKey(_ words: inout [UInt64], _ flag: CancellationFlag) -> [Int32] {
        let n = words.count
        if n >= 1 << 16 {
            // the smallest and largest key, and the keys made relative to the smallest, on all cores
            let parts = Parallel.split(n, parts: Parallel.workers)
            let ranges = words.withUnsafeBufferPointer { w in
                Parallel.map(parts.count, minimumWork: n) { p -> (UInt64, UInt64) in
                    var low = UInt64.max, high = UInt64.min
                    for i in parts[p] { low = min(low, w[i]); high = max(high, w[i]) }
                    return (low, high)
                }
            }
            let low = ranges.map(\.0).min() ?? 0, high = ranges.map(\.1).max() ?? 0
            if flag.isCancelled { return [] }
            if low != 0 {
                words.withUnsafeMutableBufferPointer { w in
                    let target = UncheckedBox(w)
                    Parallel.forEach(parts.count, minimumWork: n) { p in
                        for i in parts[p] { target.value[i] &-= low }
                    }
                }
            }
            if flag.isCancelled { return [] }
            let keyBits = 64 - (high &- low).leadingZeroBitCount
            if let rows = RadixSort.stableOrder(&words, keyBits: keyBits, cancellation: flag) {
                return flag.isCancelled ? [] : rows
            }
            var rows = (0..<Int32(n)).map { $0 }
            RadixSort.sort(&words, carrying: &rows, bits: keyBits, cancellation: flag)
            return flag.isCancelled ? [] : rows
        }
        var pairs = [SIMD2<UInt64>](unsafeUninitializedCapacity: n) { buf, c in
            for i in 0..<n { buf[i] = SIMD2(words[i], UInt64(i)) }
            c = n
        }
        let halves = Parallel.split(n, parts: n > 100_000 ? 2 : 1)
        let less: (SIMD2<UInt64>, SIMD2<UInt64>) -> Bool = { $0.x != $1.x ? $0.x < $1.x : $0.y < $1.y }
        pairs.withUnsafeMutableBufferPointer { buf in
            let target = UncheckedBox(buf)
            Parallel.forEach(halves.count, minimumWork: n) { h in
                var part = UnsafeMutableBufferPointer(rebasing: target.value[halves[h]])
                part.sort(by: Table.interruptible(less, flag))
            }
        }
        if flag.isCancelled { return [] }   // the caller throws
        if halves.count == 2 { pairs = merge(pairs, split: halves[1].lowerBound, by: less) }
        return pairs.map { Int32(truncatingIfNeeded: $0.y) }
    }

    /// `less`, checking the cancellation flag every 65,536 comparisons; once it is set every
    /// comparison answers false, so the standard library's sort (which cannot be stopped)
    /// runs out in a linear pass and the caller's next check throws.
    static func interruptible<T>(_ less: @escaping (T, T) -> Bool, _ flag: CancellationFlag) -> (T, T) -> Bool {
        var calls = 0, stopped = false
        return { a, b in
            calls &+= 1
            if calls & 0xFFFF == 0, flag.isCancelled { stopped = true }
            return stopped ? false : less(a, b)
        }
    }

    static func merge<T>(_ a: [T], split: Int, by less: (T, T) -> Bool) -> [T] {
        var out = [T]()
        out.reserveCapacity(a.count)
        var i = 0, j = split
        while i < split, j < a.count {
            if less(a[j], a[i]) { out.append(a[j]); j += 1 } else { out.append(a[i]); i += 1 }
        }
        out.append(contentsOf: a[i..<split])
        out.append(contentsOf: a[j...])
        return out
    }

    /// The rows in sorted order. - Complexity: O(n log n).
    public func sorted(by keys: [SortKey], context: ExecutionContext = .standard) throws -> Table {
        try gather(permutation: try sortPermutation(keys, context: context), cancellation: context.cancellation)
    }

    /// The first `count` rows in sorted order, without sorting the rest (a bounded heap).
    /// - Complexity: O(n log count).
    public func top(_ count: Int, by keys: [SortKey], context: ExecutionContext = .standard) throws -> Table {
        let k = max(0, min(count, rowCount))
        if k == 0 { return head(0) }
        if k * 4 >= rowCount { return try sorted(by: keys, context: context).head(k) }
        let columns = try keys.map { try evaluate($0.expr, context: context) }
        let order = try OrderKeys(columns, descending: keys.map(\.descending), cancellation: context.cancellation)
        // max-heap of the best k rows seen so far: the root is the worst of them
        var heap = [Int32]()
        heap.reserveCapacity(k + 1)
        func siftDown(_ start: Int) {
            var i = start
            while true {
                let l = 2 * i + 1, r = l + 1
                var worst = i
                if l < heap.count, order.less(heap[worst], heap[l]) { worst = l }
                if r < heap.count, order.less(heap[worst], heap[r]) { worst = r }
                if worst == i { return }
                heap.swapAt(i, worst)
                i = worst
            }
        }
        for row in 0..<Int32(rowCount) {
            if row & 0xFFFF == 0 { try context.cancellation.check() }
            if heap.count < k {
                heap.append(row)
                var i = heap.count - 1
                while i > 0 {
                    let p = (i - 1) / 2
                    if order.less(heap[p], heap[i]) { heap.swapAt(p, i); i = p } else { break }
                }
            } else if order.less(row, heap[0]) {
                heap[0] = row
                siftDown(0)
            }
        }
        return gather(heap.sorted(by: order.less))
    }
}
