#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Conversions between value types, as used for literals and the conversion functions.
public enum Conversion {
    /// `value` as `type`, or null when it does not convert.
    public static func convert(_ value: Value, to type: DataType) -> Value {
        if value.type == type || value.isNull { return value }
        switch (value, type) {
        case (.integer(let v), .float): return .float(Double(v))
        case (.float(let v), .integer): return v.isFinite && abs(v) < 9.2e18 ? .integer(Int64(v.rounded(.towardZero))) : .null
        case (.date(let d), .timestamp): return .timestamp(Int64(d) * 86_400_000_000)
        case (.timestamp(let t), .date): return .date(Int32(truncatingIfNeeded: Evaluator.dayOf(t)))
        case (.boolean(let b), .integer): return .integer(b ? 1 : 0)
        case (_, .string): return .string(value.description)
        case (.string(let s), _):
            var bytes = Array(s.trimmingCharacters(in: .whitespaces).utf8)
            if bytes.isEmpty { return .null }
            return bytes.withUnsafeMutableBufferPointer { buf -> Value in
                let p = UnsafePointer(buf.baseAddress!), n = buf.count
                switch type {
                case .integer: return DateParsing.parseInt(p, n).map(Value.integer) ?? .null
                case .float: return DateParsing.parseDouble(p, n).map(Value.float) ?? .null
                case .boolean: return DateParsing.parseBool(p, n).map(Value.boolean) ?? .null
                case .date:
                    for f in DateFormat.sniffed { if let d = DateParsing.parseDate(p, n, format: f) { return .date(Int32(d)) } }
                    return .null
                case .timestamp:
                    for f in DateFormat.sniffed { if let t = DateParsing.parseTimestamp(p, n, format: f) { return .timestamp(t) } }
                    for f in DateFormat.sniffed { if let d = DateParsing.parseDate(p, n, format: f) { return .timestamp(Int64(d) * 86_400_000_000) } }
                    return .null
                case .string: return value
                }
            }
        default: return .null
        }
    }
}

import Foundation
