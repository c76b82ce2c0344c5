import Foundation
import NKEngine
import NKTestSupport
import Testing

/// Every `Tests/Corpus/csv/NAME.csv` is loaded with default options and the whole result (the
/// table, the dialect, the notes, or the located error) is compared with `NAME.expected`.
/// A new case is a new pair of files. `NK_UPDATE_GOLDEN=1` rewrites the expectations.
@Suite struct CSVCorpusTests {
    static let folder = TestPaths.corpus("csv")
    static let cases: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
        .filter { $0.hasSuffix(".csv") }.sorted()

    static func describe(_ file: String) -> String {
        let path = folder.appendingPathComponent(file).path
        do {
            let load = try CSVReader.load(path: path)
            let d = load.dialect
            var text = "dialect: delimiter \(d.delimiterName), header \(d.header), decimal '\(String(UnicodeScalar(d.decimal)))'\(d.hasBOM ? ", BOM" : "")\n"
            for note in load.notes { text += "note: \(note)\n" }
            return text + goldenText(load.table)
        } catch let error as EngineError {
            return "error (\(error.category.rawValue)): " + error.description.replacingOccurrences(of: folder.path + "/", with: "") + "\n"
        } catch {
            return "unexpected error: \(error)\n"
        }
    }

    @Test func corpusIsNotEmpty() {
        #expect(Self.cases.count >= 20)
    }

    @Test(arguments: cases)
    func matchesExpectation(_ file: String) throws {
        let actual = Self.describe(file)
        let expectedURL = Self.folder.appendingPathComponent(file.replacingOccurrences(of: ".csv", with: ".expected"))
        if ProcessInfo.processInfo.environment["NK_UPDATE_GOLDEN"] != nil {
            try actual.write(to: expectedURL, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: expectedURL, encoding: .utf8)
        #expect(actual == expected)
    }
}
