import Foundation
import NKEngine
import NKTestSupport
import Testing

/// Inputs too big to commit, made on the fly: a 10 MB field, 10,000 columns; and paths that
/// are not files.
@Suite struct CSVLimitsTests {
    @Test func aTenMegabyteFieldIsKeptWhole() throws {
        let big = String(repeating: "x", count: 10_000_000)
        let load = try CSVReader.load(text: "id,text\n1,\"\(big)\"\n2,short\n")
        #expect(load.table.rowCount == 2)
        #expect(load.table.column("text")?[0].description.utf8.count == 10_000_000)
        #expect(load.table.column("text")?[1].description == "short")
    }

    @Test func tenThousandColumns() throws {
        let header = (0..<10_000).map { "c\($0)" }.joined(separator: ",")
        let row = (0..<10_000).map { String($0) }.joined(separator: ",")
        let load = try CSVReader.load(text: header + "\n" + row + "\n" + row + "\n")
        #expect(load.table.columnCount == 10_000)
        #expect(load.table.rowCount == 2)
        #expect(load.table.column("c9999")?.type == .integer)
        #expect(load.table.column("c9999")?[1].description == "9999")
    }

    @Test func aFolderOrAMissingFileIsAClearError() throws {
        let folder = try TestPaths.temporaryDirectory()
        let isFolder = #expect(throws: EngineError.self) { try CSVReader.load(path: folder.path) }
        #expect(isFolder?.description.contains("is a directory, not a file") == true)
        let missing = #expect(throws: EngineError.self) { try CSVReader.load(path: folder.appendingPathComponent("missing.csv").path) }
        #expect(missing?.description.contains("no such file") == true)
    }

    @Test func aFileAppendedToAfterLoadingKeepsTheRowsReadThen() throws {
        let url = try TestPaths.temporaryDirectory().appendingPathComponent("growing.csv")
        try "id\n1\n2\n".write(to: url, atomically: false, encoding: .utf8)
        let first = try CSVReader.load(path: url.path)
        let handle = try FileHandle(forWritingTo: url)
        handle.seekToEndOfFile()
        handle.write(Data("3\n".utf8))
        try handle.close()
        #expect(first.table.rowCount == 2)
        #expect(try CSVReader.load(path: url.path).table.rowCount == 3)
    }
}
