#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads CSV files into tables: RFC 4180, sniffed dialect and types, parsed on all cores.
///
/// The file is memory-mapped and read in waves of a few tens of megabytes; each wave is split
/// into one part per core at guessed row boundaries (the first line break after the split
/// point). A guess is verified by the part before it ending exactly there; if a split fell
/// inside a quoted field, the rest of the wave is parsed again from the true boundary. Pages
/// already parsed are released, so memory holds the columns rather than the file.
public enum CSVReader {
    /// Bytes per wave.
    static let waveBytes = 32 << 20
    /// Bytes at the start checked for NUL bytes before anything else reads them.
    static let headBytes = 1 << 20

    /// Throws, with line and column, at the first NUL byte in `from..<to` of the text.
    static func checkNoNUL(_ buffer: UnsafePointer<UInt8>, from: Int, to: Int, name: String) throws {
        guard to > from, let nul = memchr(buffer + from, 0, to - from) else { return }
        // text with a NUL byte further in: say where, rather than keep a value no one can see
        let (line, column) = FieldScanner.lineAndColumn(buffer, buffer.distance(to: nul.assumingMemoryBound(to: UInt8.self)))
        throw EngineError.invalidInput("a NUL byte (character code 0) is in the text", hint: "the file is damaged, binary, or UTF-16 text (then save it as CSV UTF-8); otherwise remove the byte",
                                       location: FileLocation(file: name, line: line, column: column))
    }

    /// Loads a CSV file. A failed load throws and leaves nothing behind.
    /// A file whose columns would take more than `memoryLimit` bytes is refused before it is
    /// parsed.
    public static func load(path: String, options: CSVOptions = CSVOptions(),
                            cancellation: CancellationFlag = .shared, memoryLimit: Int = .max) throws -> CSVLoad {
        let file = try MappedFile(path: path)
        defer { file.close() }
        return try load(file: file, name: path, options: options, cancellation: cancellation, memoryLimit: memoryLimit)
    }

    /// Loads an opened file; a file that changed while it was read is an error, whatever
    /// the parse made of it.
    static func load(file: MappedFile, name: String, options: CSVOptions, cancellation: CancellationFlag,
                     memoryLimit: Int = .max) throws -> CSVLoad {
        let result = Result {
            if options.encoding == .latin1 {
                // the UTF-8 copy is held while the columns are made
                let limit = memoryLimit - min(memoryLimit, file.count)
                let utf8 = UTF8Validation.transcodeLatin1(file.bytes, file.count)
                return try utf8.withUnsafeBufferPointer { try load(buffer: $0.baseAddress ?? UnsafePointer(bitPattern: 1)!, count: $0.count, name: name, options: options, file: nil, cancellation: cancellation, memoryLimit: limit) }
            }
            return try load(buffer: file.bytes, count: file.count, name: name, options: options, file: file, cancellation: cancellation, memoryLimit: memoryLimit)
        }
        if let change = file.changed {
            throw EngineError(.io, "\(name) changed while nk read it: \(change)",
                              hint: "load it again once the program writing it has finished; nothing was loaded")
        }
        return try result.get()
    }

    /// Loads CSV text held in memory (`name` is used in error messages).
    public static func load(text: String, name: String = "<text>", options: CSVOptions = CSVOptions()) throws -> CSVLoad {
        let bytes = Array(text.utf8)
        return try load(bytes: bytes, name: name, options: options)
    }

    /// Loads CSV bytes held in memory.
    public static func load(bytes: [UInt8], name: String = "<bytes>", options: CSVOptions = CSVOptions()) throws -> CSVLoad {
        var input = bytes
        if options.encoding == .latin1 {
            input = bytes.withUnsafeBufferPointer { UTF8Validation.transcodeLatin1($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count) }
        }
        input.append(0)  // keeps the base pointer valid for empty input
        return try input.withUnsafeBufferPointer {
            try load(buffer: $0.baseAddress!, count: $0.count - 1, name: name, options: options, file: nil, cancellation: CancellationFlag())
        }
    }

    /// Loads a file whose fields are separated by runs of blanks, as tab-separated text.
    static func loadAligned(_ p: UnsafePointer<UInt8>, _ n: Int, minimumRun: Int, name: String, options: CSVOptions, hasBOM: Bool,
                            cancellation: CancellationFlag, memoryLimit: Int) throws -> CSVLoad {
        var text = WhitespaceAlignment.normalized(p, n, minimumRun: minimumRun)
        text.append(0)
        var tabbed = options
        tabbed.delimiter = UInt8(ascii: "\t")
        var result = try text.withUnsafeBufferPointer {
            try load(buffer: $0.baseAddress!, count: $0.count - 1, name: name, options: tabbed, file: nil,
                     cancellation: cancellation, memoryLimit: memoryLimit - min(memoryLimit, text.count))
        }
        result.dialect.delimiter = CSVOptions.whitespace
        result.dialect.hasBOM = hasBOM
        if options.delimiter == nil {
            let runs = minimumRun == 1 ? "runs of spaces" : "runs of two or more spaces (single spaces stay in the values)"
            result.notes.insert("the fields are separated by \(runs): delimiter whitespace", at: 0)
        }
        return result
    }

    static func load(buffer: UnsafePointer<UInt8>, count total: Int, name: String, options: CSVOptions,
                     file: MappedFile?, cancellation: CancellationFlag, memoryLimit: Int = .max) throws -> CSVLoad {
        if let format = BinaryFormat(buffer, total) {
            throw EngineError.invalidInput("this is \(format.name), not CSV text", hint: format.hint, location: FileLocation(file: name, line: 1))
        }
        // the head is checked before the sniffer reads it (UTF-16 text is NUL bytes throughout);
        // the rest is checked part by part while the rows are parsed
        try checkNoNUL(buffer, from: 0, to: min(total, headBytes), name: name)
        let hasBOM = total >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF
        let bom = hasBOM ? 3 : 0
        let p = buffer + bom
        let n = total - bom
        if n == 0 {
            throw EngineError.invalidInput("the file is empty: it has no header and no rows", hint: "check the path, or export the data again",
                                           location: FileLocation(file: name, line: 1))
        }
        if options.delimiter == CSVOptions.whitespace || options.delimiter == nil, let run = WhitespaceAlignment.detect(p, n)
            ?? (options.delimiter == CSVOptions.whitespace ? 1 : nil) {
            try checkNoNUL(buffer, from: headBytes, to: total, name: name)
            return try loadAligned(p, n, minimumRun: run, name: name, options: options, hasBOM: hasBOM, cancellation: cancellation,
                                   memoryLimit: memoryLimit)
        }
        var sniffer = CSVSniffer(p: p, n: n, options: options)
        var (dialect, dataStart) = try sniffer.sniff(fileName: name, hasBOM: hasBOM)
        var notes = sniffer.notes
        if let bad = UTF8Validation.firstInvalid(p, dataStart) {
            throw located(ProblemAt(.invalidUTF8, bad), buffer, bom, name, dialect)
        }
        let selected = try selectedColumns(options.columns, in: dialect.names)
        var keep = [Bool](repeating: selected == nil, count: dialect.names.count)
        for i in selected ?? [] { keep[i] = true }
        let estimate = estimatedSize(p, n, from: dataStart, types: dialect.types.indices.filter { keep[$0] }.map { dialect.types[$0] })
        if estimate.bytes > memoryLimit {
            throw EngineError(.resourceLimit, "load: \(name) would take about \(ExecutionContext.formatBytes(estimate.bytes)) in memory (about \(Value.grouped(estimate.rows)) rows of \(dialect.names.count) columns), more than the memory limit of \(ExecutionContext.formatBytes(memoryLimit))",
                              hint: "load a part of the file, or raise the limit with .set memory_limit if the machine has the memory")
        }
        let explicit = Set(options.types.keys.compactMap { Table.resolve($0, in: dialect.names) })
        for _ in 0..<6 {
            try cancellation.check()
            let plan = ParsePlan(delimiter: dialect.delimiter, decimal: dialect.decimal, types: dialect.types,
                                 formats: dialect.dateFormats.map { $0 ?? .iso }, nulls: dialect.nulls.map { Array($0.utf8) },
                                 keep: keep)
            let builders = try parseAll(p, n, from: dataStart, plan: plan, buffer: buffer, bom: bom, name: name,
                                        dialect: dialect, file: file, cancellation: cancellation)
            // a value that breaks a sniffed type widens the column; a fixed type is an error
            var widened = false
            for (i, b) in builders.enumerated() {
                guard let failure = b.failure else { continue }
                if explicit.contains(i) {
                    throw located(ProblemAt(.badValue(column: i), failure.offset), buffer, bom, name, dialect, badText: failure.text)
                }
                let wider = widen(dialect.types[i], failure.text, decimal: dialect.decimal, format: dialect.dateFormats[i])
                let line = FieldScanner.lineAndColumn(p, failure.offset).line
                notes.append("column \(dialect.names[i]) is read as \(wider.type) (not \(dialect.types[i])) because of \"\(failure.text)\" on line \(line)")
                dialect.types[i] = wider.type
                dialect.dateFormats[i] = wider.format
                widened = true
            }
            if widened { continue }
            let order = selected ?? Array(dialect.names.indices)
            let table = try Table(order.map { (dialect.names[$0], builders[$0].build()) })
            if options.delimiter == nil, dialect.header, dialect.names.count == 1, dialect.names[0].split(separator: " ").count >= 2 {
                notes.append("the header \"\(dialect.names[0])\" is read as one column; if its words name several columns, "
                             + "load with delimiter whitespace (fields separated by spaces) or name the delimiter")
            }
            return CSVLoad(table: table, dialect: dialect, notes: notes)
        }
        throw EngineError.internalError("column types of \(name) did not settle")
    }

    /// The positions of the columns a load keeps, in the order given; nil for all.
    static func selectedColumns(_ wanted: [String]?, in names: [String]) throws -> [Int]? {
        guard let wanted else { return nil }
        var positions: [Int] = []
        for name in wanted {
            guard let i = Table.resolve(name, in: names) else { throw EngineError.unknownColumn(name, available: names) }
            if positions.contains(i) {
                throw EngineError.invalidInput("columns names \(names[i]) twice", hint: "name each column once")
            }
            positions.append(i)
        }
        return positions
    }

    /// The rows and bytes a load will take, estimated before parsing: line breaks counted in
    /// samples spread over the file, times the bytes a value of each type takes. A string
    /// counts only its 4-byte code (its text is kept once per distinct value), so the
    /// estimate errs low: a file it refuses cannot fit.
    static func estimatedSize(_ p: UnsafePointer<UInt8>, _ n: Int, from start: Int, types: [DataType]) -> (rows: Int, bytes: Int) {
        let length = n - start
        guard length > 0 else { return (0, 0) }
        let samples = 8, sampleBytes = 64 << 10
        // a small file is counted whole
        let ranges = length <= samples * sampleBytes ? [0..<length]
            : (0..<samples).map { k in k * (length / samples)..<(k * (length / samples) + sampleBytes) }
        var lines = 0, sampled = 0
        for range in ranges {
            var q = p + start + range.lowerBound
            let end = p + start + range.upperBound
            while q < end, let hit = memchr(q, 10, end - q) {
                lines += 1
                q = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)) + 1
            }
            sampled += range.count
        }
        let rows = sampled >= length ? max(lines, 1) : Int(Double(length) * Double(max(lines, 1)) / Double(sampled))
        let perRow = types.reduce(0) { sum, type in
            switch type {
            case .integer, .float, .timestamp: return sum + 8
            case .date, .string: return sum + 4
            case .boolean: return sum + 1
            }
        }
        let (bytes, overflow) = rows.multipliedReportingOverflow(by: perRow)
        return (rows, overflow ? .max : bytes)
    }

    /// The next wider type that holds `text`.
    static func widen(_ type: DataType, _ text: String, decimal: UInt8, format: DateFormat?) -> (type: DataType, format: DateFormat?) {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { b -> (DataType, DateFormat?) in
            let q = UnsafePointer(b.baseAddress ?? UnsafeMutablePointer(bitPattern: 1)!)
            switch type {
            case .integer:
                return DateParsing.parseDouble(q, b.count, decimal: decimal) != nil ? (.float, nil) : (.string, nil)
            case .date:
                if let f = format, DateParsing.parseTimestamp(q, b.count, format: f) != nil { return (.timestamp, f) }
                return (.string, nil)
            default:
                return (.string, nil)
            }
        }
    }

    private static func parseAll(_ p: UnsafePointer<UInt8>, _ n: Int, from dataStart: Int, plan: ParsePlan,
                                 buffer: UnsafePointer<UInt8>, bom: Int, name: String, dialect: CSVDialect,
                                 file: MappedFile?, cancellation: CancellationFlag) throws -> [ColumnAccumulator] {
        let parts = n > 1 << 20 ? Parallel.workers : 1
        // size the columns once from the average row length seen in the first rows
        var probeBuilders = ColumnBuilder.make(plan, reserve: 0)
        let probe = PartParser.parse(p, start: dataStart, limit: min(n, dataStart + 256 << 10), end: n, plan: plan, into: &probeBuilders)
        for i in probeBuilders.indices { probeBuilders[i].deallocate() }
        let bytesPerRow = probe.rows > 0 ? max(1, (probe.end - dataStart) / probe.rows) : 64
        let expectedRows = (n - dataStart) / bytesPerRow
        var globals = plan.types.indices.map { c in
            ColumnAccumulator(type: plan.types[c], reserve: plan.keep[c] ? expectedRows + expectedRows / 8 + 1024 : 0)
        }
        let counted = plan.keep.firstIndex(of: true) ?? 0
        // one set of builders per part, reused wave after wave; one more for re-parses
        let partReserve = min(n, waveBytes) / parts / bytesPerRow + 64
        var pool = (0...parts).map { _ in ColumnBuilder.make(plan, reserve: partReserve) }
        defer { for k in pool.indices { for c in pool[k].indices { pool[k][c].deallocate() } } }
        var pos = dataStart
        var released = 0
        cancellation.begin(total: n - dataStart, bytes: true)
        while pos < n {
            try cancellation.check()
            let waveEnd = min(n, pos + waveBytes)
            var starts = [pos]
            if parts > 1 {
                for k in 1..<parts {
                    let nominal = pos + (waveEnd - pos) * k / parts
                    let s = FieldScanner.nextLineStart(p, from: max(nominal - 1, pos), n)
                    if s > starts.last!, s < waveEnd { starts.append(s) }
                }
            }
            let limits = Array(starts.dropFirst()) + [waveEnd]
            var results = parseParts(p, n, starts: starts, limits: limits, plan: plan, pool: &pool, file: file, bom: bom)
            if results.contains(where: \.hasNUL) {
                try checkNoNUL(buffer, from: bom + pos, to: bom + waveEnd, name: name)
            }
            // the last row may run past the wave: those bytes belong to no part's check
            if let last = results.last, last.end > waveEnd {
                try checkNoNUL(buffer, from: bom + waveEnd, to: bom + last.end, name: name)
            }
            var sources = Array(0..<results.count)
            // verify each guessed boundary; re-parse from the true one when a guess was wrong
            var k = 0
            while k < results.count {
                if let problem = results[k].problem {
                    throw located(problem, buffer, bom, name, dialect)
                }
                if k + 1 < results.count, results[k].end != starts[k + 1] {
                    let redo = PartParser.parse(p, start: results[k].end, limit: waveEnd, end: n, plan: plan, into: &pool[parts])
                    results.removeSubrange((k + 1)...)
                    sources.removeSubrange((k + 1)...)
                    results.append(redo)
                    sources.append(parts)
                }
                k += 1
            }
            let used = sources
            pool.withUnsafeBufferPointer { parsed in
                globals.withUnsafeMutableBufferPointer { g in
                    let target = UncheckedBox(g)
                    Parallel.forEach(plan.width, minimumWork: waveEnd - pos) { c in
                        for s in used { target.value[c].append(contentsOf: parsed[s][c]) }
                    }
                }
            }
            let rows = globals.isEmpty ? 0 : globals[counted].values.count
            if rows > Int(Int32.max) {
                throw EngineError(.resourceLimit, "\(name) has more than \(Int32.max) rows", hint: "split the file")
            }
            let next = max(results.last!.end, waveEnd)
            cancellation.advance(next - pos)
            pos = next
            if let file {
                released = file.release(upTo: bom + pos, from: released)
            }
        }
        return globals
    }

    /// Parses each part of a wave on its own core (part k from `starts[k]` to `limits[k]`, into
    /// `pool[k]`). A part holding a NUL byte is not parsed; its result says so.
    private static func parseParts(_ p: UnsafePointer<UInt8>, _ n: Int, starts: [Int], limits: [Int], plan: ParsePlan,
                                   pool: inout [[ColumnBuilder]], file: MappedFile?, bom: Int) -> [PartResult] {
        pool.withUnsafeMutableBufferPointer { buf in
            let target = UncheckedBox(buf)
            return Parallel.map(starts.count, minimumWork: Int.max - 1) { k -> PartResult in
                file?.populate(from: bom + starts[k], to: bom + limits[k])
                if memchr(p + starts[k], 0, limits[k] - starts[k]) != nil {
                    return PartResult(rows: 0, end: starts[k], problem: nil, hasNUL: true)
                }
                return PartParser.parse(p, start: starts[k], limit: limits[k], end: n, plan: plan, into: &target.value[k])
            }
        }
    }

    /// A parse problem as a user-facing error with file, line and column.
    static func located(_ problem: ProblemAt, _ buffer: UnsafePointer<UInt8>, _ bom: Int, _ name: String, _ dialect: CSVDialect,
                        badText: String = "") -> EngineError {
        let (line, column) = FieldScanner.lineAndColumn(buffer, problem.offset + bom)
        let width = dialect.names.count
        let at = FileLocation(file: name, line: line, column: column)
        switch problem.problem {
        case .unterminatedQuote:
            return .invalidInput("a quoted field opens here and never closes", hint: "a quote inside a value must be doubled (\"\"); look for a stray quote on this line", location: at)
        case .textAfterQuote:
            return .invalidInput("text follows a closing quote", hint: "write quotes inside a quoted value twice (\"\"), or quote the whole value", location: at)
        case .tooFewFields(let found):
            return .invalidInput("this row has \(found) field\(found == 1 ? "" : "s"), the header has \(width)",
                                 hint: "nk reads the delimiter as \(dialect.delimiterName); check this line's quoting, or load with delimiter '…'", location: at)
        case .tooManyFields:
            return .invalidInput("this row has more fields than the header's \(width)",
                                 hint: "nk reads the delimiter as \(dialect.delimiterName); a value containing it must be quoted", location: at)
        case .invalidUTF8:
            return .invalidInput("the text is not valid UTF-8 (byte \(column) of the line)",
                                 hint: "files from Excel or Windows are often Latin-1: load it with encoding 'latin1'", location: at)
        case .badValue(let c):
            let text = badText
            let type = dialect.types[c]
            let hint = type.isTemporal && dialect.dateFormats[c] == .iso
                ? "the dates are not written yyyy-mm-dd: give their format, e.g. with dateformat \"dd-mm-yyyy\" (or \"yyyymmdd\")"
                : "fix the value, or drop the type given for \(dialect.names[c])"
            return EngineError(.conversion, "\"\(text)\" in column \(dialect.names[c]) is not \(type == .integer ? "an" : "a") \(type)",
                               hint: hint, location: at)
        }
    }
}

import Foundation
