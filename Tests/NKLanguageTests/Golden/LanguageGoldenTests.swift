import Foundation
import NKLanguage
import NKRendering
import NKTestSupport
import Testing

/// The `.nk` golden corpus (`Tests/Corpus/nk`) run on the language floor alone: each script's
/// statements go straight to a `Session`, results through the renderer, errors through the
/// error renderer, with no shell, dot commands or command line between. The whole output must
/// equal the same `NAME.out` the shell's own golden test compares with. Scripts with dot
/// commands need the shell, and scripts that save into `/tmp/nk-golden-test` share that folder
/// with the shell's test running at the same time: both are left to it. Of the command-line
/// arguments, those the language has (`--keep-going`, `--format F`) are honoured.
@Suite(.serialized) struct LanguageGoldenTests {
    static let folder = TestPaths.corpus("nk")
    static let cases: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
        .filter { $0.hasSuffix(".nk") }.map { String($0.dropLast(3)) }.sorted()
        .filter { name in
            let text = (try? String(contentsOf: folder.appendingPathComponent(name + ".nk"), encoding: .utf8)) ?? ""
            let lines = text.split(separator: "\n")
            // dot commands need the shell; files saved to the shared scratch folder belong to the
            // shell's golden test, which runs at the same time
            return !lines.contains { $0.drop { $0 == " " }.hasPrefix(".") } && !text.contains("/tmp/nk-golden-test")
        }

    /// Runs a script as `nk [--keep-going] [--format F] NAME.nk` would, without the shell.
    static func run(_ name: String) throws -> String {
        let (path, text, arguments) = try GoldenScripts.prepare(name, scratch: false)
        var stdout = "", stderr = ""
        let printer = ResultPrinter(out: { stdout += $0 }, err: { stderr += $0 })
        if let i = arguments.firstIndex(of: "--format"), i + 1 < arguments.count { printer.format = try #require(OutputFormat(name: arguments[i + 1])) }
        let session = Session()
        session.baseDirectory = "Tests/Corpus/nk"
        let diagnostics = session.run(Source(name: path, text: text), keepGoing: arguments.contains("--keep-going"), emit: printer.print)
        for d in diagnostics { stderr += ErrorRenderer.render(d) }
        return stdout + "--- stderr\n" + stderr + "--- status \(diagnostics.isEmpty ? 0 : 1)\n"
    }

    @Test func coversMostOfTheCorpus() { #expect(Self.cases.count >= 10) }

    @Test(arguments: cases)
    func golden(_ name: String) throws {
        let expected = try String(contentsOf: Self.folder.appendingPathComponent(name + ".out"), encoding: .utf8)
        #expect(try Self.run(name) == expected)
    }
}
