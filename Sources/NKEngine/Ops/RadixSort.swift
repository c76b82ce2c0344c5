/// Least-significant-digit radix sort of unsigned keys, in as few passes of at most 16 bits as
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
    /// stops the sort between passes: the rows then come in no useful order, and the caller
    /// checks the flag.
    public static func stableOrder(_ keys: inout [UInt64], keyBits: Int, cancellation: CancellationFlag? = nil) -> [Int32]? {
        let n = keys.count
        let rowBits = n > 1 ? 64 - UInt64(n - 1).leadingZeroBitCount : 0
        guard keyBits + rowBits <= 64 else { return nil }
        keys.withUnsafeMutableBufferPointer { w in for i in 0..<n { w[i] = w[i] << UInt64(rowBits) | UInt64(i) } }
        sort(&keys, bits: keyBits + rowBits, from: rowBits, cancellation: cancellation)
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

    private static func sort(_ keys: inout [UInt64], _ payload: inout [Int32]?, bits: Int, from lowest: Int = 0,
                             cancellation: CancellationFlag?) {
        guard bits > lowest, keys.count > 1 else { return }
        let passes = (bits - lowest + 15) / 16
        let digit = (bits - lowest + passes - 1) / passes, buckets = 1 << digit
        let n = keys.count
        let parts = n >= 1 << 20 ? Parallel.split(n, parts: Parallel.workers) : [0..<n]
        // not zero-filled: every pass writes each slot before it is read, and filling 120 MB of
        // fresh pages for 10 M rows took ~0.3 s that Ctrl-C could not interrupt
        var scratch = RadixSort.unfilled(UInt64.self, n)
        var carried = payload == nil ? [] : RadixSort.unfilled(Int32.self, n)
        let carries = payload != nil
        var moving = payload ?? []
        payload = nil
        defer { payload = carries ? moving : nil }
        var shift = lowest
        while shift < bits {
            if cancellation?.isCancelled == true { return }
            let by = UInt64(shift), mask = UInt64(buckets - 1)
            keys.withUnsafeBufferPointer { source in
                scratch.withUnsafeMutableBufferPointer { target in
                    moving.withUnsafeBufferPointer { p in
                        carried.withUnsafeMutableBufferPointer { q in
                            let src = UncheckedBox(source), dst = UncheckedBox(target)
                            let from = UncheckedBox(p), to = UncheckedBox(q)
                            // histograms per part
                            let histograms = Parallel.map(parts.count, minimumWork: n) { part -> [Int] in
                                var h = [Int](repeating: 0, count: buckets)
                                h.withUnsafeMutableBufferPointer { h in
                                    for i in parts[part] { h[Int((src.value[i] >> by) & mask)] &+= 1 }
                                }
                                return h
                            }
                            // each part's start in each bucket, then every part scatters to its own
                            var starts = [[Int]](repeating: [Int](repeating: 0, count: buckets), count: parts.count)
                            var total = 0
                            for b in 0..<buckets {
                                for part in parts.indices {
                                    starts[part][b] = total
                                    total += histograms[part][b]
                                }
                            }
                            Parallel.forEach(parts.count, minimumWork: n) { part in
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
                    }
                }
            }
            if cancellation?.isCancelled == true { return }
            swap(&keys, &scratch)
            swap(&moving, &carried)
            shift += digit
        }
    }

    /// `x · scale` as integers relative to the smallest, when every value is exactly such a
    /// whole number (within 2⁵²) and the range fits in 40 bits: money with cents sorts as
    /// whole hundredths in two or three passes instead of four on the bits of its doubles.
    /// Their order is the values' order (-0 and 0 are one key); nil when a value is not such a
    /// number (a NaN, an infinity, a third decimal), and nil when `cancellation` is set (it is
    /// asked every million values).
    public static func scaledKeys(_ values: [Double], _ scale: Double, cancellation: CancellationFlag? = nil) -> (keys: [UInt64], offset: Int64, bits: Int)? {
        // not zero-filled first: a scale that does not fit usually fails at the first value, and
        // filling 400 MB for 50 M values that are then thrown away took longer than the sort
        var keys = RadixSort.unfilled(UInt64.self, values.count)
        var low = Int64.max, high = Int64.min
        let fits = values.withUnsafeBufferPointer { v in
            keys.withUnsafeMutableBufferPointer { out in
                // adding and taking away 1.5 · 2⁵² rounds to a whole number (for |x| < 2⁵¹)
                let magic = 6_755_399_441_055_744.0
                for i in 0..<v.count {
                    if i & 0xFFFFF == 0, cancellation?.isCancelled == true { return false }
                    let x = v[i] * scale
                    guard abs(x) < 1e15 else { return false }
                    let scaled = (x + magic) - magic
                    guard scaled / scale == v[i] else { return false }
                    let k = Int64(scaled)
                    out[i] = UInt64(bitPattern: k)
                    low = min(low, k); high = max(high, k)
                }
                return true
            }
        }
        guard fits, high &- low < 1 << 40 else { return nil }
        keys.withUnsafeMutableBufferPointer { k in
            for i in 0..<k.count { k[i] = UInt64(bitPattern: Int64(bitPattern: k[i]) &- low) }
        }
        return (keys, low, 64 - UInt64(high &- low).leadingZeroBitCount)
    }

    /// An array of `n` whole numbers whose values are not set: only for a buffer that is
    /// written in full before it is read.
    static func unfilled<T: FixedWidthInteger>(_: T.Type, _ n: Int) -> [T] {
        [T](unsafeUninitializedCapacity: n) { _, count in count = n }
    }
}
