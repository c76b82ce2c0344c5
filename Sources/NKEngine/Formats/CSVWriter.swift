#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Writes tables as RFC 4180 CSV in UTF-8: fields holding the delimiter, a quote, a line break
/// or edge spaces are quoted with quotes doubled; null is an empty field and the empty text
/// `""`, so both survive a round trip. Floats keep a decimal point (`12.0`) so they read back
/// as floats; dates are ISO 8601.
public enum CSVWriter {
    /// Writes `table` to `path` atomically: into a temporary file beside it, flushed to disk,
    /// then renamed over the target. A failed write leaves any existing file untouched.
    public static func write(_ table: Table, to path: String, delimiter: UInt8 = UInt8(ascii: ","), header: Bool = true) throws {
        try AtomicFile.write(to: path) { sink in
            try render(table, delimiter: delimiter, header: header) { try sink($0) }
        }
    }

    /// The CSV text of `table`.
    public static func string(_ table: Table, delimiter: UInt8 = UInt8(ascii: ","), header: Bool = true) -> String {
        var out: [UInt8] = []
        try? render(table, delimiter: delimiter, header: header) { out.append(contentsOf: $0) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Renders `table` in blocks of bytes handed to `emit` (memory stays bounded for large tables).
    public static func render(_ table: Table, delimiter: UInt8, header: Bool, emit: ([UInt8]) throws -> Void) throws {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        if header {
            for (i, name) in table.names.enumerated() {
                if i > 0 { buffer.append(delimiter) }
                appendField(Array(name.utf8), delimiter, quoteEmpty: false, to: &buffer)
            }
            buffer.append(UInt8(ascii: "\n"))
        }
        // text values are quoted once per distinct value, not once per row
        let renderedText: [[[UInt8]]?] = table.columns.map { column in
            guard case .string(_, let dict) = column.storage else { return nil }
            return (0..<dict.count).map { c in
                var field: [UInt8] = []
                dict.withBytes(Int32(c)) { appendField(Array($0), delimiter, quoteEmpty: true, to: &field) }
                return field
            }
        }
        for row in 0..<table.rowCount {
            for (i, column) in table.columns.enumerated() {
                if i > 0 { buffer.append(delimiter) }
                if column.isNull(row) { continue }
                switch column.storage {
                case .integer(let a): buffer.append(contentsOf: String(a[row]).utf8)
                case .float(let a): buffer.append(contentsOf: formatFloat(a[row]).utf8)
                case .boolean(let a): buffer.append(contentsOf: (a[row] ? "true" : "false").utf8)
                case .date(let a): buffer.append(contentsOf: CivilDate.format(Int(a[row])).utf8)
                case .timestamp(let a): buffer.append(contentsOf: CivilDate.formatTimestamp(a[row]).utf8)
                case .string(let codes, _): buffer.append(contentsOf: renderedText[i]![Int(codes[row])])
                }
            }
            buffer.append(UInt8(ascii: "\n"))
            if buffer.count >= 1 << 20 {
                try emit(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        if !buffer.isEmpty { try emit(buffer) }
    }

    /// Shortest text that reads back as the same Double, with a decimal point.
    static func formatFloat(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v < 0 ? "-inf" : "inf" }
        return "\(v)"
    }

    static func appendField(_ bytes: [UInt8], _ delimiter: UInt8, quoteEmpty: Bool, to out: inout [UInt8]) {
        let quote = UInt8(ascii: "\"")
        let needsQuotes = (bytes.isEmpty && quoteEmpty)
            || bytes.contains { $0 == delimiter || $0 == quote || $0 == 10 || $0 == 13 }
            || bytes.first == 32 || bytes.last == 32
        guard needsQuotes else { out.append(contentsOf: bytes); return }
        out.append(quote)
        for b in bytes {
            if b == quote { out.append(quote) }
            out.append(b)
        }
        out.append(quote)
    }
}

/// Writes a file through a temporary sibling and a rename, so readers never see half a file
/// and a failure never destroys the previous version.
public enum AtomicFile {
    public static func write(to path: String, _ body: (_ sink: ([UInt8]) throws -> Void) throws -> Void) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw EngineError(.io, "cannot write \(path): it is a directory", hint: "name a file, e.g. \(path)/result.csv")
        }
        guard FileManager.default.fileExists(atPath: directory.isEmpty ? "." : directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw EngineError(.io, "cannot write \(path): the folder \(directory) does not exist", hint: "create the folder first, or choose another path")
        }
        // a file that exists keeps its permissions, and one that is read-only is not replaced
        var existing = stat()
        let replacing = stat(path, &existing) == 0
        if replacing, access(path, W_OK) != 0, errno == EACCES || errno == EROFS {
            throw EngineError(.io, "cannot write \(path): it is read-only; it is left as it is",
                              hint: "make it writable first (chmod u+w), or save under another name")
        }
        let temporary = (directory.isEmpty ? "." : directory) + "/." + url.lastPathComponent + ".nk-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
        guard let file = fopen(temporary, "wx") else {
            throw EngineError(.io, "cannot write in \(directory.isEmpty ? "." : directory): \(String(cString: strerror(errno)).lowercased())",
                              hint: "check that the folder is writable")
        }
        var closed = false
        defer {
            if !closed { fclose(file) }
        }
        do {
            if replacing, fchmod(fileno(file), existing.st_mode & 0o7777) != 0 {
                throw EngineError(.io, "cannot give the new \(path) the old one's permissions: \(String(cString: strerror(errno)).lowercased())")
            }
            try body { bytes in
                let written = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
                if written != bytes.count {
                    throw EngineError(.io, "cannot write \(path): \(String(cString: strerror(errno)).lowercased())", hint: "is the disk full?")
                }
            }
            if fflush(file) != 0 || fsync(fileno(file)) != 0 {
                throw EngineError(.io, "cannot write \(path): \(String(cString: strerror(errno)).lowercased())", hint: "is the disk full?")
            }
            fclose(file)
            closed = true
            if rename(temporary, path) != 0 {
                throw EngineError(.io, "cannot replace \(path): \(String(cString: strerror(errno)).lowercased())", hint: "check the file's permissions")
            }
        } catch {
            unlink(temporary)
            throw error
        }
    }
}
