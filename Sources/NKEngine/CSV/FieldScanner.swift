#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What went wrong while splitting a CSV text into fields.
enum CSVProblem: Sendable, Equatable {
    /// A quoted field that never closes; the offset is where its quote opened.
    case unterminatedQuote
    /// Characters after a closing quote before the next delimiter.
    case textAfterQuote
    /// A row with fewer fields than the header.
    case tooFewFields(found: Int)
    /// A row with more fields than the header.
    case tooManyFields
    /// Bytes that are not UTF-8.
    case invalidUTF8
    /// A value that does not fit a column whose type the user fixed (its text is kept by the
    /// column's builder).
    case badValue(column: Int)
}

/// A field's bytes: in the file for plain fields, in a scratch buffer for quoted fields with
/// doubled quotes. A negative count marks malformed quoting (see ``FieldScanner/field``).
struct FieldBytes {
    var pointer: UnsafePointer<UInt8>
    var count: Int
    var quoted: Bool

    /// The quote that opens the field never closes.
    static let unterminatedQuote = -1
    /// Text follows the closing quote before the next delimiter.
    static let textAfterQuote = -2
}

/// A growable byte buffer for unescaping quoted fields, reused across fields.
struct Scratch {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int

    init() {
        capacity = 256
        base = .allocate(capacity: capacity)
    }

    mutating func reserve(_ n: Int) {
        if n <= capacity { return }
        var c = capacity
        while c < n { c *= 2 }
        let b = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
        b.update(from: base, count: capacity)
        base.deallocate()
        base = b
        capacity = c
    }

    func free() { base.deallocate() }
}

/// Splits RFC 4180 text into fields: quoted fields may hold delimiters, doubled quotes and line
/// breaks; rows end at LF, CRLF or a lone CR.
enum FieldScanner {
    static let quote = UInt8(ascii: "\"")
    static let lf = UInt8(ascii: "\n")
    static let cr = UInt8(ascii: "\r")

    /// Reads one field starting at `pos`, leaving `pos` at the byte after it (a delimiter, a line
    /// break, or `end`). On malformed quoting the count is negative: for an unterminated quote
    /// `pos` stays at the opening quote, for text after a quote it points at that text.
    @inline(__always)
    static func field(_ p: UnsafePointer<UInt8>, _ pos: inout Int, _ end: Int, _ delimiter: UInt8,
                      _ scratch: inout Scratch) -> FieldBytes {
        if pos < end, p[pos] == quote { return quotedField(p, &pos, end, delimiter, &scratch) }
        let start = pos
        var i = pos
        // eight bytes at a time: the lowest byte equal to the delimiter, LF or CR ends the field
        // (offsets step with &+: each stays at or below `end`)
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let dWord = ones &* UInt64(delimiter), lfWord = ones &* UInt64(lf), crWord = ones &* UInt64(cr)
        while i &+ 8 <= end {
            let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
            let a = w ^ dWord, b = w ^ lfWord, c = w ^ crWord
            let hit = ((a &- ones) & ~a | (b &- ones) & ~b | (c &- ones) & ~c) & highs
            if hit != 0 {
                i &+= hit.trailingZeroBitCount >> 3
                pos = i
                return FieldBytes(pointer: p + start, count: i &- start, quoted: false)
            }
            i &+= 8
        }
        while i < end {
            let c = p[i]
            if c == delimiter || c == lf || c == cr { break }
            i &+= 1
        }
        pos = i
        return FieldBytes(pointer: p + start, count: i &- start, quoted: false)
    }

    /// A field that opens with a quote (at `pos`): kept out of ``field(_:_:_:_:_:)`` so the
    /// plain fields' scan stays small enough to be inlined into the parse loop.
    @inline(never)
    static func quotedField(_ p: UnsafePointer<UInt8>, _ pos: inout Int, _ end: Int, _ delimiter: UInt8,
                            _ scratch: inout Scratch) -> FieldBytes {
        let open = pos
        var i = pos + 1
        var pieces = 0
        var written = 0
        var contentStart = i
        while true {
            guard let q = memchr(p + i, Int32(quote), end - i) else {
                return FieldBytes(pointer: p, count: FieldBytes.unterminatedQuote, quoted: true)
            }
            let at = UnsafePointer<UInt8>(q.assumingMemoryBound(to: UInt8.self)) - p
            if at + 1 < end, p[at + 1] == quote {
                // doubled quote: copy the piece including one quote
                let len = at + 1 - contentStart
                scratch.reserve(written + len)
                (scratch.base + written).update(from: p + contentStart, count: len)
                written += len
                pieces += 1
                i = at + 2
                contentStart = i
                continue
            }
            pos = at + 1
            if pos < end, p[pos] != delimiter, p[pos] != lf, p[pos] != cr {
                return FieldBytes(pointer: p, count: FieldBytes.textAfterQuote, quoted: true)
            }
            if pieces == 0 {
                return FieldBytes(pointer: p + open + 1, count: at - open - 1, quoted: true)
            }
            let len = at - contentStart
            scratch.reserve(written + len)
            (scratch.base + written).update(from: p + contentStart, count: len)
            written += len
            return FieldBytes(pointer: UnsafePointer(scratch.base), count: written, quoted: true)
        }
    }

    /// Skips the line break at `pos` (LF, CRLF or CR); returns false when `pos` is not at one.
    @inline(__always)
    static func skipLineBreak(_ p: UnsafePointer<UInt8>, _ pos: inout Int, _ end: Int) -> Bool {
        if pos >= end { return true }
        if p[pos] == lf { pos &+= 1; return true }
        if p[pos] == cr {
            pos &+= 1
            if pos < end, p[pos] == lf { pos &+= 1 }
            return true
        }
        return false
    }

    /// The offset just after the first line break at or after `from` (ignoring quotes).
    static func nextLineStart(_ p: UnsafePointer<UInt8>, from: Int, _ end: Int) -> Int {
        guard from < end, let q = memchr(p + from, Int32(lf), end - from) else { return end }
        return UnsafePointer<UInt8>(q.assumingMemoryBound(to: UInt8.self)) - p + 1
    }

    /// 1-based line and byte column of an offset (counting LF, and CR not followed by LF).
    static func lineAndColumn(_ p: UnsafePointer<UInt8>, _ offset: Int) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        var i = 0
        while i < offset {
            guard let q = memchr(p + i, Int32(lf), offset - i) else { break }
            let at = UnsafePointer<UInt8>(q.assumingMemoryBound(to: UInt8.self)) - p
            line += 1
            lineStart = at + 1
            i = at + 1
        }
        return (line, offset - lineStart + 1)
    }
}

/// A problem and the byte offset where it is.
struct ProblemAt: Error, Equatable {
    var problem: CSVProblem
    var offset: Int
    init(_ problem: CSVProblem, _ offset: Int) { self.problem = problem; self.offset = offset }
}
