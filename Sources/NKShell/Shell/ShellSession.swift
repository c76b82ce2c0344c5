import Foundation
import NKEngine
import NKLanguage
import NKRendering

/// One nk shell: the session's tables plus the shell's settings (output mode, timer, bail,
/// redirection). Runs text from the prompt, scripts, `-c`, standard input and the init file
/// alike: statements go to the language, lines starting with `.` are dot commands.
public final class ShellSession {
    public let session: Session
    public let printer: ResultPrinter
    /// Stop a script at its first failing statement.
    public var bail = true
    /// Print real/user/sys time after each statement.
    public var timer = false
    /// Where results go when redirected with `.output` / `.once`.
    var redirect: FileHandle?
    var redirectOnce = false
    let standardOut: (String) -> Void
    let standardErr: (String) -> Void
    /// Set by `.quit` / `.exit`: the exit status the shell should end with.
    public var exitRequest: Int32?
    /// The interactive history, for `.history` (nil outside the prompt).
    var history: History?
    /// Called before anything is written (the prompt erases its progress line here).
    var beforeOutput: (() -> Void)?
    /// Step mode (`nk --step`, `.step on`): scripts pause before each statement.
    public var stepping = false
    /// Reads one line for step mode with the given prompt; nil at the end of input. Set where a
    /// person can answer (the prompt); step mode needs it.
    public var stepInput: ((String) -> String?)?
    /// Set when a person stopped a stepped script; ends the runs in progress.
    var stepStopped = false
    /// How many `run` calls are in progress (scripts can `.read` scripts).
    private var depth = 0
    /// What the session did, for `--report` and `.report` (nil: nothing is recorded).
    var recorder: ReportRecorder?
    /// Reports `.report` wrote in this shell: it may replace them again.
    var reportsWritten: Set<String> = []

    public init(format: OutputFormat = .table, rows: Int = 40, color: Bool = false,
                out: @escaping (String) -> Void, err: @escaping (String) -> Void) {
        session = Session()
        standardOut = out
        standardErr = err
        printer = ResultPrinter(format: format, renderer: TableRenderer(maxRows: rows), out: out, err: err)
        printer.renderer.color = color
        printer.out = { [unowned self] text in
            self.beforeOutput?()
            if let r = self.redirect { r.write(Data(text.utf8)) } else { out(text) }
        }
        printer.err = { [unowned self] text in
            self.beforeOutput?()
            err(text)
        }
        session.drawChart = { result, language, groupColumns in
            Chart.svg(Chart.Request(result, language: language, groupColumns: groupColumns, anyTable: true))
        }
    }

    /// Runs a text; false when anything failed.
    @discardableResult
    public func run(_ text: String, name: String, baseDirectory: String? = nil) -> Bool {
        let previousBase = session.baseDirectory
        session.baseDirectory = baseDirectory
        depth += 1
        defer {
            session.baseDirectory = previousBase
            depth -= 1
            if depth == 0 { stepStopped = false }
        }
        var ok = true
        // a new text's comments are read from its start; a script read by `.read` returns here
        let interrupted = recorder?.begin(text)
        defer { if let interrupted { recorder?.end(interrupted) } }
        for chunk in ShellSession.chunks(of: text) {
            if exitRequest != nil || stepStopped { break }
            switch chunk {
            case .dot(let line, let number):
                if !DotCommands.run(line, in: self, location: "\(name):\(number)") {
                    ok = false
                    if bail { return false }
                }
            case .statements(let masked):
                if !runStatements(masked, name: name) {
                    ok = false
                    if bail { return false }
                }
            }
        }
        return ok
    }

    private func runStatements(_ text: String, name: String) -> Bool {
        let source = Source(name: name, text: text)
        var started = Clock.now()
        let step = stepping && stepInput != nil && name != ShellSession.ownStatementName
        let diagnostics = session.run(source, keepGoing: !bail, emit: { output in
            self.printer.print(output)
            self.recorder?.output(output, language: self.session.language, maxRows: self.printer.renderer.maxRows)
        }, beforeStatement: { statement in
            self.recorder?.statement(statement, in: source)
            guard step, self.stepping else { return true }
            let go = self.pause(before: statement, in: source)
            started = Clock.now()
            return go
        }, statementFinished: { _ in
            self.recorder?.statementFinished()
            if self.timer {
                let now = Clock.now()
                self.beforeOutput?()   // the progress line goes first, also after Ctrl-C
                self.standardErr(now.since(started) + "\n")
                started = now
            }
            if self.redirectOnce { self.endRedirect() }
        })
        for d in diagnostics {
            report(d)
            recorder?.error(ErrorRenderer.render(d, color: false), line: d.line)
        }
        return diagnostics.isEmpty
    }

    func endRedirect() {
        try? redirect?.close()
        redirect = nil
        redirectOnce = false
    }

    func message(_ text: String) { printer.print(.message(text)) }
    /// Shows an error, of any kind, through the one error renderer.
    func report(_ error: Error) {
        beforeOutput?()
        standardErr(ErrorRenderer.render(error, color: printer.renderer.color))
    }

    enum Chunk {
        /// A dot command and its 1-based line number.
        case dot(String, Int)
        /// Statements: the whole text with every other line blanked, so line numbers stay.
        case statements(String)
    }

    /// Splits a text into runs of statements and dot-command lines, in order.
    static func chunks(of text: String) -> [Chunk] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var chunks: [Chunk] = []
        var current: [Int] = []
        func flush() {
            guard !current.isEmpty else { return }
            let keep = Set(current)
            let masked = lines.enumerated().map { keep.contains($0.offset) ? $0.element : "" }.joined(separator: "\n")
            chunks.append(.statements(masked))
            current = []
        }
        for (i, line) in lines.enumerated() {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.hasPrefix("."), trimmed.dropFirst().first?.isLetter == true {
                flush()
                chunks.append(.dot(String(trimmed), i + 1))
            } else {
                current.append(i)
            }
        }
        flush()
        return chunks
    }
}

/// Wall and CPU time, for `.timer`.
struct Clock {
    var wall: Double
    var user: Double
    var system: Double

    static func now() -> Clock {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return Clock(wall: Double(DispatchTime.now().uptimeNanoseconds) / 1e9, user: user, system: system)
    }

    func since(_ start: Clock) -> String {
        String(format: "real %.3f s, user %.3f s, sys %.3f s", wall - start.wall, user - start.user, system - start.system)
    }
}
