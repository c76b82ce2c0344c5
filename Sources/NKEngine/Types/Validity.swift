/// A validity bitmap: bit `i` set means row `i` holds a value, clear means null.
///
/// Bits are packed 64 to a word, least significant bit first. A column with no nulls
/// carries no bitmap at all (`nil`), so the common case costs nothing.
public struct Validity: Sendable, Equatable {
    public private(set) var words: [UInt64]
    public private(set) var count: Int

    /// A bitmap of `count` rows, all valid or all null.
    public init(count: Int, allValid: Bool) {
        self.count = count
        let n = (count + 63) >> 6
        words = [UInt64](repeating: allValid ? ~0 : 0, count: n)
        if allValid { clearTail() }
    }

    public init(words: [UInt64], count: Int) {
        self.words = words
        self.count = count
        clearTail()
    }

    /// Builds a bitmap from a per-row flag.
    public init(_ flags: [Bool]) {
        self.init(count: flags.count, allValid: false)
        for (i, f) in flags.enumerated() where f { words[i >> 6] |= 1 << UInt64(i & 63) }
    }

    @inline(__always)
    public func isValid(_ i: Int) -> Bool { (words[i >> 6] >> UInt64(i & 63)) & 1 != 0 }

    @inline(__always)
    public mutating func set(_ i: Int, _ valid: Bool) {
        if valid { words[i >> 6] |= 1 << UInt64(i & 63) } else { words[i >> 6] &= ~(1 << UInt64(i & 63)) }
    }

    /// Appends one row's flag.
    public mutating func append(_ valid: Bool) {
        if count & 63 == 0 { words.append(0) }
        if valid { words[count >> 6] |= 1 << UInt64(count & 63) }
        count += 1
    }

    /// Number of valid rows. - Complexity: O(n/64).
    public var validCount: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// Number of null rows.
    public var nullCount: Int { count - validCount }

    /// Bitwise and of two bitmaps of the same length (valid where both are valid).
    public static func & (a: Validity, b: Validity) -> Validity {
        precondition(a.count == b.count)
        var out = a
        out.words.withUnsafeMutableBufferPointer { o in
            b.words.withUnsafeBufferPointer { bw in
                for i in 0..<o.count { o[i] &= bw[i] }
            }
        }
        return out
    }

    /// Combines two optional bitmaps where nil means all valid.
    public static func both(_ a: Validity?, _ b: Validity?) -> Validity? {
        switch (a, b) {
        case (nil, nil): return nil
        case (let x?, nil): return x
        case (nil, let y?): return y
        case (let x?, let y?): return x & y
        }
    }

    /// The bitmap of the rows `range`. - Complexity: O(range.count/64) when aligned to 64.
    public func slice(_ range: Range<Int>) -> Validity {
        if range.lowerBound & 63 == 0 {
            let lo = range.lowerBound >> 6
            let hi = (range.upperBound + 63) >> 6
            return Validity(words: Array(words[lo..<hi]), count: range.count)
        }
        var out = Validity(count: range.count, allValid: false)
        for (j, i) in range.enumerated() where isValid(i) { out.set(j, true) }
        return out
    }

    /// The bitmap of the rows picked by `rows`, in their order; a negative row is null.
    public func gather(_ rows: UnsafeBufferPointer<Int32>) -> Validity {
        var out = Validity(count: rows.count, allValid: false)
        out.words.withUnsafeMutableBufferPointer { o in
            words.withUnsafeBufferPointer { w in
                for j in 0..<rows.count {
                    let i = Int(rows[j])
                    if i < 0 { continue }
                    let bit = (w[i >> 6] >> UInt64(i & 63)) & 1
                    o[j >> 6] |= bit << UInt64(j & 63)
                }
            }
        }
        return out
    }

    /// Appends the bits of another bitmap.
    public mutating func append(contentsOf other: Validity) {
        if count & 63 == 0 {
            words.append(contentsOf: other.words)
            count += other.count
            return
        }
        for i in 0..<other.count { append(other.isValid(i)) }
    }

    /// Whether every row is valid.
    public var allValid: Bool { validCount == count }

    private mutating func clearTail() {
        let rest = count & 63
        if rest != 0, !words.isEmpty { words[words.count - 1] &= (1 << UInt64(rest)) - 1 }
        let need = (count + 63) >> 6
        if words.count > need { words.removeLast(words.count - need) }
    }
}
