import Foundation
@testable import NKEngine
import NKTestSupport
import Testing

/// A file another program changes while nk reads it: cut short (which would raise SIGBUS on a
/// mapped page), grown, or rewritten in place. Each is an error naming the file; nothing is
/// loaded, and nk goes on. The file is changed between opening and parsing, which is where a
/// real writer would strike.
@Suite struct FileChangeTests {
    /// A CSV file of `rows` rows, about 30 bytes each.
    func csv(rows: Int) throws -> URL {
        let url = try TestPaths.temporaryDirectory().appendingPathComponent("orders.csv")
        var text = "id,customer,amount\n"
        for i in 0..<rows { text += "\(i),customer-\(i % 97),\(i % 1000).25\n" }
        try text.write(to: url, atomically: false, encoding: .utf8)
        return url
    }

    func load(_ url: URL, encoding: CSVOptions.TextEncoding = .utf8, change: (URL) throws -> Void) throws -> EngineError? {
        let file = try MappedFile(path: url.path)
        defer { file.close() }
        try change(url)
        var options = CSVOptions()
        options.encoding = encoding
        return #expect(throws: EngineError.self) {
            try CSVReader.load(file: file, name: url.path, options: options, cancellation: CancellationFlag())
        }
    }

    @Test(arguments: [CSVOptions.TextEncoding.utf8, .latin1])
    func aFileCutShortWhileReadIsAnErrorNotACrash(encoding: CSVOptions.TextEncoding) throws {
        let url = try csv(rows: 100_000)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int)
        let error = try load(url, encoding: encoding) { url in
            // keep one page: every later page of the mapping is gone
            #expect(truncate(url.path, 4096) == 0)
        }
        #expect(error?.description.contains("\(url.path) changed while nk read it: it was cut short from \(Value.grouped(size)) to 4,096 bytes") == true)
        #expect(error?.description.contains("load it again once the program writing it has finished") == true)
        // the guard is gone with the mapping, and a whole file loads again
        try "id\n1\n".write(to: url, atomically: false, encoding: .utf8)
        #expect(try CSVReader.load(path: url.path).table.rowCount == 1)
    }

    @Test func aFileThatGrowsWhileReadIsAnError() throws {
        let url = try csv(rows: 1000)
        let error = try load(url) { url in
            let handle = try FileHandle(forWritingTo: url)
            handle.seekToEndOfFile()
            handle.write(Data("1000,customer-1,5.25\n".utf8))
            try handle.close()
        }
        #expect(error?.description.contains("changed while nk read it: it grew from") == true)
    }

    @Test func aFileRewrittenInPlaceWhileReadIsAnError() throws {
        let url = try csv(rows: 1000)
        let error = try load(url) { url in
            // same size, other bytes: only the modification time tells
            let handle = try FileHandle(forWritingTo: url)
            handle.write(Data("id,customer,amount\n9".utf8))
            try handle.close()
            var times = [timespec(tv_sec: 2_000_000_000, tv_nsec: 0), timespec(tv_sec: 2_000_000_000, tv_nsec: 0)]
            #expect(utimensat(AT_FDCWD, url.path, &times, 0) == 0)
        }
        #expect(error?.description.contains("changed while nk read it: it was written to") == true)
    }

    @Test func aFileReplacedByRenameWhileReadLoadsTheVersionOpened() throws {
        // programs that save atomically write a new file and rename it over the old one; the
        // open file is then the old version, whole
        let url = try csv(rows: 1000)
        let file = try MappedFile(path: url.path)
        defer { file.close() }
        let other = url.deletingLastPathComponent().appendingPathComponent("new.csv")
        try "id\n1\n".write(to: other, atomically: false, encoding: .utf8)
        #expect(rename(other.path, url.path) == 0)
        let load = try CSVReader.load(file: file, name: url.path, options: CSVOptions(), cancellation: CancellationFlag())
        #expect(load.table.rowCount == 1000)
    }
}
