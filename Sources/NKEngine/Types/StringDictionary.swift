/// The distinct strings of a dictionary-encoded column, addressed by `Int32` codes.
///
/// Strings are kept as UTF-8 bytes in one arena (no object per string) with an open-addressing
/// index from bytes to code, so equality, grouping and joins on strings work on integer codes.
/// A dictionary is immutable once built (see ``StringDictionaryBuilder``) and may be shared by
/// many columns: filtering a column keeps its dictionary and copies only codes.
public final class StringDictionary: @unchecked Sendable {
    @usableFromInline let bytes: [UInt8]
    @usableFromInline let offsets: [Int]
    let slots: [Int32]
    private let mask: Int

    init(bytes: [UInt8], offsets: [Int], slots: [Int32]) {
        self.bytes = bytes
        self.offsets = offsets
        self.slots = slots
        self.mask = slots.count - 1
    }

    /// An empty dictionary.
    public static let empty = StringDictionaryBuilder().build()

    /// The dictionary of the empty string alone: what a text column of only nulls refers to,
    /// shared, so that a sheet's thousands of empty columns do not each build one.
    public static let blank = StringDictionary([""])

    /// Builds a dictionary of the given strings (duplicates keep their first code).
    public convenience init(_ strings: [String]) {
        var b = StringDictionaryBuilder()
        for s in strings { _ = b.insert(s) }
        let d = b.build()
        self.init(bytes: d.bytes, offsets: d.offsets, slots: d.slots)
    }

    /// Number of distinct strings.
    public var count: Int { offsets.count - 1 }

    /// The string of a code.
    public subscript(code: Int32) -> String {
        let lo = offsets[Int(code)], hi = offsets[Int(code) + 1]
        return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[lo..<hi]), as: UTF8.self) }
    }

    /// All strings in code order.
    public var strings: [String] { (0..<count).map { self[Int32($0)] } }

    /// Byte length of a code's string.
    public func byteCount(_ code: Int32) -> Int { offsets[Int(code) + 1] - offsets[Int(code)] }

    /// The code of a string, if present. - Complexity: O(length) expected.
    public func code(of string: String) -> Int32? {
        var s = string
        return s.withUTF8 { buf in
            guard let base = buf.baseAddress else { return code(of: UnsafeRawPointer(bitPattern: 1)!, 0) }
            return code(of: UnsafeRawPointer(base), buf.count)
        }
    }

    /// The code of a byte string, if present.
    public func code(of p: UnsafeRawPointer, _ n: Int) -> Int32? {
        if slots.isEmpty { return nil }
        let h = ByteHash.hash(p, n)
        var i = Int(truncatingIfNeeded: h) & mask
        return bytes.withUnsafeBufferPointer { arena in
            while true {
                let c = slots[i]
                if c < 0 { return nil }
                let lo = offsets[Int(c)], hi = offsets[Int(c) + 1]
                if hi - lo == n, n == 0 || memcmp(arena.baseAddress! + lo, p, n) == 0 { return c }
                i = (i + 1) & mask
            }
        }
    }

    /// Calls `body` with the UTF-8 bytes of a code's string.
    @inlinable
    public func withBytes<R>(_ code: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let lo = offsets[Int(code)], hi = offsets[Int(code) + 1]
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[lo..<hi])) }
    }

    /// For each code, its rank in byte-wise (Unicode scalar) order of the strings.
    /// - Complexity: O(k log k) for k strings.
    public func sortRanks() -> [Int32] {
        let n = count
        var order = Array(0..<Int32(n))
        bytes.withUnsafeBufferPointer { arena in
            let base = arena.baseAddress
            order.sort { a, b in
                let la = offsets[Int(a)], ha = offsets[Int(a) + 1]
                let lb = offsets[Int(b)], hb = offsets[Int(b) + 1]
                let m = min(ha - la, hb - lb)
                let c = m == 0 ? 0 : memcmp(base! + la, base! + lb, m)
                return c != 0 ? c < 0 : (ha - la) < (hb - lb)
            }
        }
        var ranks = [Int32](repeating: 0, count: n)
        for (r, c) in order.enumerated() { ranks[Int(c)] = Int32(r) }
        return ranks
    }

    /// Evaluates `transform` once per string and returns the codes of the results in a new
    /// dictionary: the way string functions run on a dictionary column (once per distinct
    /// value, never once per row).
    public func mapStrings(_ transform: (String) -> String) -> (dictionary: StringDictionary, remap: [Int32]) {
        var b = StringDictionaryBuilder()
        var remap = [Int32](repeating: 0, count: count)
        for c in 0..<count { remap[c] = b.insert(transform(self[Int32(c)])) }
        return (b.build(), remap)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Builds a ``StringDictionary`` by inserting strings or byte ranges; each distinct value gets
/// the next code.
public struct StringDictionaryBuilder {
    @usableFromInline var bytes: [UInt8] = []
    @usableFromInline var offsets: [Int] = [0]
    @usableFromInline var hashes: [UInt64] = []
    @usableFromInline var slots: [UInt64] = []
    @usableFromInline var mask = -1
    /// What the reads ahead of ``insertAll(of:)`` added up: stored only so that the compiler
    /// keeps those reads.
    private var readAhead: UInt64 = 0

    public init() {}

    /// Starts from the strings of an existing dictionary, keeping their codes.
    public init(_ dictionary: StringDictionary) {
        bytes = dictionary.bytes
        offsets = dictionary.offsets
        hashes.reserveCapacity(dictionary.count)
        bytes.withUnsafeBufferPointer { arena in
            for c in 0..<dictionary.count {
                let lo = offsets[c]
                hashes.append(ByteHash.hash(UnsafeRawPointer(arena.baseAddress ?? UnsafePointer(bitPattern: 1)!) + lo, offsets[c + 1] - lo))
            }
        }
        rehash(capacity: max(16, (dictionary.count * 2).nextPowerOfTwo))
    }

    /// Number of distinct strings so far.
    public var count: Int { offsets.count - 1 }

    /// Forgets every string but keeps the memory, for reuse.
    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        offsets.removeAll(keepingCapacity: true)
        offsets.append(0)
        hashes.removeAll(keepingCapacity: true)
        if !slots.isEmpty {
            slots.withUnsafeMutableBufferPointer { s in s.update(repeating: StringDictionaryBuilder.empty) }
        }
    }

    /// Inserts a string; returns its code.
    @discardableResult
    public mutating func insert(_ string: String) -> Int32 {
        var s = string
        return s.withUTF8 { buf in
            insert(UnsafeRawPointer(buf.baseAddress ?? UnsafePointer(bitPattern: 1)!), buf.count)
        }
    }

    /// Inserts `n` bytes at `p` (UTF-8); returns the code. - Complexity: O(n) expected.
    ///
    /// Each probe slot holds the upper half of the string's hash beside its code, so a probe
    /// that meets another string is rejected without reading that string.
    @inlinable
    public mutating func insert(_ p: UnsafeRawPointer, _ n: Int) -> Int32 {
        insert(p, n, hash: ByteHash.hash(p, n))
    }

    /// Inserts `n` bytes at `p` whose ``ByteHash/hash(_:_:)`` is `h`, known already (when the
    /// strings of one dictionary are moved into another); returns the code.
    @inlinable
    public mutating func insert(_ p: UnsafeRawPointer, _ n: Int, hash h: UInt64) -> Int32 {
        if (count + 1) * 2 > slots.count { rehash(capacity: max(16, slots.count * 2)) }
        let tag = h >> 32
        var i = Int(truncatingIfNeeded: h) & mask
        let found: Int32? = slots.withUnsafeBufferPointer { s in
            offsets.withUnsafeBufferPointer { o in
                bytes.withUnsafeBufferPointer { arena in
                    while true {
                        let slot = s[i]
                        if slot == StringDictionaryBuilder.empty { return nil }
                        if slot >> 32 == tag {
                            let c = Int(slot & 0xFFFF_FFFF)
                            let lo = o[c], hi = o[c + 1]
                            if hi - lo == n, n == 0 || ByteHash.equal(UnsafeRawPointer(arena.baseAddress! + lo), p, n) { return Int32(c) }
                        }
                        i = (i &+ 1) & mask  // wraps within the table
                    }
                }
            }
        }
        if let found { return found }
        let code = Int32(count)
        bytes.append(contentsOf: UnsafeRawBufferPointer(start: p, count: n))
        offsets.append(bytes.count)
        hashes.append(h)
        slots[i] = tag << 32 | UInt64(UInt32(bitPattern: code))
        return code
    }

    /// Inserts every string of `other` (whose hashes it knows), in the order of its codes, and
    /// returns the code each one has here: what joining a part's dictionary to its column's
    /// does. Room is made once, and the strings go in batches of 32: first each string's first
    /// slot is read, then the string a slot with a matching tag names, then its first bytes,
    /// and only then are they inserted. In a large dictionary each of those reads is a cache
    /// miss; read ahead, the processor waits for 32 at once instead of one after another.
    public mutating func insertAll(of other: StringDictionaryBuilder) -> [Int32] {
        let n = other.count
        var codes = [Int32](repeating: 0, count: n)
        guard n > 0 else { return codes }
        if (count + n) * 2 > slots.count { rehash(capacity: max(16, ((count + n) * 2).nextPowerOfTwo)) }
        var ahead: UInt64 = 0
        var named = [Int](repeating: -1, count: 32)
        other.bytes.withUnsafeBufferPointer { theirs in
            let base = UnsafeRawPointer(theirs.baseAddress ?? UnsafePointer(bitPattern: 1)!)
            var start = 0
            while start < n {
                let stop = Swift.min(start + 32, n)
                ahead &+= readAhead(other.hashes, start..<stop, &named)
                for c in start..<stop {
                    let lo = other.offsets[c]
                    codes[c] = insert(base + lo, other.offsets[c + 1] - lo, hash: other.hashes[c])
                }
                start = stop
            }
        }
        readAhead = ahead
        return codes
    }

    /// Reads what inserting the strings of `range` will read first (see ``insertAll(of:)``);
    /// returns a sum of it.
    private func readAhead(_ hashes: [UInt64], _ range: Range<Int>, _ named: inout [Int]) -> UInt64 {
        slots.withUnsafeBufferPointer { s in
            offsets.withUnsafeBufferPointer { o in
                bytes.withUnsafeBufferPointer { a in
                    var sum: UInt64 = 0
                    for c in range { sum &+= s[Int(truncatingIfNeeded: hashes[c]) & mask] }
                    // the code a first slot with the same tag names: its offsets, then its bytes
                    for c in range {
                        named[c - range.lowerBound] = -1
                        let slot = s[Int(truncatingIfNeeded: hashes[c]) & mask]
                        guard slot != StringDictionaryBuilder.empty, slot >> 32 == hashes[c] >> 32 else { continue }
                        let code = Int(slot & 0xFFFF_FFFF)
                        named[c - range.lowerBound] = code
                        sum &+= UInt64(truncatingIfNeeded: o[code])
                    }
                    for k in 0..<range.count where named[k] >= 0 && o[named[k]] < a.count { sum &+= UInt64(a[o[named[k]]]) }
                    return sum
                }
            }
        }
    }

    @usableFromInline static let empty = UInt64.max

    @usableFromInline
    mutating func rehash(capacity: Int) {
        slots = [UInt64](repeating: StringDictionaryBuilder.empty, count: capacity)
        mask = capacity - 1
        for c in 0..<hashes.count {
            let h = hashes[c]
            var i = Int(truncatingIfNeeded: h) & mask
            while slots[i] != StringDictionaryBuilder.empty { i = (i + 1) & mask }
            slots[i] = (h >> 32) << 32 | UInt64(c)
        }
    }

    /// Freezes the builder into an immutable dictionary.
    public func build() -> StringDictionary {
        var slots32 = [Int32](repeating: -1, count: max(16, slots.count))
        let m = slots32.count - 1
        for c in 0..<hashes.count {
            var i = Int(truncatingIfNeeded: hashes[c]) & m
            while slots32[i] >= 0 { i = (i + 1) & m }
            slots32[i] = Int32(c)
        }
        return StringDictionary(bytes: bytes, offsets: offsets, slots: slots32)
    }
}

extension Int {
    /// The smallest power of two not below `self` (1 for values below 1).
    public var nextPowerOfTwo: Int {
        if self <= 1 { return 1 }
        return 1 << (Int.bitWidth - (self - 1).leadingZeroBitCount)
    }
}
