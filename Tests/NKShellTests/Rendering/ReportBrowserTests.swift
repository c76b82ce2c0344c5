import Foundation
import NKShell
import NKTestSupport
import Testing

/// Each workshop's page opened in headless Chromium with the network off: it loads with no
/// console message and no request, the text Chromium reads from it holds every table's first
/// row, a screenshot of each chart is not blank, and it prints on A4 pages. Under CI a missing Chromium fails these
/// tests; elsewhere they are skipped, saying so.
@Suite(.serialized, .enabled(if: Chromium.runs, Comment(rawValue: Chromium.skip))) struct ReportBrowserTests {
    /// The cells of each table's first row, as the page writes them.
    static func firstRows(_ page: String) -> [[String]] {
        page.components(separatedBy: "<tbody>\n").dropFirst().map { body in
            let row = body.components(separatedBy: "</tr>")[0]
            return row.components(separatedBy: "<td").dropFirst().map { cell in
                let text = cell.drop { $0 != ">" }.dropFirst()
                return unescape(String(text.prefix { $0 != "<" }))
            }
        }
    }

    static func unescape(_ s: String) -> String {
        s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The text of a DOM: tags taken out.
    static func text(_ dom: String) -> String {
        unescape(dom.replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression))
    }

    @Test func theChecksCatchAFetchAConsoleMessageAndABlankChart() throws {
        let folder = try TestPaths.temporaryDirectory()
        let page = folder.appendingPathComponent("bad.html")
        try "<!DOCTYPE html><html><body><p>x</p><img src=\"http://example.invalid/a.png\"><script>console.error(\"boom\")</script></body></html>"
            .write(to: page, atomically: true, encoding: .utf8)
        let visit = try Chromium.visit(page)
        #expect(visit.requests.contains("http://example.invalid/a.png"))
        #expect(visit.consoleLines.count == 1)
        // and a blank chart
        let blank = folder.appendingPathComponent("blank.svg")
        try "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"400\" height=\"200\"><rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/></svg>"
            .write(to: blank, atomically: true, encoding: .utf8)
        let ink = try Chromium.screenshot(blank, width: 400, height: 200).ink
        #expect(ink.share < 0.02 && ink.colours < 3)
    }

    @Test(arguments: WorkshopScriptTests.cases)
    func aWorkshopPageLoadsOfflineWithItsTablesAndCharts(_ name: String) throws {
        let (status, _, page) = try ReportTests.report(["Scripts/workshop/\(name).nk"])
        #expect(status == 0)
        let folder = try TestPaths.temporaryDirectory()
        let file = folder.appendingPathComponent("\(name).html")
        try page.write(to: file, atomically: true, encoding: .utf8)
        let visit = try Chromium.visit(file)
        #expect(visit.consoleLines.isEmpty, "console: \(visit.consoleLines)")
        #expect(visit.requests.isEmpty, "requests: \(visit.requests)")
        let read = Self.text(visit.dom)
        let rows = Self.firstRows(page)
        #expect(!rows.isEmpty)
        for row in rows { #expect(read.contains(row.joined()), "Chromium does not read the row \(row)") }
        // printed: A4 pages (595 × 842 points), more than one
        let pages = try Chromium.printedPages(file)
        #expect(pages.count >= 2 && pages.allSatisfy { abs($0.width - 595) < 2 && abs($0.height - 842) < 2 }, "pages: \(pages)")
        // each chart alone, at its own size: not blank
        let charts = page.components(separatedBy: "<figure class=\"chart\">\n").dropFirst().map { $0.components(separatedBy: "</figure>")[0] }
        #expect(!charts.isEmpty)
        for (i, svg) in charts.enumerated() {
            let chart = folder.appendingPathComponent("chart-\(i).svg")
            try svg.write(to: chart, atomically: true, encoding: .utf8)
            let content = try SVGContent(Data(svg.utf8))
            let size = content.elements.first { $0.name == "svg" }!.attributes
            let image = try Chromium.screenshot(chart, width: Int(Double(size["width"]!)!.rounded(.up)), height: Int(Double(size["height"]!)!.rounded(.up)))
            let ink = image.ink
            #expect(ink.share > 0.02 && ink.colours >= 3, "chart \(i) (\(content.title)) looks blank: \(ink)")
        }
    }
}
