import Foundation
import NKAnalysis
import NKEngine
import NKLanguage
import NKRendering

/// Keeps what a session did, for `nk --report FILE` and `.report FILE`: the comments before
/// each statement, the statement, and what it printed (as HTML, with its chart), and an error
/// right after the statement that made it. Tables are kept cut as they are shown, so a long
/// session holds pages, not its tables.
final class ReportRecorder {
    private(set) var blocks: [HTMLReport.Block] = []
    /// Bytes the blocks hold; past `budget` the oldest are let go (a long session at the
    /// prompt records every statement, and its memory should not grow without end).
    private var held = 0
    static let budget = 4 << 20
    /// Blocks let go from the start to stay within the budget.
    private(set) var leftOut = 0
    /// The first line of the first script's opening comment, which titles the page.
    private(set) var title: String?

    /// The text being run, by line (statements run in pieces between dot commands, each piece
    /// keeping the text's line numbers), and the first line after the last statement seen.
    struct Reading {
        var lines: [Substring]
        var next = 1
        /// Per statement run so far: its lines, and where in `blocks` its output ends.
        var finished: [(lines: ClosedRange<Int>, end: Int)] = []
    }

    var reading = Reading(lines: [])
    /// The statement running now prints narration (`print`), not a result.
    private var narrating = false
    private var groupColumns: Int?
    private var current: ClosedRange<Int> = 1...1

    /// A new text starts running; the one it interrupts (a script's `.read`) is given back.
    func begin(_ text: String) -> Reading {
        defer { reading = Reading(lines: text.split(separator: "\n", omittingEmptySubsequences: false)) }
        return reading
    }

    func end(_ previous: Reading) {
        reading = previous
    }

    /// A statement is about to run: the comment lines before it, then its text.
    func statement(_ statement: Statement, in source: Source) {
        let first = source.location(of: statement.span.start).line, last = source.location(of: max(statement.span.start, statement.span.end - 1)).line
        var comments: [String] = []
        if reading.next < first {
            for number in reading.next..<first where number - 1 < reading.lines.count {
                let trimmed = reading.lines[number - 1].drop { $0 == " " || $0 == "\t" }
                guard trimmed.hasPrefix("--") else { continue }
                let text = trimmed.dropFirst(2)
                comments.append(String(text.hasPrefix(" ") ? text.dropFirst() : text))
            }
        }
        if title == nil, blocks.isEmpty, let first = comments.first(where: { !$0.isEmpty }) {
            title = first.trimmingCharacters(in: .whitespaces)
            comments.removeFirst(comments.firstIndex(of: first)! + 1)
        }
        if comments.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) { add(.comment(comments.joined(separator: "\n"))) }
        reading.next = max(reading.next, last + 1)
        current = first...max(first, last)
        groupColumns = statement.shownPipeline?.groupingWidth
        if case .print = statement.kind {
            narrating = true
        } else {
            narrating = false
            add(.code(source.text(of: statement.span)))
        }
    }

    /// The statement that began last has finished (or failed).
    func statementFinished() {
        reading.finished.append((current, blocks.count))
        if held > ReportRecorder.budget { letGoOfOldest() }
    }

    private func add(_ block: HTMLReport.Block) {
        blocks.append(block)
        held += ReportRecorder.size(block)
    }

    static func size(_ block: HTMLReport.Block) -> Int {
        switch block {
        case .narration(let s), .comment(let s), .code(let s), .fragment(let s), .error(let s): return s.utf8.count + 16
        }
    }

    /// Lets go of the oldest blocks until three quarters of the budget are held.
    private func letGoOfOldest() {
        var drop = 0, freed = 0
        while drop < blocks.count, held - freed > ReportRecorder.budget * 3 / 4 {
            freed += ReportRecorder.size(blocks[drop])
            drop += 1
        }
        blocks.removeFirst(drop)
        held -= freed
        leftOut += drop
        reading.finished = reading.finished.compactMap { $0.end > drop ? ($0.lines, $0.end - drop) : nil }
    }

    func output(_ output: StatementOutput, language: LabelLanguage, maxRows: Int) {
        if narrating, case .text(let text) = output {
            add(.narration(text))
            return
        }
        for html in HTMLReport.fragments(of: output, groupColumns: groupColumns, language: language, maxRows: maxRows) {
            add(.fragment(html))
        }
    }

    /// An error, placed after the output of the statement at its line (a syntax error, which
    /// stops a script before it runs, goes last).
    func error(_ text: String, line: Int?) {
        guard let line, let k = reading.finished.lastIndex(where: { $0.lines.contains(line) }) else {
            add(.error(text))
            return
        }
        blocks.insert(.error(text), at: reading.finished[k].end)
        held += ReportRecorder.size(.error(text))
        for j in k..<reading.finished.count { reading.finished[j].end += 1 }
    }

    /// The page of everything recorded so far.
    func report(language: LabelLanguage, fallbackTitle: String) -> HTMLReport {
        var page = HTMLReport(title: title ?? fallbackTitle, language: language)
        page.blocks = blocks
        if leftOut > 0 {
            page.blocks.insert(.narration("The start of this session is left out: the report keeps its last \(ExecutionContext.formatBytes(ReportRecorder.budget)) (\(leftOut) statements, results and comments before them are not shown)."), at: 0)
        }
        page.generator = "nk \(NKCommandLine.version)"
        return page
    }

    /// Writes the page to `path` whole or not at all.
    func write(to path: String, language: LabelLanguage, fallbackTitle: String) throws {
        let html = report(language: language, fallbackTitle: fallbackTitle).html()
        try AtomicFile.write(to: path) { sink in try sink(Array(html.utf8)) }
    }
}
