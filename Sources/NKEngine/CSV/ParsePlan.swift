#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the parser needs to know about the columns: types, formats, null spellings.
struct ParsePlan {
    var delimiter: UInt8
    var decimal: UInt8
    var types: [DataType]
    var formats: [DateFormat]
    var nulls: [[UInt8]]
    /// Per column: whether its values are kept (a column left out is only scanned).
    var keep: [Bool]
    var width: Int { types.count }

    /// Whether an unquoted field is one of the null spellings.
    @inline(__always)
    func isNullSpelling(_ f: FieldBytes) -> Bool {
        if f.quoted { return false }
        if f.count == 0 { return true }
        for s in nulls where s.count == f.count {
            if ParsePlan.same(s, f.pointer) { return true }
        }
        return false
    }

    /// Whether the bytes at `p` are `spelling` (as many bytes as it has). Null spellings are
    /// short: a loop beats a call to memcmp.
    @inline(__always)
    static func same(_ spelling: [UInt8], _ p: UnsafePointer<UInt8>) -> Bool {
        spelling.withUnsafeBufferPointer { s in
            for k in 0..<s.count where s[k] != p[k] { return false }
            return true
        }
    }
}
