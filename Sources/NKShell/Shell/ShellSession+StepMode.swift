import Foundation
import NKLanguage
import NKSources

/// Step mode, for teaching: before each statement of a script nk shows it (with the comment
/// lines right above it) and waits. Enter runs it; a statement typed instead runs first and
/// the script waits again; `q` (or Ctrl-C, or the end of input) stops the script. `print`
/// narration is not held back: it is what the room reads while the trainer decides.
extension ShellSession {
    /// The name statements typed at the step prompt run under (they never pause themselves).
    static let ownStatementName = "<step>"

    /// Shows `statement` and waits for the person; false when they stop the script.
    func pause(before statement: Statement, in source: Source) -> Bool {
        if case .print = statement.kind { return true }
        guard let input = stepInput else { return true }
        // shown in the room: a password in a connection address is masked
        let shown = Databases.masked(ShellSession.stepText(of: statement, in: source))
        let color = printer.renderer.color
        let bold = color ? "\u{1B}[1m" : "", dim = color ? "\u{1B}[2m" : "", reset = color ? "\u{1B}[0m" : ""
        let lines = shown.split(separator: "\n", omittingEmptySubsequences: false)
        let statementLines = Databases.masked(source.text(of: statement.span)).split(separator: "\n", omittingEmptySubsequences: false)
        let listing = lines.enumerated().map { i, line in (i == 0 ? "▶ " : "  ") + bold + line + reset }.joined(separator: "\n")
        message("\n" + listing)
        message(dim + "Enter runs it · or type a statement of your own · q stops the script" + reset)
        while true {
            guard let line = input("step> ") else { return stop() }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { return true }
            if ["q", "quit", "stop"].contains(trimmed.lowercased()) { return stop() }
            // a statement of the trainer's own, possibly over several lines
            var text = line
            while !trimmed.hasPrefix("."), Lexer.needsMoreInput(text), let more = input("  > ") {
                text += "\n" + (more.first == " " || more.first == "\t" ? more : "  " + more)
            }
            history?.add(text)
            let wasStepping = stepping
            run(text, name: ShellSession.ownStatementName)
            if exitRequest != nil { return stop() }
            // `.step off` typed here lets the rest of the script run on its own
            if wasStepping && !stepping { return true }
            message(dim + "next: " + reset + bold + (statementLines.first.map(String.init) ?? "") + reset + (statementLines.count > 1 ? " …" : ""))
        }
    }

    private func stop() -> Bool {
        stepStopped = true
        message("stopped the script; the tables it made are kept")
        return false
    }

    /// The statement's text with the comment lines directly above it (the narration in the
    /// script).
    static func stepText(of statement: Statement, in source: Source) -> String {
        let bytes = source.bytes
        let lines = bytes.split(separator: 10, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        let startLine = bytes[0..<min(bytes.count, statement.span.start)].reduce(0) { $1 == 10 ? $0 + 1 : $0 }
        var first = startLine
        while first > 0, lines[first - 1].trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("--") { first -= 1 }
        let comments = lines[first..<startLine].map { $0.trimmingCharacters(in: .newlines) }
        return (comments + [source.text(of: statement.span)]).joined(separator: "\n")
    }
}
