import Foundation
import NKShell
import NKTestSupport
import Testing

/// `nk --report FILE` and `.report FILE`: one self-contained HTML page of what ran. A small
/// script's page is compared whole with `Tests/Corpus/report/small.html`; every workshop's page
/// has a table for every table the terminal shows, and nothing a browser would fetch.
@Suite(.serialized) struct ReportTests {
    static let corpus = TestPaths.corpus("report")

    /// Runs nk with the arguments; its status, what it printed, and the page it wrote.
    static func report(_ arguments: [String]) throws -> (status: Int32, printed: String, page: String) {
        FileManager.default.changeCurrentDirectoryPath(TestPaths.root.path)
        let folder = try TestPaths.temporaryDirectory()
        let page = folder.appendingPathComponent("report.html")
        var printed = ""
        let status = NKCommandLine.run(["--report", page.path] + arguments, output: { printed += $0 }, errors: { printed += $0 },
                                       standardInput: { nil }, environment: [:], terminal: false)
        return (status, printed, (try? String(contentsOf: page, encoding: .utf8)) ?? "")
    }

    /// What in a page would make a browser fetch something: none may be there.
    static func fetches(_ page: String) -> [String] {
        let svgNamespace = "xmlns=\"http://www.w3.org/2000/svg\""
        let cleaned = page.replacingOccurrences(of: svgNamespace, with: "")
        return ["http:", "https:", "src=", "href=", "url(", "@import", "<script", "<link", "<img", "<iframe", "srcset"].filter { cleaned.contains($0) }
    }

    @Test func aSmallScriptsPageIsRecorded() throws {
        let (status, printed, page) = try Self.report(["--keep-going", "Tests/Corpus/report/small.nk"])
        #expect(status == 1, "the script has a failing statement")
        #expect(printed.contains("wrote the report to "))
        let expected = Self.corpus.appendingPathComponent("small.html")
        if ProcessInfo.processInfo.environment["NK_UPDATE_GOLDEN"] != nil { try page.write(to: expected, atomically: true, encoding: .utf8) }
        #expect(page == (try String(contentsOf: expected, encoding: .utf8)))
        #expect(page.contains("<title>A small report · Ein kleiner Bericht</title>"))
        #expect(page.contains("&lt;lost &amp; gone&gt;"), "text is escaped")
        #expect(page.contains("<pre class=\"error\">"))
        #expect(page.contains("1,800 rows (4 shown)"))
        #expect(Self.fetches(page).isEmpty)
    }

    static let workshops = WorkshopScriptTests.cases

    @Test(arguments: workshops)
    func everyWorkshopBecomesAPage(_ name: String) throws {
        let (status, printed, page) = try Self.report(["Scripts/workshop/\(name).nk"])
        #expect(status == 0)
        #expect(Self.fetches(page).isEmpty, "the page would fetch something")
        // a table in the page for every table the terminal printed, each with its first row
        let terminalTables = printed.split(separator: "\n").filter { $0.hasPrefix("┌") }.count
        #expect(page.components(separatedBy: "<table>").count - 1 == terminalTables)
        #expect(page.components(separatedBy: "<figure class=\"chart\">").count - 1 >= 2, "a workshop draws charts")
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.hasSuffix("</html>\n"))
        // every statement is there as code, and no print statement is
        #expect(!page.contains("<code>print "))
    }

    @Test func dotReportWritesTheSessionSoFar() throws {
        FileManager.default.changeCurrentDirectoryPath(TestPaths.root.path)
        let folder = try TestPaths.temporaryDirectory()
        var said = ""
        let shell = ShellSession(out: { said += $0 }, err: { said += $0 })
        // without a recorder (a script run without --report) there is nothing to write
        #expect(!shell.run(".report \(folder.path)/x.html", name: "s.nk"))
        #expect(said.contains(".report") && said.contains("nk --report FILE script.nk"))
        let status = NKCommandLine.run(["--report", folder.appendingPathComponent("first.html").path, "-c", "load \"Datasets/demo\"",
                                        "-c", "customers | segment by size", "-c", ".report \(folder.path)/now.html"],
                                       output: { said += $0 }, errors: { said += $0 }, standardInput: { nil }, environment: [:], terminal: false)
        #expect(status == 0, "\(said)")
        let now = try String(contentsOf: folder.appendingPathComponent("now.html"), encoding: .utf8)
        #expect(now.contains("<code>customers | segment by size</code>"))
        #expect(now.contains("<figure class=\"chart\">"))
        #expect(!now.contains(".report"))
    }

    @Test func aLongSessionsReportKeepsItsLastPartWithinItsBudget() throws {
        FileManager.default.changeCurrentDirectoryPath(TestPaths.root.path)
        let folder = try TestPaths.temporaryDirectory()
        // 2,000 statements that each print 3 KB: 6 MB, past the recorder's 4 MB
        let line = String(repeating: "x", count: 3_000)
        var script = ""
        for i in 0..<2_000 { script += "print \"\(i): \(line)\"\n" }
        script += ".report \(folder.path)/long.html\n"
        var said = ""
        let status = NKCommandLine.run(["--report", folder.appendingPathComponent("all.html").path, "-c", script],
                                       output: { said += $0 }, errors: { said += $0 }, standardInput: { nil }, environment: [:], terminal: false)
        #expect(status == 0, "\(said.prefix(300))")
        let page = try String(contentsOf: folder.appendingPathComponent("long.html"), encoding: .utf8)
        #expect(page.utf8.count < 4 << 20)
        #expect(page.contains(">1999: xxx"))
        #expect(!page.contains(">0: xxx"))
        #expect(page.contains("The start of this session is left out: the report keeps its last 4 MB"))
    }

    @Test func dotReportKeepsAFileItDidNotWrite() throws {
        FileManager.default.changeCurrentDirectoryPath(TestPaths.root.path)
        let folder = try TestPaths.temporaryDirectory()
        let kept = folder.appendingPathComponent("kept.html")
        try "mine\n".write(to: kept, atomically: true, encoding: .utf8)
        var said = ""
        let status = NKCommandLine.run(["--report", folder.appendingPathComponent("r.html").path, "--keep-going", "-c", ".report \(kept.path)",
                                        "-c", ".report \(kept.path) overwrite", "-c", ".report \(kept.path)"],
                                       output: { said += $0 }, errors: { said += $0 }, standardInput: { nil }, environment: [:], terminal: false)
        #expect(status == 1)
        #expect(said.components(separatedBy: "exists, and nk did not write it in this session").count == 2, "refused once, then replaced twice")
        #expect(try String(contentsOf: kept, encoding: .utf8).hasPrefix("<!DOCTYPE html>"))
    }

    @Test func aReportThatCannotBeWrittenSaysSo() throws {
        var said = ""
        let status = NKCommandLine.run(["--report", "/nonexistent-folder/r.html", "-c", "print \"x\""],
                                       output: { said += $0 }, errors: { said += $0 }, standardInput: { nil }, environment: [:], terminal: false)
        #expect(status == 1)
        #expect(said.contains("cannot write the report to /nonexistent-folder/r.html"))
    }
}
