import Foundation
import NKShell
import NKTestSupport
import Testing

/// Each workshop script in `Scripts/workshop/` runs start to finish; its whole output (standard
/// output, standard error, exit status) must equal `Tests/Corpus/workshop/NAME.out`. The
/// scripts `set today`, so the output does not drift with the calendar. `NK_UPDATE_GOLDEN=1`
/// rewrites the expectations, to be read before committing.
@Suite(.serialized) struct WorkshopScriptTests {
    static let scripts = TestPaths.root.appendingPathComponent("Scripts/workshop")
    static let expected = TestPaths.corpus("workshop")
    static let cases: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: scripts.path)) ?? [])
        .filter { $0.hasSuffix(".nk") }.map { String($0.dropLast(3)) }.sorted()

    static func run(_ name: String) -> String {
        _ = FileManager.default.changeCurrentDirectoryPath(TestPaths.root.path)
        var stdout = "", stderr = ""
        let status = NKCommandLine.run(["Scripts/workshop/\(name).nk"], output: { stdout += $0 }, errors: { stderr += $0 },
                                       standardInput: { nil }, environment: [:], terminal: false)
        return stdout + "--- stderr\n" + stderr + "--- status \(status)\n"
    }

    @Test func oneScriptPerSeedTheme() {
        #expect(Self.cases == ["01-nicht-kunden", "02-was-nicht-kaeufer-sagen", "03-negative-personas", "04-nullkunden", "05-neu-und-bestand"])
    }

    @Test(arguments: cases)
    func runsAsRecorded(_ name: String) throws {
        let actual = Self.run(name)
        let url = Self.expected.appendingPathComponent(name + ".out")
        if ProcessInfo.processInfo.environment["NK_UPDATE_GOLDEN"] != nil {
            try actual.write(to: url, atomically: true, encoding: .utf8)
        }
        #expect(actual.hasSuffix("--- stderr\n--- status 0\n"), "the script failed")
        #expect(actual == (try String(contentsOf: url, encoding: .utf8)))
    }
}
