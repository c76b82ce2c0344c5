import CZlib
import Foundation
import NKEngine

/// Writes a zip archive member by member through a sink: each member is deflated in pieces as
/// its text is produced, so only the compressed bytes are held, then written with its header.
struct ZipWriter {
    private var directory: [UInt8] = []
    private var offset = 0
    private var count = 0
    let sink: ([UInt8]) throws -> Void
    /// The modification time in MS-DOS form, as zip keeps it.
    let dosTime: UInt16, dosDate: UInt16

    init(sink: @escaping ([UInt8]) throws -> Void, date: Date = Date()) {
        self.sink = sink
        var t = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&t, &parts)
        dosTime = UInt16(parts.tm_hour << 11 | parts.tm_min << 5 | parts.tm_sec / 2)
        dosDate = UInt16(max(0, parts.tm_year - 80) << 9 | (parts.tm_mon + 1) << 5 | parts.tm_mday)
    }

    /// Adds a member whose text `produce` hands over in pieces.
    mutating func add(_ name: String, _ produce: (_ write: (String) throws -> Void) throws -> Void) throws {
        try withoutActuallyEscaping(produce) { produce in
            try add(name, bytes: { write in try produce { try write(Array($0.utf8)) } })
        }
    }

    /// Adds a member whose bytes `produce` hands over in pieces.
    mutating func add(_ name: String, bytes produce: (_ write: ([UInt8]) throws -> Void) throws -> Void) throws {
        var stream = z_stream()
        guard nk_deflate_init_raw(&stream, 6) == Z_OK else { throw EngineError(.io, "zlib could not start") }
        defer { deflateEnd(&stream) }
        var compressed: [UInt8] = []
        var crc: uLong = crc32(0, nil, 0)
        var size = 0
        let chunk = 1 << 16
        var out = [UInt8](repeating: 0, count: chunk)
        func deflate(_ bytes: UnsafeBufferPointer<UInt8>, finish: Bool) throws {
            stream.next_in = UnsafeMutablePointer(mutating: bytes.baseAddress)
            stream.avail_in = UInt32(bytes.count)
            repeat {
                let status: Int32 = out.withUnsafeMutableBufferPointer { o in
                    stream.next_out = o.baseAddress
                    stream.avail_out = UInt32(chunk)
                    return CZlib.deflate(&stream, finish ? Z_FINISH : Z_NO_FLUSH)
                }
                guard status != Z_STREAM_ERROR else { throw EngineError(.io, "zlib failed while writing \(name)") }
                compressed.append(contentsOf: out[0..<(chunk - Int(stream.avail_out))])
                if finish && status == Z_STREAM_END { return }
            } while stream.avail_out == 0 || finish
        }
        try produce { piece in
            try piece.withUnsafeBufferPointer { b in
                crc = crc32(crc, b.baseAddress, uInt(b.count))
                size += b.count
                try deflate(b, finish: false)
            }
        }
        try deflate(UnsafeBufferPointer(start: nil, count: 0), finish: true)
        guard size < 0xFFFF_FFFF, compressed.count < 0xFFFF_FFFF, offset < 0xFFFF_FFFF else {
            throw EngineError(.resourceLimit, "the workbook would be larger than 4 GB, more than an .xlsx file nk writes can hold",
                              hint: "save it as CSV: save … to \"file.csv\"")
        }
        let nameBytes = Array(name.utf8)
        var local: [UInt8] = []
        ZipWriter.put32(&local, 0x0403_4B50)
        ZipWriter.put16(&local, 20); ZipWriter.put16(&local, 0x0800); ZipWriter.put16(&local, 8)
        ZipWriter.put16(&local, Int(dosTime)); ZipWriter.put16(&local, Int(dosDate))
        ZipWriter.put32(&local, Int(crc)); ZipWriter.put32(&local, compressed.count); ZipWriter.put32(&local, size)
        ZipWriter.put16(&local, nameBytes.count); ZipWriter.put16(&local, 0)
        local += nameBytes
        var central: [UInt8] = []
        ZipWriter.put32(&central, 0x0201_4B50)
        ZipWriter.put16(&central, 20); ZipWriter.put16(&central, 20); ZipWriter.put16(&central, 0x0800); ZipWriter.put16(&central, 8)
        ZipWriter.put16(&central, Int(dosTime)); ZipWriter.put16(&central, Int(dosDate))
        ZipWriter.put32(&central, Int(crc)); ZipWriter.put32(&central, compressed.count); ZipWriter.put32(&central, size)
        ZipWriter.put16(&central, nameBytes.count); ZipWriter.put16(&central, 0); ZipWriter.put16(&central, 0)
        ZipWriter.put16(&central, 0); ZipWriter.put16(&central, 0); ZipWriter.put32(&central, 0); ZipWriter.put32(&central, offset)
        central += nameBytes
        directory += central
        try sink(local)
        try sink(compressed)
        offset += local.count + compressed.count
        count += 1
    }

    /// Writes the central directory and its end record.
    mutating func finish() throws {
        var end: [UInt8] = []
        ZipWriter.put32(&end, 0x0605_4B50)
        ZipWriter.put16(&end, 0); ZipWriter.put16(&end, 0); ZipWriter.put16(&end, count); ZipWriter.put16(&end, count)
        ZipWriter.put32(&end, directory.count); ZipWriter.put32(&end, offset); ZipWriter.put16(&end, 0)
        try sink(directory)
        try sink(end)
    }

    static func put16(_ b: inout [UInt8], _ v: Int) { b.append(UInt8(v & 0xFF)); b.append(UInt8(v >> 8 & 0xFF)) }
    static func put32(_ b: inout [UInt8], _ v: Int) { put16(&b, v & 0xFFFF); put16(&b, v >> 16 & 0xFFFF) }
}
