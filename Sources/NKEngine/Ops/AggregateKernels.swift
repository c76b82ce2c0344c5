/// Computes aggregates for rows already assigned to slots (`slotOfRow`), producing one value
/// per slot listed in `order`. Distributive work runs on all cores with per-thread partials.
struct AggregateKernels {
    let slotOfRow: [Int32]
    let slotCount: Int
    /// Output slots, in output order.
    let order: [Int32]
    let cancellation: CancellationFlag

    var rows: Int { slotOfRow.count }

    /// Per-thread partial arrays merged by `merge`. Each thread asks for Ctrl-C between pieces
    /// of a million rows and stops taking rows once it is set (its partial is then short); the
    /// caller checks the flag before it uses the result.
    func partials<T>(_ zero: T, merge: (T, T) -> T, _ body: (Range<Int>, UnsafeBufferPointer<Int32>, inout [T]) -> Void) -> [T] {
        let ranges = Parallel.split(rows, parts: Parallel.workers)
        let parts = slotOfRow.withUnsafeBufferPointer { slots in
            Parallel.map(ranges.count, minimumWork: rows) { k -> [T] in
                var acc = [T](repeating: zero, count: slotCount)
                for piece in Parallel.pieces(of: ranges[k]) where !cancellation.isCancelled { body(piece, slots, &acc) }
                return acc
            }
        }
        guard var total = parts.first else { return [T](repeating: zero, count: slotCount) }
        // stopped: the caller throws before it reads anything, so the merge is skipped
        if cancellation.isCancelled { return total }
        for p in parts.dropFirst() { for s in 0..<slotCount { total[s] = merge(total[s], p[s]) } }
        return total
    }

    /// Rows per slot.
    func countRows() -> [Int64] {
        partials(0, merge: +) { range, slots, acc in
            acc.withUnsafeMutableBufferPointer { a in for i in range { a[Int(slots[i])] &+= 1 } }
        }
    }

    /// Non-null rows per slot.
    func countValid(_ validity: Validity?) -> [Int64] {
        guard let validity else { return countRows() }
        return partials(0, merge: +) { range, slots, acc in
            validity.words.withUnsafeBufferPointer { w in
                acc.withUnsafeMutableBufferPointer { a in
                    for i in range { a[Int(slots[i])] &+= Int64((w[i >> 6] >> UInt64(i & 63)) & 1) }
                }
            }
        }
    }

    /// Each slot's float sum and number of values, in one pass: a slot's sum and count sit
    /// side by side in one 16-byte record, so a row touches one place in memory rather than
    /// one in each of two arrays. With millions of groups every such place is a cache miss
    /// (5 M customers: two arrays of 40 MB per core). Each core adds its rows in row order and
    /// the cores' sums are added in core order, so every sum is the same to the last bit
    /// whichever aggregates a statement asks for.
    func sumsAndCounts(_ values: [Double], _ validity: Validity?) -> (sums: [Double], counts: [Int64]) {
        let totals = values.withUnsafeBufferPointer { v in
            partials(SlotTotal(), merge: { SlotTotal(sum: $0.sum + $1.sum, count: $0.count &+ $1.count) }) { range, slots, acc in
                acc.withUnsafeMutableBufferPointer { a in
                    if let validity {
                        validity.words.withUnsafeBufferPointer { w in
                            for i in range where (w[i >> 6] >> UInt64(i & 63)) & 1 != 0 { a[Int(slots[i])].add(v[i]) }
                        }
                    } else {
                        for i in range { a[Int(slots[i])].add(v[i]) }
                    }
                }
            }
        }
        return (totals.map(\.sum), totals.map(\.count))
    }

    /// Whole-number sums per slot, exact: nil for a slot whose sum does not fit 64 bits.
    ///
    /// Each accumulator counts how often its 64-bit sum wrapped (+1 past the top, -1 past the
    /// bottom); the true sum is the wrapped one plus that count times 2^64, so it fits exactly
    /// when the count ends at 0, whatever order the parts were added in.
    func sumInt(_ values: [Int64], _ validity: Validity?) -> [Int64?] {
        values.withUnsafeBufferPointer { v in
            let r = partials((0 as Int64, 0 as Int64), merge: { a, b in
                let s = a.0.addingReportingOverflow(b.0)
                return (s.partialValue, a.1 + b.1 + (s.overflow ? (b.0 < 0 ? -1 : 1) : 0))
            }) { range, slots, acc in
                for i in range where validity?.isValid(i) ?? true {
                    let s = Int(slots[i])
                    let r = acc[s].0.addingReportingOverflow(v[i])
                    acc[s].0 = r.partialValue
                    if r.overflow { acc[s].1 += v[i] < 0 ? -1 : 1 }
                }
            }
            return r.map { $0.1 == 0 ? $0.0 : nil }
        }
    }

    /// Minimum or maximum of ordered keys per slot (nil where the slot has no value).
    func extreme<T: Comparable>(_ values: [T], _ validity: Validity?, max: Bool) -> [T?] {
        values.withUnsafeBufferPointer { v in
            partials(nil as T?, merge: { a, b in
                guard let a else { return b }
                guard let b else { return a }
                return max ? Swift.max(a, b) : Swift.min(a, b)
            }) { range, slots, acc in
                for i in range where validity?.isValid(i) ?? true {
                    let s = Int(slots[i])
                    if let cur = acc[s] { if max ? v[i] > cur : v[i] < cur { acc[s] = v[i] } } else { acc[s] = v[i] }
                }
            }
        }
    }

    /// Distinct non-null values per slot.
    func countDistinct(_ column: Column) throws -> [Int64] {
        let words = EncodedKeys.encode(column)
        var seen = Set<SIMD2<UInt64>>()
        var counts = [Int64](repeating: 0, count: slotCount)
        for i in 0..<rows where !column.isNull(i) {
            if i & 0xFFFF == 0 { try cancellation.check() }
            if seen.insert(SIMD2(UInt64(slotOfRow[i]), words[i])).inserted { counts[Int(slotOfRow[i])] += 1 }
        }
        return counts
    }

    /// Quantile `q` (0…1) of the non-null values per slot, linear interpolation (numpy type 7).
    func quantile(_ values: [Double], _ validity: Validity?, _ q: Double) throws -> [Double?] {
        // counting sort of row values by slot, then sort each slot's run
        var starts = [Int](repeating: 0, count: slotCount + 1)
        for i in 0..<rows where validity?.isValid(i) ?? true { starts[Int(slotOfRow[i]) + 1] += 1 }
        for s in 0..<slotCount { starts[s + 1] += starts[s] }
        var fill = starts
        var sorted = [Double](repeating: 0, count: starts[slotCount])
        for i in 0..<rows where validity?.isValid(i) ?? true {
            let s = Int(slotOfRow[i])
            sorted[fill[s]] = values[i]
            fill[s] += 1
        }
        try cancellation.check()
        return sorted.withUnsafeMutableBufferPointer { buf in
            let target = UncheckedBox(buf)
            return Parallel.map(slotCount, minimumWork: rows) { s -> Double? in
                let lo = starts[s], hi = starts[s + 1]
                if lo == hi { return nil }
                var run = UnsafeMutableBufferPointer(rebasing: target.value[lo..<hi])
                run.sort()
                return Quantile.sorted(UnsafeBufferPointer(run), q)
            }
        }
    }
}

/// One slot's float sum and number of values (``AggregateKernels/sumsAndCounts(_:_:)``).
struct SlotTotal {
    var sum = 0.0
    var count: Int64 = 0

    @inline(__always)
    mutating func add(_ value: Double) {
        sum += value
        count &+= 1  // at most the number of rows, which is an Int32
    }
}

/// Quantiles of sorted data.
public enum Quantile {
    /// Linear interpolation between the order statistics around `q * (n - 1)` (numpy's default,
    /// Hyndman & Fan type 7). `values` must be sorted ascending and non-empty.
    public static func sorted(_ values: UnsafeBufferPointer<Double>, _ q: Double) -> Double {
        let position = q * Double(values.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = Swift.min(lower + 1, values.count - 1)
        let fraction = position - Double(lower)
        return values[lower] + (values[upper] - values[lower]) * fraction
    }

    /// The quantile of unsorted values (nil when empty).
    public static func of(_ values: [Double], _ q: Double) -> Double? {
        if values.isEmpty { return nil }
        let s = values.sorted()
        return s.withUnsafeBufferPointer { sorted($0, q) }
    }
}
