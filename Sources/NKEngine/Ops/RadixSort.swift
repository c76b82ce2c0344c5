/// Least-significant-digit radix sort of unsigned keys, in as few passes of at most 11 bits as
/// the keys' width needs, on all cores for large inputs (each pass: per-part histograms, then
/// every part scatters to its own offsets, so the sort stays stable).
public enum RadixSort {
    /// Sorts `keys`, all below 2^bits, ascending, moving `payload[i]` with `keys[i]` (stable:
    /// equal keys keep their order). When `cancellation` is set during the sort it stops early,
    /// leaving the arrays in no useful order; the caller checks the flag and throws.
    public static func sort(_ keys: inout [UInt64], carrying payload: inout [Int32], bits: Int, cancellation: CancellationFlag? = nil) {
        var carried: [Int32]? = payload
        payload = []
        sort(&keys, &carried, bits: bits, cancellation: cancellation)
        payload = carried ?? []
    }

    /// Sorts `keys`, all below 2^bits, ascending. A set `cancellation` stops it as the other
    /// sort does.
    public static func sort(_ keys: inout [UInt64], bits: Int, cancellation: CancellationFlag? = nil) {
        var none: [Int32]?
        sort(&keys, &none, bits: bits, cancellation: cancellation)
    }

    /// The rows of `keys` (each below 2^keyBits) in ascending order of their keys, equal keys in
    /// row order; nil, with `keys` untouched, when a key and a row number do not fit in 64 bits
    /// together. Each row number rides in the low bits of its key's word and only the key's bits
    /// are sorted (the rows start in order and the sort is stable), so one array of 8 bytes a
    /// row moves instead of keys and rows side by side. `keys` is used up. A set `cancellation`
    /// stops the sort within a pass: the rows are then empty or in no useful order, and the
    /// caller checks the flag.
    public static func stableOrder(_ keys: inout [UInt64], keyBits: Int, cancellation: CancellationFlag? = nil) -> [Int32]? {
        let n = keys.count
        let rowBits = n > 1 ? 64 - UInt64(n - 1).leadingZeroBitCount : 0
        guard keyBits + rowBits <= 64 else { return nil }
        let parts = n >= 1 << 20 ? Parallel.split(n, parts: Parallel.workers) : [0..<n]
        keys.withUnsafeMutableBufferPointer { k in
            let w = UncheckedBox(k)
            Parallel.forEach(parts.count, minimumWork: n) { p in
                for i in parts[p] { w.value[i] = w.value[i] << UInt64(rowBits) | UInt64(i) }
            }
        }
        // the last pass writes the row numbers themselves: no pass of its own takes them out
        var rows = RadixSort.unfilled(Int32.self, n)
        var none: [Int32]?
        let written = rows.withUnsafeMutableBufferPointer { out in
            sort(&keys, &none, bits: keyBits + rowBits, from: rowBits, cancellation: cancellation,
                 rowsOut: (out, (UInt64(1) << UInt64(rowBits)) - 1))
        }
        if written { return rows }
        // stopped: no pass over all the rows more (it took 80 ms at 50 M); the caller throws
        if cancellation?.isCancelled == true { return [] }
        // keys that were all alike, or too few to sort: the rows are in order already
        let mask = (UInt64(1) << UInt64(rowBits)) - 1
        return keys.map { Int32(truncatingIfNeeded: $0 & mask) }
    }

    /// Sorts `keys`, all below 2^bits, by their bits from `lowest` up, stable: keys equal in
    /// those bits keep their order, whatever their lower bits hold (a row number there is then
    /// carried along in the same word).
    public static func sort(_ keys: inout [UInt64], bits: Int, from lowest: Int, cancellation: CancellationFlag? = nil) {
        var none: [Int32]?
        sort(&keys, &none, bits: bits, from: lowest, cancellation: cancellation)
    }

    /// At most this many bits a pass: 2,048 buckets, whose next places (16 KB a core) stay in
    /// the first-level cache. (26-bit keys of 50 M rows: three passes of 9 bits took 470 ms
    /// where two of 13 took 510 ms.)
    static let digitBits = 11

    /// The sort itself. With `rowsOut`, the last pass writes each key's low bits (`rowsOut.mask`,
    /// a row number) there instead of moving the key, and `keys` is then left in no useful
    /// order; true when that pass ran (false: no pass was needed, or the sort was cancelled).
    @discardableResult
    private static func sort(_ keys: inout [UInt64], _ payload: inout [Int32]?, bits: Int, from lowest: Int = 0,
                             cancellation: CancellationFlag?,
                             rowsOut: (rows: UnsafeMutableBufferPointer<Int32>, mask: UInt64)? = nil) -> Bool {
        guard bits > lowest, keys.count > 1 else { return false }
        let passes = (bits - lowest + digitBits - 1) / digitBits
        let digit = (bits - lowest + passes - 1) / passes, buckets = 1 << digit
        let n = keys.count
        let parts = n >= 1 << 20 ? Parallel.split(n, parts: Parallel.workers) : [0..<n]
        // not zero-filled: every pass writes each slot before it is read, and filling 120 MB of
        // fresh pages for 10 M rows took ~0.3 s that Ctrl-C could not interrupt
        var scratch = RadixSort.unfilled(UInt64.self, rowsOut != nil && passes == 1 ? 0 : n)
        var carried = payload == nil ? [] : RadixSort.unfilled(Int32.self, n)
        let carries = payload != nil
        var moving = payload ?? []
        payload = nil
        defer { payload = carries ? moving : nil }
        var shift = lowest
        while shift < bits {
            if cancellation?.isCancelled == true { return false }
            let last = shift + digit >= bits
            let pass = Pass(by: UInt64(shift), mask: UInt64(buckets - 1), parts: parts, cancellation: cancellation)
            keys.withUnsafeBufferPointer { source in
                scratch.withUnsafeMutableBufferPointer { target in
                    moving.withUnsafeBufferPointer { p in
                        carried.withUnsafeMutableBufferPointer { q in
                            let starts = pass.starts(source, buckets: buckets)
                            if last, let rowsOut {
                                pass.scatterRows(source, starts, rowsOut.rows, rowsOut.mask)
                            } else {
                                pass.scatter(source, starts, target, p, q)
                            }
                        }
                    }
                }
            }
            if cancellation?.isCancelled == true { return false }
            if last, rowsOut != nil { return true }
            swap(&keys, &scratch)
            swap(&moving, &carried)
            shift += digit
        }
        return false
    }

    /// One pass of the sort: the digit `(key >> by) & mask`, the rows cut into `parts` that
    /// scatter on their own cores, each to its own places, so the pass stays stable.
    private struct Pass {
        let by: UInt64, mask: UInt64
        let parts: [Range<Int>]
        let cancellation: CancellationFlag?

        /// Each part's first place in each bucket.
        func starts(_ source: UnsafeBufferPointer<UInt64>, buckets: Int) -> [[Int]] {
            let src = UncheckedBox(source), n = source.count
            let histograms = Parallel.map(parts.count, minimumWork: n) { part -> [Int] in
                var h = [Int](repeating: 0, count: buckets)
                h.withUnsafeMutableBufferPointer { h in
                    for i in parts[part] { h[Int((src.value[i] >> by) & mask)] &+= 1 }
                }
                return h
            }
            var starts = [[Int]](repeating: [Int](repeating: 0, count: buckets), count: parts.count)
            var total = 0
            for b in 0..<buckets {
                for part in parts.indices {
                    starts[part][b] = total
                    total += histograms[part][b]
                }
            }
            return starts
        }

        /// Every key to its place in `target`, and its payload beside it when there is one.
        /// (This loop, the one without a payload and `scatterRows` are written out each: one
        /// loop that calls a closure for the write made the sort at L 7 % slower, 0.490 →
        /// 0.527 s for `sort revenue`, medians of 20 with the builds alternating.)
        func scatter(_ source: UnsafeBufferPointer<UInt64>, _ starts: [[Int]], _ target: UnsafeMutableBufferPointer<UInt64>,
                     _ payload: UnsafeBufferPointer<Int32>, _ carried: UnsafeMutableBufferPointer<Int32>) {
            let src = UncheckedBox(source), dst = UncheckedBox(target)
            let from = UncheckedBox(payload), to = UncheckedBox(carried)
            Parallel.forEach(parts.count, minimumWork: source.count) { part in
                var next = starts[part]
                next.withUnsafeMutableBufferPointer { next in
                    // offsets stay below n: the histogram counted every key
                    if from.value.isEmpty {
                        for i in parts[part] {
                            if i & 0xFFFF == 0, cancellation?.isCancelled == true { break }
                            let key = src.value[i]
                            let b = Int((key >> by) & mask)
                            let at = next[b]
                            next[b] = at &+ 1
                            dst.value[at] = key
                        }
                    } else {
                        for i in parts[part] {
                            if i & 0xFFFF == 0, cancellation?.isCancelled == true { break }
                            let key = src.value[i]
                            let b = Int((key >> by) & mask)
                            let at = next[b]
                            next[b] = at &+ 1
                            dst.value[at] = key
                            to.value[at] = from.value[i]
                        }
                    }
                }
            }
        }

        /// The last pass of a sort that carries row numbers in its keys' low bits: each key's
        /// row number to its place.
        func scatterRows(_ source: UnsafeBufferPointer<UInt64>, _ starts: [[Int]], _ rows: UnsafeMutableBufferPointer<Int32>, _ rowMask: UInt64) {
            let src = UncheckedBox(source), dst = UncheckedBox(rows)
            Parallel.forEach(parts.count, minimumWork: source.count) { part in
                var next = starts[part]
                next.withUnsafeMutableBufferPointer { next in
                    for i in parts[part] {
                        if i & 0xFFFF == 0, cancellation?.isCancelled == true { break }
                        let key = src.value[i]
                        let b = Int((key >> by) & mask)
                        let at = next[b]
                        next[b] = at &+ 1
                        dst.value[at] = Int32(truncatingIfNeeded: key & rowMask)
                    }
                }
            }
        }
    }

    /// `x · scale` as integers relative to the smallest, when every value is exactly such a
    /// whole number (within 2⁵²) and the range fits in 40 bits: money with cents sorts as
    /// whole hundredths in two or three passes instead of four on the bits of its doubles.
    /// Their order is the values' order (-0 and 0 are one key); nil when a value is not such a
    /// number (a NaN, an infinity, a third decimal), and nil when `cancellation` is set (it is
    /// asked every million values).
    public static func scaledKeys(_ values: [Double], _ scale: Double, cancellation: CancellationFlag? = nil) -> (keys: [UInt64], offset: Int64, bits: Int)? {
        let n = values.count
        // a scale that does not fit usually fails at the first value: try the first thousand
        // alone before the whole column is handed to the cores
        let head = min(n, 1024)
        guard values.withUnsafeBufferPointer({ scaled($0, 0..<head, scale, into: nil) }) != nil else { return nil }
        // not zero-filled first: filling 400 MB for 50 M values that are then thrown away
        // took longer than the sort
        var keys = RadixSort.unfilled(UInt64.self, n)
        let parts = n >= 1 << 20 ? Parallel.split(n, parts: Parallel.workers) : [0..<n]
        let ranges = values.withUnsafeBufferPointer { v in
            keys.withUnsafeMutableBufferPointer { k in
                let out = UncheckedBox(k)
                return Parallel.map(parts.count, minimumWork: n) { p -> (low: Int64, high: Int64)? in
                    var lowest = Int64.max, highest = Int64.min
                    for piece in Parallel.pieces(of: parts[p]) {
                        if cancellation?.isCancelled == true { return nil }
                        guard let r = scaled(v, piece, scale, into: out.value.baseAddress) else { return nil }
                        lowest = min(lowest, r.low); highest = max(highest, r.high)
                    }
                    return (lowest, highest)
                }
            }
        }
        guard ranges.allSatisfy({ $0 != nil }) else { return nil }
        let low = ranges.map { $0!.low }.min() ?? 0, high = ranges.map { $0!.high }.max() ?? 0
        guard high &- low < 1 << 40 else { return nil }
        keys.withUnsafeMutableBufferPointer { k in
            let out = UncheckedBox(k)
            Parallel.forEach(parts.count, minimumWork: n) { p in
                for i in parts[p] { out.value[i] = UInt64(bitPattern: Int64(bitPattern: out.value[i]) &- low) }
            }
        }
        return (keys, low, 64 - UInt64(high &- low).leadingZeroBitCount)
    }

    /// `values[range] · scale` as whole numbers, written to `out` at the same places when it is
    /// given; their smallest and largest, or nil at the first value that is not such a number.
    private static func scaled(_ v: UnsafeBufferPointer<Double>, _ range: Range<Int>, _ scale: Double,
                               into out: UnsafeMutablePointer<UInt64>?) -> (low: Int64, high: Int64)? {
        // adding and taking away 1.5 · 2⁵² rounds to a whole number (for |x| < 2⁵¹)
        let magic = 6_755_399_441_055_744.0
        var low = Int64.max, high = Int64.min
        for i in range {
            let x = v[i] * scale
            guard abs(x) < 1e15 else { return nil }
            let whole = (x + magic) - magic
            guard whole / scale == v[i] else { return nil }
            let k = Int64(whole)
            out?[i] = UInt64(bitPattern: k)
            low = min(low, k); high = max(high, k)
        }
        return (low, high)
    }

    /// An array of `n` whole numbers whose values are not set: only for a buffer that is
    /// written in full before it is read.
    static func unfilled<T: FixedWidthInteger>(_: T.Type, _ n: Int) -> [T] {
        [T](unsafeUninitializedCapacity: n) { _, count in count = n }
    }
}
