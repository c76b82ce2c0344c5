import CZlib
import Foundation
import NKEngine

/// The members of a zip archive (what an `.xlsx` workbook is), read from its central directory.
/// Members are stored or deflated; a member is inflated in pieces, so a large sheet never has
/// to be in memory whole.
struct ZipArchive {
    struct Member {
        var name: String
        var method: UInt16
        var flags: UInt16
        var compressedSize: Int
        var size: Int
        var localHeader: Int
    }

    let bytes: Data
    let file: String
    private(set) var members: [String: Member] = [:]

    /// Reads the whole file into memory first: a mapped file that another program cuts short
    /// or rewrites while nk reads it would stop nk with SIGBUS, or mix two versions. A file
    /// that changed while it was read (its size or time differ after the read) is an error.
    init(path: String, shown: String) throws {
        file = shown
        var before = stat(), after = stat()
        let statted = stat(path, &before) == 0
        bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        ZipArchive.afterReading.run(path)
        if statted, stat(path, &after) == 0,
           after.st_size != before.st_size || after.st_mtim.tv_sec != before.st_mtim.tv_sec
            || after.st_mtim.tv_nsec != before.st_mtim.tv_nsec || after.st_ino != before.st_ino || bytes.count != Int(before.st_size) {
            throw EngineError(.io, "\(shown) changed while nk read it",
                              hint: "load it again once the program writing it has finished; nothing was loaded")
        }
        try readDirectory()
    }

    /// What runs right after a file's bytes are read, before they are checked: nothing, but a
    /// test puts another program's rename there to replace the file at that moment.
    static let afterReading = ReadHooks()

    func damaged(_ what: String) -> EngineError {
        EngineError(.invalidInput, "\(file) is not a readable workbook: \(what)",
                    hint: "the file is cut short or damaged; open it in Excel or LibreOffice and save it again as .xlsx")
    }

    func u16(_ at: Int) -> Int { Int(bytes[bytes.startIndex + at]) | Int(bytes[bytes.startIndex + at + 1]) << 8 }
    func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }

    /// Finds the end-of-central-directory record (within the last 64 KB) and reads every entry.
    private mutating func readDirectory() throws {
        let n = bytes.count
        guard n >= 22 else { throw damaged("it is too short to be a zip archive") }
        var end = -1
        var i = n - 22
        while i >= max(0, n - 22 - 65_535) {
            if u32(i) == 0x0605_4B50 { end = i; break }
            i -= 1
        }
        guard end >= 0 else { throw damaged("its zip directory is missing") }
        let count = u16(end + 10)
        var at = u32(end + 16)
        guard at + 46 <= n else { throw damaged("its zip directory points outside the file") }
        for _ in 0..<count {
            guard at + 46 <= n, u32(at) == 0x0201_4B50 else { throw damaged("its zip directory is broken") }
            let nameLength = u16(at + 28), extra = u16(at + 30), comment = u16(at + 32)
            guard at + 46 + nameLength <= n else { throw damaged("its zip directory is broken") }
            let name = String(decoding: bytes[(bytes.startIndex + at + 46)..<(bytes.startIndex + at + 46 + nameLength)], as: UTF8.self)
            let member = Member(name: name, method: UInt16(u16(at + 10)), flags: UInt16(u16(at + 8)), compressedSize: u32(at + 20),
                                size: u32(at + 24), localHeader: u32(at + 42))
            if member.compressedSize == 0xFFFF_FFFF || member.localHeader == 0xFFFF_FFFF {
                throw EngineError(.invalidInput, "\(file) is a workbook larger than 4 GB (zip64), which nk does not read",
                                  hint: "save the sheet you need as CSV and load that")
            }
            members[name] = member
            at += 46 + nameLength + extra + comment
        }
    }

    func has(_ name: String) -> Bool { members[name] != nil }

    /// The member's bytes, inflated, handed to `consume` in pieces of up to 256 KB.
    func read(_ name: String, _ consume: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        guard let m = members[name] else { throw damaged("its part \(name) is missing") }
        if m.flags & 1 != 0 {
            throw EngineError(.invalidInput, "\(file) is encrypted", hint: "save it again without a password, then load it")
        }
        guard m.localHeader + 30 <= bytes.count, u32(m.localHeader) == 0x0403_4B50 else { throw damaged("its part \(name) is broken") }
        let start = m.localHeader + 30 + u16(m.localHeader + 26) + u16(m.localHeader + 28)
        guard start + m.compressedSize <= bytes.count else { throw damaged("its part \(name) is cut short") }
        try bytes.withUnsafeBytes { raw in
            let data = UnsafeBufferPointer(start: raw.baseAddress!.assumingMemoryBound(to: UInt8.self) + start, count: m.compressedSize)
            switch m.method {
            case 0: try consume(data)
            case 8: try inflate(data, name, consume)
            default: throw damaged("its part \(name) is compressed with method \(m.method), which nk does not read")
            }
        }
    }

    /// The member's whole text (small parts: the workbook, styles, relationships).
    func text(_ name: String) throws -> [UInt8] {
        var out: [UInt8] = []
        try read(name) { out.append(contentsOf: $0) }
        return out
    }

    private func inflate(_ data: UnsafeBufferPointer<UInt8>, _ name: String, _ consume: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        var stream = z_stream()
        guard nk_inflate_init_raw(&stream) == Z_OK else { throw damaged("zlib could not start") }
        defer { inflateEnd(&stream) }
        let chunk = 1 << 18
        let out = UnsafeMutablePointer<UInt8>.allocate(capacity: chunk)
        defer { out.deallocate() }
        stream.next_in = UnsafeMutablePointer(mutating: data.baseAddress)
        stream.avail_in = UInt32(data.count)
        while true {
            stream.next_out = out
            stream.avail_out = UInt32(chunk)
            let status = CZlib.inflate(&stream, Z_NO_FLUSH)
            let produced = chunk - Int(stream.avail_out)
            if produced > 0 { try consume(UnsafeBufferPointer(start: out, count: produced)) }
            if status == Z_STREAM_END { return }
            guard status == Z_OK else { throw damaged("its part \(name) does not inflate (zlib error \(status))") }
            if stream.avail_in == 0 && produced == 0 { throw damaged("its part \(name) is cut short") }
        }
    }
}

/// Actions keyed by path, run at one moment of reading a file (see ``ZipArchive/afterReading``).
final class ReadHooks: @unchecked Sendable {
    private let lock = NSLock()
    private var actions: [String: () -> Void] = [:]

    func set(_ path: String, _ action: (() -> Void)?) {
        lock.lock()
        defer { lock.unlock() }
        actions[path] = action
    }

    func run(_ path: String) {
        lock.lock()
        let action = actions[path]
        lock.unlock()
        action?()
    }
}
