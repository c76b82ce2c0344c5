import Foundation
@testable import NKEngine
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

extension CSVLimitsTests {
    /// The load estimate (made before parsing, to refuse a file that cannot fit) against the
    /// rows the files really have: within 15 % for the demo data, whose rows vary in length.
    @Test(arguments: ["customers", "orders", "contacts", "interviews", "markt"])
    func theLoadEstimateIsCloseToTheRowsThere(_ name: String) throws {
        let path = TestPaths.root.appendingPathComponent("Datasets/demo/\(name).csv").path
        let load = try CSVReader.load(path: path)
        let text = try Data(contentsOf: URL(fileURLWithPath: path))
        let estimate = text.withUnsafeBytes { raw -> (rows: Int, bytes: Int) in
            let p = raw.bindMemory(to: UInt8.self).baseAddress!
            let headerEnd = raw.firstIndex(of: 10)! + 1
            return CSVReader.estimatedSize(p, raw.count, from: headerEnd, types: load.table.columns.map(\.type))
        }
        let rows = load.table.rowCount
        #expect(abs(Double(estimate.rows - rows)) <= 0.15 * Double(rows), "estimated \(estimate.rows) rows, \(rows) there")
        #expect(estimate.bytes > 0)
    }

    @Test func aFileThatCannotFitTheMemoryLimitIsRefusedBeforeItIsParsed() throws {
        let url = try TestPaths.temporaryDirectory().appendingPathComponent("many.csv")
        var text = "id,amount,day\n"
        for i in 0..<200_000 { text += "\(i),\(i % 100).5,2024-01-\(10 + i % 20)\n" }
        try text.write(to: url, atomically: false, encoding: .utf8)
        // 20 bytes a row (8 + 8 + 4): 4 MB; a limit of 1 MB refuses it, of 8 MB does not
        let refused = #expect(throws: EngineError.self) { try CSVReader.load(path: url.path, memoryLimit: 1 << 20) }
        // (the rows are estimated from samples: 200,000 give about 201,000)
        let message = refused?.description ?? ""
        #expect(message.hasPrefix("load: \(url.path) would take about 3.8 MB in memory (about 20"), "\(message)")
        #expect(message.contains(" rows of 3 columns), more than the memory limit of 1 MB\n"), "\(message)")
        #expect(try CSVReader.load(path: url.path, memoryLimit: 8 << 20).table.rowCount == 200_000)
    }
}
