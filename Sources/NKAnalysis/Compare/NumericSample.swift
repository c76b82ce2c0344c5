import NKEngine

/// The numbers of one group of a comparison: gathered from a column, and sorted by radix in as
/// few passes as their range needs (counts and scores take one, money with cents two).
enum NumericSample {
    /// Appends the non-null, finite values of the part's rows to their group.
    static func collect(_ part: Compare.Part, into groups: inout [[Double]]) {
        let c = part.column
        let rowGroup = IntegerHistogram.rowGroups(part)
        var sizes = [0, 0, 0]
        for g in rowGroup { sizes[Int(min(g, 2))] += 1 }
        func take<T>(_ a: [T], _ convert: (T) -> Double) {
            // one buffer per group and a one-slot bin for the rest; each row is written where
            // its group says, without branching on it
            let first = UnsafeMutablePointer<Double>.allocate(capacity: sizes[0] + 1)
            let second = UnsafeMutablePointer<Double>.allocate(capacity: sizes[1] + 1)
            let bin = UnsafeMutablePointer<Double>.allocate(capacity: 1)
            defer { first.deallocate(); second.deallocate(); bin.deallocate() }
            var targets = (first, second, bin)
            var next = (0, 0, 0)
            a.withUnsafeBufferPointer { p in
                rowGroup.withUnsafeBufferPointer { g in
                    withUnsafeMutableBytes(of: &targets) { t in
                        withUnsafeMutableBytes(of: &next) { k in
                            let out = t.bindMemory(to: UnsafeMutablePointer<Double>.self)
                            let index = k.bindMemory(to: Int.self)
                            for i in 0..<p.count {
                                let group = Int(min(g[i], 2))
                                out[group][index[group]] = convert(p[i])
                                index[group] &+= group == 2 ? 0 : 1
                            }
                        }
                    }
                }
            }
            let filled = [(first, sizes[0]), (second, sizes[1])].map { Array(UnsafeBufferPointer(start: $0.0, count: $0.1)) }
            for k in 0..<2 { if groups[k].isEmpty { groups[k] = filled[k] } else { groups[k] += filled[k] } }
        }
        switch c.storage {
        case .integer(let a): take(a) { Double($0) }
        case .float(let a):
            take(a) { $0 }
            if groups[0].contains(where: { !$0.isFinite }) { groups[0].removeAll { !$0.isFinite } }
            if groups[1].contains(where: { !$0.isFinite }) { groups[1].removeAll { !$0.isFinite } }
        case .date(let a): take(a) { Double($0) }
        case .timestamp(let a): take(a) { Double($0) / 1_000_000 }
        default: break
        }
    }

    /// The values in ascending order.
    static func sorted(_ values: [Double], integral: Bool = false) -> [Double] {
        sorted(values, integral: integral, stop: nil)
    }

    /// The values in ascending order; a set `cancellation` (asked between the sort's passes)
    /// throws "cancelled".
    static func sorted(_ values: [Double], integral: Bool = false, cancellation: CancellationFlag) throws -> [Double] {
        let result = sorted(values, integral: integral, stop: cancellation)
        try cancellation.check()
        return result
    }

    /// The sort itself: once `stop` is set its answer is incomplete, and the caller throws.
    private static func sorted(_ values: [Double], integral: Bool, stop: CancellationFlag?) -> [Double] {
        guard values.count > 64 else { return values.sorted() }
        // values that are whole numbers of hundredths, tenths or units sort as small integers
        for scale in integral ? [1.0] : [1.0, 10, 100] {
            if let keys = RadixSort.scaledKeys(values, scale, cancellation: stop) {
                var k = keys.keys
                RadixSort.sort(&k, bits: keys.bits, cancellation: stop)
                return k.map { Double(Int64(bitPattern: $0) &+ keys.offset) / scale }
            }
            if stop?.isCancelled == true { return [] }
        }
        // any other doubles: their bit patterns, made to sort as unsigned integers
        var k = values.map { x -> UInt64 in
            let bits = (x == 0 ? 0.0 : x).bitPattern
            return bits >> 63 == 1 ? ~bits : bits | (1 << 63)
        }
        let low = k.min() ?? 0, high = k.max() ?? 0
        for i in k.indices { k[i] &-= low }
        RadixSort.sort(&k, bits: 64 - (high &- low).leadingZeroBitCount, cancellation: stop)
        return k.map { key -> Double in
            let bits = key &+ low
            return Double(bitPattern: bits >> 63 == 1 ? bits & ~(1 << 63) : ~bits)
        }
    }

}

/// Two groups of a whole-number column described from one histogram of its values, without
/// gathering or sorting them: sizes, means, variances, medians and the pooled ranks are read
/// off the counts. Used when the values span a small range (counts, scores, sizes, dates).
struct IntegerHistogram {
    var low: Int64
    var range: Int
    /// Group-major counts: `counts[g * range + (value − low)]`.
    var counts: [Int32]

    /// Most distinct values the histogram may span.
    static let maximumRange = 1 << 22

    init?(_ parts: [Compare.Part]) {
        // per part: its values and each row's group (2 or more: neither group, or null)
        var inputs: [([Int64], [UInt8])] = []
        var low = Int64.max, high = Int64.min, rows = 0
        for part in parts {
            guard case .integer(let values) = part.column.storage else { return nil }
            let groups = IntegerHistogram.rowGroups(part)
            rows += values.count
            values.withUnsafeBufferPointer { p in
                groups.withUnsafeBufferPointer { g in
                    // without branches: half the rows may be null or outside, at random
                    for i in 0..<p.count {
                        let outside = Int64(truncatingIfNeeded: Swift.min(g[i] >> 1, 1)) &* -1   // all ones when outside
                        let v = p[i]
                        low = Swift.min(low, (v & ~outside) | (Int64.max & outside))
                        high = Swift.max(high, (v & ~outside) | (Int64.min & outside))
                    }
                }
            }
            inputs.append((values, groups))
        }
        guard low <= high, high &- low >= 0, high - low < Int64(Swift.min(IntegerHistogram.maximumRange, 4 * rows + 65_536)) else { return nil }
        let range = Int(high - low) + 1
        // the last slot takes the rows outside both groups
        var counts = [Int32](repeating: 0, count: 2 * range + 1)
        counts.withUnsafeMutableBufferPointer { h in
            for (values, groups) in inputs {
                values.withUnsafeBufferPointer { p in
                    groups.withUnsafeBufferPointer { g in
                        let trash = 2 * range
                        for i in 0..<p.count {
                            let outside = Int(truncatingIfNeeded: Swift.min(g[i] >> 1, 1)) &* -1   // all ones when outside
                            let slot = Int(g[i] & 1) &* range &+ Int(truncatingIfNeeded: p[i] &- low)
                            h[(slot & ~outside) | (trash & outside)] &+= 1
                        }
                    }
                }
            }
        }
        counts.removeLast()
        self.low = low
        self.range = range
        self.counts = counts
    }

    /// The group of each row of a part: 0, 1, or 2 and above for neither group or a null.
    static func rowGroups(_ part: Compare.Part) -> [UInt8] {
        var groups: [UInt8]
        switch part.membership {
        case .whole(let g): groups = [UInt8](repeating: UInt8(g), count: part.column.count)
        case .mask(let m): groups = m
        }
        if let v = part.column.validity {
            v.words.withUnsafeBufferPointer { w in
                groups.withUnsafeMutableBufferPointer { g in
                    for i in 0..<g.count { g[i] |= UInt8(truncatingIfNeeded: ((~w[i >> 6]) >> UInt64(i & 63)) & 1) << 1 }
                }
            }
        }
        return groups
    }

    /// Size, mean, median (type 7), and variance (ddof 1) of a group.
    func describe(_ g: Int) -> (n: Int, mean: Double?, median: Double?, variance: Double?) {
        let base = g * range
        var n = 0, sum = 0
        for k in 0..<range { let c = Int(counts[base + k]); n += c; sum += c * k }
        guard n > 0 else { return (0, nil, nil, nil) }
        let meanOffset = Double(sum) / Double(n)
        var squares = 0.0
        for k in 0..<range where counts[base + k] > 0 {
            let d = Double(k) - meanOffset
            squares += Double(counts[base + k]) * d * d
        }
        return (n, Double(low) + meanOffset, quantile(g, 0.5, of: n), n > 1 ? squares / Double(n - 1) : nil)
    }

    /// The 5th to 95th percentiles of a group (nil without values).
    func spread(_ g: Int) -> Compare.Spread? {
        let base = g * range
        var n = 0
        for k in 0..<range { n += Int(counts[base + k]) }
        guard n > 0 else { return nil }
        return Compare.Spread { quantile(g, $0, of: n) }
    }

    /// The quantile q (type 7) of a group of n values: the values at sorted positions
    /// ⌊q (n−1)⌋ and the next one, interpolated.
    func quantile(_ g: Int, _ q: Double, of n: Int) -> Double {
        let base = g * range
        let position = q * Double(n - 1)
        let lower = Int(position.rounded(.down)), upper = Swift.min(lower + 1, n - 1)
        var seen = 0, lowValue: Int?, highValue: Int?
        for k in 0..<range where counts[base + k] > 0 {
            seen += Int(counts[base + k])
            if lowValue == nil, seen > lower { lowValue = k }
            if seen > upper { highValue = k; break }
        }
        let a = Double(low) + Double(lowValue!), b = Double(low) + Double(highValue!)
        return a + (b - a) * (position - Double(lower))
    }

    /// The first group's rank sum in the pooled sample (ties averaged) and Σ (t³ − t).
    func ranks() -> (rankSum: Double, tieTerm: Double) {
        var before = 0.0, rankSum = 0.0, tieTerm = 0.0
        for k in 0..<range {
            let a = Double(counts[k]), b = Double(counts[range + k])
            let t = a + b
            guard t > 0 else { continue }
            rankSum += a * (before + (t + 1) / 2)
            tieTerm += t * t * t - t
            before += t
        }
        return (rankSum, tieTerm)
    }
}

extension NumericSample {
    /// The indices of `values` in ascending (or descending) order, equal values in index order
    /// — a stable order, by radix when the values are whole numbers of units, tenths or
    /// hundredths (counts, days, money), else by comparison.
    /// A set `cancellation` (asked while the keys are made and within the sort's passes) leaves
    /// the order incomplete or empty: the caller checks the flag.
    static func stableOrder(_ values: [Double], descending: Bool = false, cancellation: CancellationFlag? = nil) -> [Int32] {
        let n = values.count
        guard n > 1 else { return (0..<Int32(n)).map { $0 } }
        for scale in [1.0, 10, 100] {
            guard var scaled = RadixSort.scaledKeys(values, scale, cancellation: cancellation) else {
                // stopped: no other scale, and no pass over the doubles' bits (the caller throws)
                if cancellation?.isCancelled == true { return [] }
                continue
            }
            if descending {
                let top = scaled.bits == 0 ? 0 : (UInt64(1) << UInt64(scaled.bits)) - 1
                scaled.keys.withUnsafeMutableBufferPointer { k in for i in 0..<n { k[i] = top - k[i] } }
            }
            if let order = RadixSort.stableOrder(&scaled.keys, keyBits: scaled.bits, cancellation: cancellation) { return order }
        }
        // any doubles: their bit patterns made to sort as unsigned integers, indices carried along
        var keys = values.map { x -> UInt64 in
            let bits = (x == 0 ? 0.0 : x).bitPattern
            let key = bits >> 63 == 1 ? ~bits : bits | (1 << 63)
            return descending ? ~key : key
        }
        let low = keys.min() ?? 0, high = keys.max() ?? 0
        for i in keys.indices { keys[i] &-= low }
        var order = (0..<Int32(n)).map { $0 }
        RadixSort.sort(&keys, carrying: &order, bits: 64 - (high &- low).leadingZeroBitCount, cancellation: cancellation)
        return order
    }
}
