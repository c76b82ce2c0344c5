import Foundation
import NKEngine
import NKSources
import NKLanguage

/// An error of the shell itself (a dot command, a command-line flag, a script it cannot read):
/// what went wrong, where (`file:line` or `file:line:column`, when it came from a file), and
/// what to do.
public struct ShellError: Error, Sendable {
    public var message: String
    public var hint: String?
    public var place: String?
    public init(_ message: String, hint: String? = nil, at place: String? = nil) {
        self.message = message
        self.hint = hint
        self.place = place
    }
}

/// Turns every error into the text users read, in one place: a diagnostic with its source
/// line and a caret, an engine error with the offending line of its file, a shell error with
/// its place; each with its hint. An interrupted statement is not a mistake: it just says so.
public enum ErrorRenderer {
    public static func render(_ error: Error, color: Bool = false) -> String {
        switch error {
        case let d as Diagnostic: return render(d, color: color)
        case let s as ShellError: return (s.place.map { "\($0): " } ?? "") + "error: \(s.message)\n" + (s.hint.map { "hint: \($0)\n" } ?? "")
        case let e as EngineError: return render(e)
        default: return "error: \(error)\n"
        }
    }

    static func render(_ e: EngineError) -> String {
        var text = "error: " + (e.location.map { "\($0): " } ?? "") + e.message + "\n"
        if let location = e.location, let line = sourceLine(location) {
            let shown = DisplayWidth.truncate(line, to: 120)
            text += "  " + shown + "\n"
            if let column = location.column {
                let prefix = String(decoding: Array(line.utf8.prefix(max(0, column - 1))), as: UTF8.self)
                let offset = DisplayWidth.of(prefix)
                if offset < 118 { text += "  " + String(repeating: " ", count: offset) + "^\n" }
            }
        }
        if let hint = e.hint { text += "hint: \(hint)\n" }
        return text
    }

    /// A language diagnostic: `file:line:col: error: message`, the line, a caret under the span
    /// (`^~~~` across it when it stays on the line), and the hint.
    static func render(_ d: Diagnostic, color: Bool) -> String {
        if d.kind == .cancelled { return "\ncancelled\n" }
        let (line, column) = d.source.location(of: d.span.start)
        let label = color ? "\u{1B}[1;31merror:\u{1B}[0m" : "error:"
        var text = "\(d.source.name):\(line):\(column): \(label) \(d.message)\n"
        // a connection address typed with its password is shown with the password masked
        let sourceLine = Databases.masked(d.source.line(line), keepingWidth: true)
        if !sourceLine.isEmpty {
            text += "  " + sourceLine + "\n"
            let prefix = String(sourceLine.prefix(column - 1))
            let (endLine, endColumn) = d.source.location(of: max(d.span.start, d.span.end - 1))
            let width = endLine == line ? max(1, DisplayWidth.of(String(sourceLine.dropFirst(column - 1).prefix(endColumn - column + 1)))) : 1
            text += "  " + String(repeating: " ", count: DisplayWidth.of(prefix)) + "^" + String(repeating: "~", count: width - 1) + "\n"
        }
        if let hint = d.hint { text += "hint: \(hint)\n" }
        return text
    }

    /// The text of one line of a file (for the caret display); nil when unreadable.
    static func sourceLine(_ location: FileLocation) -> String? {
        guard let handle = FileHandle(forReadingAtPath: location.file) else { return nil }
        defer { try? handle.close() }
        var line = 1
        var current: [UInt8] = []
        while let chunk = try? handle.read(upToCount: 1 << 16), !chunk.isEmpty {
            for b in chunk {
                if b == 10 {
                    if line == location.line { return decode(current) }
                    line += 1
                    current.removeAll(keepingCapacity: true)
                    if line > location.line { return nil }
                } else if line == location.line, current.count < 4096 {
                    current.append(b)
                }
            }
        }
        return line == location.line ? decode(current) : nil
    }

    private static func decode(_ bytes: [UInt8]) -> String {
        var b = bytes
        if b.last == 13 { b.removeLast() }
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { b.removeFirst(3) }
        return String(decoding: b, as: UTF8.self)
    }
}
