/// Key columns turned into comparable 64-bit words: what group-by, distinct and join hash.
///
/// Integers, dates and timestamps keep their value, floats their normalised bit pattern
/// (`-0.0` as `0.0`, one NaN), booleans 0/1, text its dictionary code (or, for joins, the code
/// in the other side's dictionary). Nulls are a key of their own (SQL `group by` semantics).
struct EncodedKeys {
    var words: [[UInt64]]
    var validity: [Validity?]
    let count: Int

    init(_ columns: [Column], count: Int) {
        self.count = count
        words = columns.map { EncodedKeys.encode($0) }
        validity = columns.map(\.validity)
    }

    init(words: [[UInt64]], validity: [Validity?], count: Int) {
        self.words = words
        self.validity = validity
        self.count = count
    }

    static func encode(_ c: Column) -> [UInt64] {
        switch c.storage {
        case .integer(let a), .timestamp(let a): return a.map { UInt64(bitPattern: $0) }
        case .float(let a): return a.map { $0 == 0 ? 0 : ($0.isNaN ? Double.nan.bitPattern : $0.bitPattern) }
        case .boolean(let a): return a.map { $0 ? 1 : 0 }
        case .date(let a): return a.map { UInt64(bitPattern: Int64($0)) }
        case .string(let a, _): return a.map { UInt64(UInt32(bitPattern: $0)) }
        }
    }

    @inline(__always)
    func hash(_ row: Int) -> UInt64 {
        var h: UInt64 = 0x243F_6A88_85A3_08D3
        for k in 0..<words.count {
            let valid = validity[k]?.isValid(row) ?? true
            h = ByteHash.mix(h ^ (valid ? words[k][row] : 0x5bd1_e995_0000_0001) &+ UInt64(k))
        }
        return h
    }

    @inline(__always)
    func equal(_ i: Int, _ other: EncodedKeys, _ j: Int) -> Bool {
        for k in 0..<words.count {
            let vi = validity[k]?.isValid(i) ?? true
            let vj = other.validity[k]?.isValid(j) ?? true
            if vi != vj { return false }
            if vi && words[k][i] != other.words[k][j] { return false }
        }
        return true
    }

    /// Whether any key of the row is null (joins never match null keys).
    @inline(__always)
    func hasNull(_ row: Int) -> Bool {
        for v in validity { if let v, !v.isValid(row) { return true } }
        return false
    }
}
