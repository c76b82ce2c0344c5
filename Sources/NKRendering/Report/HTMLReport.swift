import Foundation
import NKAnalysis
import NKEngine
import NKLanguage

/// A script or a session as one self-contained HTML page: its narration (`print` text and
/// comments) as prose, each statement as code, and what it printed — tables cut as the
/// terminal cuts them, sentences, notes — with the chart of each result drawn inline as SVG.
/// Nothing is fetched: the styles are in the page, and no script is needed to read it.
public struct HTMLReport {
    public enum Block: Sendable {
        /// Text of `print`.
        case narration(String)
        /// A comment of the script, its `--` taken off.
        case comment(String)
        /// A statement as written.
        case code(String)
        /// What a statement printed, as HTML (from ``fragments(of:groupColumns:language:maxRows:)``).
        case fragment(String)
        /// An error, as the terminal shows it.
        case error(String)
    }

    public var title: String
    public var language: LabelLanguage
    public var blocks: [Block] = []
    /// What wrote the page, for its footer: `nk 0.5.0`.
    public var generator = "nk"

    public init(title: String, language: LabelLanguage) {
        self.title = title
        self.language = language
    }

    /// The page.
    public func html() -> String {
        let say = ChartLanguage(language: language)
        var out = """
            <!DOCTYPE html>
            <html lang="\(language.rawValue)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="nk">
            <title>\(HTMLReport.escape(title))</title>
            <style>
            \(HTMLReport.style)
            </style>
            </head>
            <body>
            <header><h1>\(HTMLReport.escape(title))</h1></header>
            <main>

            """
        var open = false
        func section(chapter: Bool = false) {
            if open { out += "</section>\n" }
            out += chapter ? "<section class=\"chapter\">\n" : "<section>\n"
            open = true
        }
        var previousWasOutput = true
        for block in blocks {
            switch block {
            case .narration(let text):
                let html = HTMLReport.prose(text)
                if previousWasOutput || html.hasPrefix("<h2") { section(chapter: html.hasPrefix("<h2")) }
                out += html
                previousWasOutput = false
            case .comment(let text):
                if previousWasOutput { section() }
                out += HTMLReport.prose(text, comment: true)
                previousWasOutput = false
            case .code(let text):
                if !open { section() }
                out += "<pre class=\"code\"><code>\(HTMLReport.escape(text))</code></pre>\n"
                previousWasOutput = true
            case .fragment(let html):
                if !open { section() }
                out += html
                previousWasOutput = true
            case .error(let text):
                if !open { section() }
                out += "<pre class=\"error\">\(HTMLReport.escape(text))</pre>\n"
                previousWasOutput = true
            }
        }
        if open { out += "</section>\n" }
        out += "</main>\n<footer>\(say.say("Written by", "Geschrieben von")) \(HTMLReport.escape(generator))</footer>\n</body>\n</html>\n"
        return out
    }

    /// What one statement output shows in the page: its tables, sentences and notes in order,
    /// and for a result its chart.
    public static func fragments(of output: StatementOutput, groupColumns: Int?, language: LabelLanguage, maxRows: Int) -> [String] {
        switch output {
        case .result(let result):
            var parts: [String] = []
            let shown = (result as? any ResultPresentation)?.outputs(Presentation(machineReadable: false, width: 120)) ?? [result.table.output]
            for o in shown { parts += fragments(of: o, groupColumns: nil, language: language, maxRows: maxRows) }
            if let svg = Chart.svg(Chart.Request(result, language: language, groupColumns: groupColumns)) {
                parts.append("<figure class=\"chart\">\n" + inline(svg) + "</figure>\n")
            }
            return parts
        case .table(let table, let total):
            return [tableHTML(table, totalRows: total, maxRows: maxRows, language: language)]
        case .message(let text):
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? [] : ["<p class=\"note\">\(escape(trimmed))</p>\n"]
        case .text(let text):
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? [] : ["<p class=\"finding\">\(escape(trimmed))</p>\n"]
        }
    }

    /// An SVG document as an element of the page: without its XML declaration.
    static func inline(_ svg: String) -> String {
        guard svg.hasPrefix("<?xml"), let end = svg.firstIndex(of: "\n") else { return svg }
        return String(svg[svg.index(after: end)...])
    }

    /// A table as the terminal cuts it: the first and last rows of a long one, and the count.
    static func tableHTML(_ table: Table, totalRows: Int, maxRows: Int, language: LabelLanguage) -> String {
        let say = ChartLanguage(language: language)
        let n = table.rowCount
        let head = n > maxRows ? (maxRows + 1) / 2 : n, tail = n > maxRows ? maxRows / 2 : 0
        let rows = Array(0..<head) + Array((n - tail)..<n)
        let formatters = table.columns.map { CellFormatter(column: $0, rows: rows) }
        var out = "<div class=\"table\"><table>\n<thead><tr>"
        for (i, name) in table.names.enumerated() {
            out += "<th\(table.columns[i].type.isNumeric ? " class=\"n\"" : "")>\(escape(name))<br><span class=\"type\">\(table.columns[i].type.rawValue)</span></th>"
        }
        out += "</tr></thead>\n<tbody>\n"
        for (k, r) in rows.enumerated() {
            if tail > 0, k == head {
                out += "<tr class=\"gap\"><td colspan=\"\(max(1, table.columnCount))\">…</td></tr>\n"
            }
            out += "<tr>"
            for (i, f) in formatters.enumerated() {
                let cell = f.text(r)
                let cls = table.columns[i][r].isNull ? " class=\"null\"" : table.columns[i].type.isNumeric ? " class=\"n\"" : ""
                out += "<td\(cls)>\(escape(cell))</td>"
            }
            out += "</tr>\n"
        }
        let count = say.number(Double(totalRows))
        let caption = totalRows > rows.count
            ? say.say("\(count) rows (\(rows.count) shown)", "\(count) Zeilen (\(rows.count) gezeigt)")
            : say.say("\(count) row\(totalRows == 1 ? "" : "s")", "\(count) Zeile\(totalRows == 1 ? "" : "n")")
        return out + "</tbody>\n</table>\n<p class=\"count\">\(caption)</p></div>\n"
    }

    /// Narration as paragraphs: `═══ X ═══` a heading, indented lines (a translation) apart,
    /// lines of a paragraph joined.
    static func prose(_ text: String, comment: Bool = false) -> String {
        var out = ""
        var paragraph: [String] = []
        var indented = false
        func flush() {
            guard !paragraph.isEmpty else { return }
            if comment && indented {
                // an indented comment keeps its lines (a usage example, a small table)
                out += "<pre class=\"comment\">\(escape(paragraph.joined(separator: "\n")))</pre>\n"
            } else {
                let cls = comment ? "comment" : indented ? "aside" : "prose"
                out += "<p class=\"\(cls)\">\(escape(paragraph.joined(separator: " ")))</p>\n"
            }
            paragraph = []
        }
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { flush(); continue }
            if trimmed.hasPrefix("═══") {
                flush()
                let heading = trimmed.trimmingCharacters(in: CharacterSet(charactersIn: "═ "))
                out += "<h2>\(escape(heading))</h2>\n"
                continue
            }
            let isIndented = line.hasPrefix(comment ? "  " : "    ") || line.hasPrefix("\t")
            if isIndented != indented { flush(); indented = isIndented }
            paragraph.append(trimmed)
        }
        flush()
        return out
    }

    static func escape(_ text: String) -> String { SVG.escape(text) }

    static let style = """
        :root { --ink: #1a1a1a; --muted: #555; --rule: #d0d0d0; --code: #f4f6f8; --accent: #0072B2; }
        html { font-family: DejaVu Sans, Verdana, Arial, sans-serif; color: var(--ink); background: #fff; }
        body { margin: 0 auto; max-width: 1040px; padding: 24px 32px 48px; font-size: 18px; line-height: 1.5; }
        h1 { font-size: 30px; line-height: 1.25; border-bottom: 3px solid var(--accent); padding-bottom: 8px; }
        h2 { font-size: 24px; margin-top: 40px; color: var(--accent); }
        section { margin: 28px 0; }
        p.aside { color: var(--muted); font-style: italic; margin-left: 24px; }
        p.comment { color: var(--muted); }
        p.note { color: var(--muted); font-size: 15px; margin: 6px 0; }
        p.finding { font-weight: bold; }
        pre { white-space: pre-wrap; word-break: break-word; font-family: DejaVu Sans Mono, Menlo, Consolas, monospace; font-size: 15px; }
        pre.code { background: var(--code); border-left: 4px solid var(--accent); padding: 10px 14px; }
        pre.comment { color: var(--muted); margin-left: 24px; }
        pre.error { background: #fdf0ec; border-left: 4px solid #D55E00; padding: 10px 14px; }
        div.table { overflow-x: auto; margin: 12px 0; }
        table { border-collapse: collapse; font-size: 15px; }
        th, td { border-bottom: 1px solid var(--rule); padding: 4px 10px; text-align: left; vertical-align: top; }
        th { border-bottom: 2px solid var(--ink); }
        th.n, td.n { text-align: right; font-variant-numeric: tabular-nums; }
        td.null { color: var(--muted); font-style: italic; }
        tr.gap td { text-align: center; color: var(--muted); }
        span.type { font-weight: normal; color: var(--muted); font-size: 13px; }
        p.count { color: var(--muted); font-size: 14px; margin: 4px 0; }
        figure.chart { margin: 16px 0; }
        figure.chart svg { max-width: 100%; height: auto; }
        footer { margin-top: 48px; color: var(--muted); font-size: 14px; border-top: 1px solid var(--rule); padding-top: 8px; }
        @media print {
          @page { size: A4; margin: 16mm 14mm; }
          body { max-width: none; padding: 0; font-size: 11pt; }
          section { break-inside: avoid; }
          section.chapter { break-before: page; }
          figure.chart, div.table, pre { break-inside: avoid; }
          table { font-size: 9pt; }
        }
        """
}
