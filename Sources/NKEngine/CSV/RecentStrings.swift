/// The codes of short strings a text column met recently, in a small table that stays in the
/// core's own cache: for a column of few distinct values (a product line, a region, a status)
/// nearly every field is found here, with three loads and one multiplication, instead of
/// being hashed whole and looked up in the column's dictionary.
///
/// A string of 1 to 24 bytes is known exactly by its length and at most three 8-byte words
/// (the first, the one from byte 8 and the last, which overlap for shorter strings), so a hit
/// needs no comparison of bytes. Longer strings are not kept. Only strings that are no null
/// spelling are stored, so a hit is a value whether or not its field was quoted.
///
/// The table belongs to one ``ColumnBuilder`` and names codes of its dictionary: it is
/// cleared with it. The memory is managed by hand, as the builder's buffers are.
struct RecentStrings {
    private struct Entry {
        var w0: UInt64, w1: UInt64, w2: UInt64
        /// The string's length; 0 marks an empty slot.
        var count: Int32
        var code: Int32
    }

    /// The longest string kept.
    static let longest = 24
    private static let slotBits = 6
    private var slots: UnsafeMutablePointer<Entry>?

    /// An empty table; `enabled` false makes one that never holds anything (no memory).
    init(enabled: Bool) {
        guard enabled else { return }
        let n = 1 << RecentStrings.slotBits
        slots = .allocate(capacity: n)
        slots.unsafelyUnwrapped.initialize(repeating: Entry(w0: 0, w1: 0, w2: 0, count: 0, code: 0), count: n)
    }

    /// The words that know a string of `n` bytes (1...24) exactly, beside its length.
    @inline(__always)
    private static func words(_ p: UnsafePointer<UInt8>, _ n: Int) -> (UInt64, UInt64, UInt64) {
        let raw = UnsafeRawPointer(p)
        if n >= 8 {
            let first = raw.loadUnaligned(as: UInt64.self)
            let last = raw.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)
            return (first, n > 16 ? raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self) : 0, last)
        }
        if n >= 4 {
            let first = UInt64(raw.loadUnaligned(as: UInt32.self))
            return (first | UInt64(raw.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self)) << 32, 0, 0)
        }
        return (UInt64(p[0]) | UInt64(p[n >> 1]) << 8 | UInt64(p[n &- 1]) << 16, 0, 0)
    }

    @inline(__always)
    private static func slot(_ w: (UInt64, UInt64, UInt64), _ n: Int) -> Int {
        let mixed = (w.0 ^ (w.1 &* ByteHash.k1) ^ (w.2 >> 7) ^ UInt64(truncatingIfNeeded: n)) &* ByteHash.k0
        return Int(truncatingIfNeeded: mixed >> UInt64(64 - slotBits))
    }

    /// The code of the field's text, when the table holds it.
    @inline(__always)
    func code(of f: FieldBytes) -> Int32? {
        guard let slots, f.count > 0, f.count <= RecentStrings.longest else { return nil }
        let w = RecentStrings.words(f.pointer, f.count)
        let e = slots[RecentStrings.slot(w, f.count)]
        guard e.count == Int32(truncatingIfNeeded: f.count), e.w0 == w.0, e.w1 == w.1, e.w2 == w.2 else { return nil }
        return e.code
    }

    /// Keeps `code` for the field's text (a string that is no null spelling), replacing
    /// whatever its slot held.
    mutating func store(_ f: FieldBytes, code: Int32) {
        guard let slots, f.count > 0, f.count <= RecentStrings.longest else { return }
        let w = RecentStrings.words(f.pointer, f.count)
        slots[RecentStrings.slot(w, f.count)] = Entry(w0: w.0, w1: w.1, w2: w.2, count: Int32(f.count), code: code)
    }

    /// Forgets every string (their codes are about to mean nothing).
    mutating func removeAll() {
        slots?.update(repeating: Entry(w0: 0, w1: 0, w2: 0, count: 0, code: 0), count: 1 << RecentStrings.slotBits)
    }

    mutating func deallocate() {
        slots?.deallocate()
        slots = nil
    }
}
