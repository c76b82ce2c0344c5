/// Checks UTF-8 well-formedness of byte ranges (the CSV reader validates each distinct text value once).
enum UTF8Validation {
    /// The offset of the first byte that breaks UTF-8, or nil when the bytes are valid.
    static func firstInvalid(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int? {
        var i = 0
        while i < n {
            // ASCII fast path, eight bytes at a time
            while i + 8 <= n, UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
            if i >= n { break }
            let b = p[i]
            if b < 0x80 { i += 1; continue }
            let need: Int
            var minimum: UInt32
            var code: UInt32
            switch b {
            case 0xC2...0xDF: need = 1; code = UInt32(b & 0x1F); minimum = 0x80
            case 0xE0...0xEF: need = 2; code = UInt32(b & 0x0F); minimum = 0x800
            case 0xF0...0xF4: need = 3; code = UInt32(b & 0x07); minimum = 0x10000
            default: return i
            }
            if i + need >= n { return i }
            for k in 1...need {
                let c = p[i + k]
                if c & 0xC0 != 0x80 { return i }
                code = code << 6 | UInt32(c & 0x3F)
            }
            if code < minimum || code > 0x10FFFF || (0xD800...0xDFFF).contains(code) { return i }
            i += need + 1
        }
        return nil
    }

    /// Latin-1 / Windows-1252 bytes as UTF-8.
    static func transcodeLatin1(_ p: UnsafePointer<UInt8>, _ n: Int) -> [UInt8] {
        // Windows-1252 differs from Latin-1 in 0x80–0x9F
        let cp1252: [UInt16] = [0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
                                0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178]
        var out = [UInt8]()
        out.reserveCapacity(n + n / 8)
        for i in 0..<n {
            let b = p[i]
            if b < 0x80 { out.append(b); continue }
            let scalar = b < 0xA0 ? UInt32(cp1252[Int(b - 0x80)]) : UInt32(b)
            for u in String(UnicodeScalar(scalar)!).utf8 { out.append(u) }
        }
        return out
    }
}
