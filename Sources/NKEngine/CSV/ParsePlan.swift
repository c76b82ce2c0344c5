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
    var width: Int { types.count }

    /// Whether an unquoted field is one of the null spellings.
    @inline(__always)
    func isNullSpelling(_ f: FieldBytes) -> Bool {
        if f.quoted { return false }
        if f.count == 0 { return true }
        for s in nulls where s.count == f.count {
            if s.withUnsafeBufferPointer({ memcmp($0.baseAddress!, f.pointer, f.count) == 0 }) { return true }
        }
        return false
    }
}
