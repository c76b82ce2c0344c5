import Foundation
import NKShell
import NKTestSupport
import Testing

/// The README's tour is a transcript: in the `text` blocks between `<!-- tour` and
/// `<!-- /tour -->`, lines starting with `nk> ` (and `  > ` after them) are typed, the other
/// lines are what nk prints. The statements run in order on the demo data, as `nk --demo` in a
/// terminal 120 columns wide with NO_COLOR prints them, and each block must show exactly that.
/// `NK_UPDATE_GOLDEN=1` writes the real output into the README, to be read before committing.
@Suite(.serialized) struct ReadmeTourTests {
    static let readme = TestPaths.root.appendingPathComponent("README.md")

    struct Block {
        /// Line numbers (0-based) of the block's content, between its fences.
        var lines: Range<Int>
        var statements: [String]
        var expected: String
    }

    static func blocks(_ lines: [String]) -> [Block] {
        guard let start = lines.firstIndex(where: { $0.hasPrefix("<!-- tour") }),
              let end = lines.firstIndex(where: { $0.hasPrefix("<!-- /tour") }) else { return [] }
        var blocks: [Block] = []
        var i = start
        while i < end {
            guard lines[i] == "```text" else { i += 1; continue }
            let first = i + 1
            var last = first
            while last < end, lines[last] != "```" { last += 1 }
            let content = Array(lines[first..<last])
            var statements: [String] = []
            for line in content {
                if line.hasPrefix("nk> ") { statements.append(String(line.dropFirst(4))) }
                else if line.hasPrefix("  > "), !statements.isEmpty { statements[statements.count - 1] += "\n" + line.dropFirst(2) }
            }
            blocks.append(Block(lines: first..<last, statements: statements, expected: content.map { $0 + "\n" }.joined()))
            i = last + 1
        }
        return blocks
    }

    /// What each block shows when its statements run.
    static func transcripts(_ blocks: [Block]) -> [String] {
        FileManager.default.changeCurrentDirectoryPath(TestPaths.root.path)
        var output = ""
        let shell = ShellSession(out: { output += $0 }, err: { output += $0 })
        shell.printer.renderer.width = 120
        shell.printer.renderer.bars = true
        _ = shell.run(".demo", name: "<tour>")
        return blocks.map { block in
            var transcript = ""
            for statement in block.statements {
                output = ""
                shell.run(statement, name: "<prompt>")
                transcript += "nk> " + statement.replacingOccurrences(of: "\n", with: "\n  > ") + "\n" + output
            }
            return transcript
        }
    }

    @Test func theTourPrintsWhatTheReadmeShows() throws {
        let text = try String(contentsOf: Self.readme, encoding: .utf8)
        var lines = text.components(separatedBy: "\n")
        let blocks = Self.blocks(lines)
        #expect(blocks.count >= 4)
        #expect(blocks.flatMap(\.statements).count >= 6)
        let actual = Self.transcripts(blocks)
        if ProcessInfo.processInfo.environment["NK_UPDATE_GOLDEN"] != nil {
            for (block, transcript) in zip(blocks, actual).reversed() {
                var replacement = transcript.components(separatedBy: "\n")
                if replacement.last == "" { replacement.removeLast() }
                lines.replaceSubrange(block.lines, with: replacement)
            }
            try lines.joined(separator: "\n").write(to: Self.readme, atomically: true, encoding: .utf8)
            return
        }
        for (block, transcript) in zip(blocks, actual) {
            #expect(block.expected == transcript)
        }
    }
}
