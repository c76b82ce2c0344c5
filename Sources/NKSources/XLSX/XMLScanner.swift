import Foundation

/// A scanner for the XML of workbook parts, fed in pieces: it reports start tags (with their
/// attributes), end tags and text, and keeps an unfinished tag or text for the next piece.
/// Enough XML for what spreadsheet programs write: no DTDs, namespace prefixes dropped.
struct XMLScanner {
    enum Kind { case start, end, empty, text }

    /// One tag or text run, valid during the callback.
    struct Token {
        var kind: Kind
        /// The local name (without a namespace prefix), for tags.
        var name: UnsafeBufferPointer<UInt8>
        /// The bytes after the name inside the tag, or the text.
        var body: UnsafeBufferPointer<UInt8>

        func named(_ n: StaticString) -> Bool {
            n.utf8CodeUnitCount == name.count && memcmp(n.utf8Start, name.baseAddress!, name.count) == 0
        }

        /// The raw value of an attribute (entities not decoded), matched by local name.
        func attribute(_ key: StaticString) -> UnsafeBufferPointer<UInt8>? {
            let b = body
            var i = 0
            while i < b.count {
                while i < b.count, b[i] == 32 || b[i] == 9 || b[i] == 10 || b[i] == 13 || b[i] == 47 { i += 1 }
                let nameStart = i
                while i < b.count, b[i] != 61, b[i] != 32 { i += 1 }
                var localStart = nameStart
                for j in nameStart..<i where b[j] == 58 { localStart = j + 1 }
                let matches = key.utf8CodeUnitCount == i - localStart && memcmp(key.utf8Start, b.baseAddress! + localStart, i - localStart) == 0
                while i < b.count, b[i] != 34, b[i] != 39 { i += 1 }
                guard i < b.count else { return nil }
                let quote = b[i]
                i += 1
                let valueStart = i
                while i < b.count, b[i] != quote { i += 1 }
                if matches { return UnsafeBufferPointer(rebasing: b[valueStart..<min(i, b.count)]) }
                i += 1
            }
            return nil
        }

        func attributeText(_ key: StaticString) -> String? {
            attribute(key).map { XMLScanner.decoded($0) }
        }
    }

    private var carry: [UInt8] = []

    /// Scans `piece` after what was left of the last one.
    mutating func feed(_ piece: UnsafeBufferPointer<UInt8>, _ handle: (Token) throws -> Void) throws {
        if carry.isEmpty {
            let used = try scan(piece, final: false, handle)
            carry.append(contentsOf: piece[used...])
        } else {
            carry.append(contentsOf: piece)
            let buffer = carry
            let used = try buffer.withUnsafeBufferPointer { try scan($0, final: false, handle) }
            carry.removeFirst(used)
        }
    }

    /// Scans what is left after the last piece.
    mutating func finish(_ handle: (Token) throws -> Void) throws {
        let buffer = carry
        carry = []
        _ = try buffer.withUnsafeBufferPointer { try scan($0, final: true, handle) }
    }

    /// Reports every complete token of `b`; returns how many bytes were used.
    private func scan(_ b: UnsafeBufferPointer<UInt8>, final: Bool, _ handle: (Token) throws -> Void) throws -> Int {
        guard let base = b.baseAddress else { return 0 }
        let n = b.count
        var p = 0
        let none = UnsafeBufferPointer<UInt8>(start: base, count: 0)
        while p < n {
            if b[p] != 60 {
                guard let lt = memchr(base + p, 60, n - p) else {
                    if final { try handle(Token(kind: .text, name: none, body: UnsafeBufferPointer(rebasing: b[p..<n]))) ; return n }
                    return p
                }
                let end = UnsafeRawPointer(lt).assumingMemoryBound(to: UInt8.self) - base
                try handle(Token(kind: .text, name: none, body: UnsafeBufferPointer(rebasing: b[p..<end])))
                p = end
                continue
            }
            // comments, CDATA and declarations
            if p + 1 < n, b[p + 1] == 33 || b[p + 1] == 63 {
                let cdata = p + 9 <= n && memcmp(base + p, "<![CDATA[", 9) == 0
                let comment = p + 4 <= n && memcmp(base + p, "<!--", 4) == 0
                let terminator: [UInt8] = cdata ? [93, 93, 62] : comment ? [45, 45, 62] : [62]
                guard let close = XMLScanner.find(terminator, in: b, from: p + 2) else { return p }
                if cdata { try handle(Token(kind: .text, name: none, body: UnsafeBufferPointer(rebasing: b[(p + 9)..<close]))) }
                p = close + terminator.count
                continue
            }
            guard let gt = memchr(base + p, 62, n - p) else { return p }
            let close = UnsafeRawPointer(gt).assumingMemoryBound(to: UInt8.self) - base
            var start = p + 1
            var kind = Kind.start
            if b[start] == 47 { kind = .end; start += 1 }
            var stop = close
            if kind == .start, stop > start, b[stop - 1] == 47 { kind = .empty; stop -= 1 }
            var nameEnd = start
            while nameEnd < stop, b[nameEnd] != 32, b[nameEnd] != 9, b[nameEnd] != 10, b[nameEnd] != 13 { nameEnd += 1 }
            var local = start
            for j in start..<nameEnd where b[j] == 58 { local = j + 1 }
            try handle(Token(kind: kind, name: UnsafeBufferPointer(rebasing: b[local..<nameEnd]),
                             body: UnsafeBufferPointer(rebasing: b[nameEnd..<stop])))
            p = close + 1
        }
        return n
    }

    static func find(_ needle: [UInt8], in b: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard needle.count <= b.count else { return nil }
        var i = from
        while i + needle.count <= b.count {
            if b[i] == needle[0], needle.indices.allSatisfy({ b[i + $0] == needle[$0] }) { return i }
            i += 1
        }
        return nil
    }

    /// Text with XML's entities decoded (`&amp;`, `&lt;`, `&#233;`, `&#xE9;`, …).
    static func decoded(_ b: UnsafeBufferPointer<UInt8>) -> String {
        guard b.contains(38) else { return String(decoding: b, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        decode(b, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ b: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        var i = 0
        while i < b.count {
            guard b[i] == 38, let semi = (i + 1..<min(b.count, i + 12)).first(where: { b[$0] == 59 }) else {
                out.append(b[i]); i += 1; continue
            }
            let entity = String(decoding: UnsafeBufferPointer(rebasing: b[(i + 1)..<semi]), as: UTF8.self)
            var scalar: UInt32?
            switch entity {
            case "amp": scalar = 38
            case "lt": scalar = 60
            case "gt": scalar = 62
            case "quot": scalar = 34
            case "apos": scalar = 39
            default:
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") { scalar = UInt32(entity.dropFirst(2), radix: 16) }
                else if entity.hasPrefix("#") { scalar = UInt32(entity.dropFirst()) }
            }
            if let scalar, let u = Unicode.Scalar(scalar) {
                out.append(contentsOf: Array(String(Character(u)).utf8))
                i = semi + 1
            } else {
                out.append(b[i]); i += 1
            }
        }
    }
}
