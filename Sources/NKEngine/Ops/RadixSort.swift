/// Least-significant-digit radix sort of unsigned keys, in as few passes of at most 16 bits as
/// the keys' width needs, on all cores for large inputs (each pass: per-part histograms, then
/// every part scatters to its own offsets, so the sort stays stable).
public enum RadixSort {
    /// Sorts `keys`, all below 2^bits, ascending, moving `payload[i]` with `keys[i]` (stable:
    /// equal keys keep their order). When `cancellation` is set during the sort it stops early,
    /// leaving the arrays in no useful order; the caller checks the flag and throws.
    public static func sort(_ keys: inout [UInt64], carrying payload: inout [Int32], bits: Int, cancellation: CancellationFlag? = nil) {
        guard bits > 0, keys.count > 1 else { return }
        let passes = (bits + 15) / 16
        let digit = (bits + passes - 1) / passes, buckets = 1 << digit
        let n = keys.count
        // not zero-filled: every pass writes each slot before it is read, and filling 120 MB of
        // fresh pages for 10 M rows took ~0.3 s that Ctrl-C could not interrupt
        var scratch = RadixSort.unfilled(UInt64.self, n), carried = RadixSort.unfilled(Int32.self, n)
        var count = [Int](repeating: 0, count: buckets)
        var shift = 0
        while shift < bits {
            if cancellation?.isCancelled == true { return }
            let by = UInt64(shift), mask = UInt64(buckets - 1)
            keys.withUnsafeBufferPointer { source in
                payload.withUnsafeBufferPointer { p in
                    scratch.withUnsafeMutableBufferPointer { target in
                        carried.withUnsafeMutableBufferPointer { q in
                            count.withUnsafeMutableBufferPointer { c in
                                for b in 0..<buckets { c[b] = 0 }
                                for key in source { c[Int((key >> by) & mask)] += 1 }
                                var total = 0
                                for b in 0..<buckets { let k = c[b]; c[b] = total; total += k }
                                for i in 0..<n {
                                    if i & 0xFFFF == 0, cancellation?.isCancelled == true { break }
                                    let b = Int((source[i] >> by) & mask)
                                    target[c[b]] = source[i]
                                    q[c[b]] = p[i]
                                    c[b] += 1
                                }
                            }
                        }
                    }
                }
            }
            if cancellation?.isCancelled == true { return }
            swap(&keys, &scratch)
            swap(&payload, &carried)
            shift += digit
        }
    }

    /// Sorts `keys`, all below 2^bits, ascending. A set `cancellation` stops it as the other
    /// sort does.
    public static func sort(_ keys: inout [UInt64], bits: Int, cancellation: CancellationFlag? = nil) {
        guard bits > 0, keys.count > 1 else { return }
        let passes = (bits + 15) / 16
        let digit = (bits + passes - 1) / passes, buckets = 1 << digit
        let n = keys.count
        let parts = n >= 1 << 20 ? Parallel.split(n, parts: Parallel.workers) : [0..<n]
        var scratch = RadixSort.unfilled(UInt64.self, n)
        var counts = [[Int]](repeating: [Int](repeating: 0, count: buckets), count: parts.count)
        var shift = 0
        while shift < bits {
            let by = UInt64(shift), mask = UInt64(buckets - 1)
            keys.withUnsafeBufferPointer { source in
                scratch.withUnsafeMutableBufferPointer { target in
                    let src = UncheckedBox(source), dst = UncheckedBox(target)
                    // histograms per part
                    let histograms = Parallel.map(parts.count, minimumWork: n) { p -> [Int] in
                        var h = [Int](repeating: 0, count: buckets)
                        h.withUnsafeMutableBufferPointer { h in
                            for i in parts[p] { h[Int((src.value[i] >> by) & mask)] += 1 }
                        }
                        return h
                    }
                    // each part's start in each bucket
                    var total = 0
                    for b in 0..<buckets {
                        for p in 0..<parts.count {
                            counts[p][b] = total
                            total += histograms[p][b]
                        }
                    }
                    let starts = counts
                    Parallel.forEach(parts.count, minimumWork: n) { p in
                        var next = starts[p]
                        next.withUnsafeMutableBufferPointer { next in
                            for i in parts[p] {
                                if i & 0xFFFF == 0, cancellation?.isCancelled == true { break }
                                let key = src.value[i]
                                let b = Int((key >> by) & mask)
                                dst.value[next[b]] = key
                                next[b] += 1
                            }
                        }
                    }
                }
            }
            if cancellation?.isCancelled == true { return }
            swap(&keys, &scratch)
            shift += digit
        }
    }

    /// An array of `n` whole numbers whose values are not set: only for a buffer that is
    /// written in full before it is read.
    static func unfilled<T: FixedWidthInteger>(_: T.Type, _ n: Int) -> [T] {
        [T](unsafeUninitializedCapacity: n) { _, count in count = n }
    }
}
