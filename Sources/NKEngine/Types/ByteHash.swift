/// A fast, non-cryptographic hash of a byte range and of 64-bit keys, used by the string
/// dictionaries and the hash tables of group-by, distinct and join.
public enum ByteHash {
    @usableFromInline static let k0: UInt64 = 0x9E37_79B9_7F4A_7C15
    @usableFromInline static let k1: UInt64 = 0xBF58_476D_1CE4_E5B9

    /// Hash of `count` bytes at `p`, reading eight bytes at a time: one multiply per word, then
    /// a finaliser so the low bits (used to index tables) depend on every byte.
    @inlinable
    public static func hash(_ p: UnsafeRawPointer, _ count: Int) -> UInt64 {
        var h: UInt64 = UInt64(truncatingIfNeeded: count) &* k0
        var i = 0
        while i + 8 <= count {
            h = (h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* k1
            h ^= h >> 29
            i += 8
        }
        if i < count {
            var tail: UInt64 = 0
            if count - i >= 4 {
                tail = UInt64(p.loadUnaligned(fromByteOffset: i, as: UInt32.self))
                    | UInt64(p.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)) << 32
            } else {
                var shift: UInt64 = 0
                while i < count {
                    tail |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << shift
                    shift += 8
                    i += 1
                }
            }
            h = (h ^ tail) &* k1
        }
        h ^= h >> 32
        h = h &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 29)
    }

    /// Whether `n` bytes at `a` and `b` are equal (inline for short strings).
    @inlinable @inline(__always)
    public static func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
        var i = 0
        while i + 8 <= n {
            if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i += 8
        }
        while i < n {
            if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
            i += 1
        }
        return true
    }

    /// A strong 64-bit finaliser (from splitmix64), good for integer keys.
    @inlinable @inline(__always)
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ k0
        z = (z ^ (z >> 30)) &* k1
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
