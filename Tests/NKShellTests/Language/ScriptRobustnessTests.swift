import Foundation
import NKShell
import NKTestSupport
import Testing

/// Scripts as people half-write them, and as generators overdo them: each ends in a located
/// error (file:line:column) or runs, never in a crash or a hang.
@Suite struct ScriptRobustnessTests {
    static func run(_ text: String) -> (ok: Bool, output: String) {
        var output = ""
        let shell = ShellSession(out: { output += $0 }, err: { output += $0 })
        shell.bail = false
        _ = shell.run("load \"\(TestPaths.corpus("nk").path)/data/people.csv\" as t", name: "setup")
        output = ""
        let ok = shell.run(text, name: "s.nk")
        return (ok, output)
    }

    @Test(arguments: [
        ("print \"never closed", "s.nk:1:7: error: this text is not closed"),
        ("t | filter (region = \"Nord\"", "s.nk:1:12: error: the parenthesis opened at 1:12 is not closed"),
        ("t | count)", "s.nk:1:10: error: unexpected `)` after the statement"),
        ("t | filter " + String(repeating: "(", count: 10_000) + "true" + String(repeating: ")", count: 10_000),
         "error: this is nested too deeply (more than 200 levels)"),
        ("t | filter " + String(repeating: "not ", count: 10_000) + "true", "error: this is nested too deeply"),
        ("t | select " + Array(repeating: "employees", count: 100_000).joined(separator: " + ") + " as s",
         "error: this expression chains too many operators (more than 200 in a row)"),
        ("t | filter " + Array(repeating: "region = \"Nord\"", count: 5_000).joined(separator: " or "), "error: this expression chains too many operators"),
        ("t | select " + String(repeating: "- ", count: 100_000) + "1 as x", "error: this is nested too deeply"),
        // `--` starts a comment, so a run of minus signs is one
        ("t | select " + String(repeating: "-", count: 100_000) + "1 as x", "s.nk:1:100018: error: expected a value, a column or a function, found the end of the input"),
        ("t | select abs(" + String(repeating: "abs(", count: 5_000) + "1" + String(repeating: ")", count: 5_001), "error: this is nested too deeply"),
    ])
    func endsInALocatedError(_ text: String, _ expected: String) {
        let (ok, output) = Self.run(text)
        #expect(!ok)
        #expect(output.contains(expected), "\(output.prefix(200))")
    }

    @Test func longLinesAndUnicodeNamesWork() {
        let long = String(repeating: "ä", count: 1_000_000)
        let (ok, output) = Self.run("""
            print "\(long)"
            let größe = t | count
            let 名前 = t | filter employees > 100 | select name
            名前
            t | select 1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 + 10 as sum | head 1
            """)
        #expect(ok, "\(output.suffix(300))")
        #expect(output.hasPrefix(long + "\n"))
        #expect(output.contains("größe: 1 rows, 1 columns"))
        #expect(output.contains("│ Frank Lange   │"))
        #expect(output.contains("│      55 │"))
    }

    @Test func chainsUpToTheLimitStillRun() {
        let (ok, output) = Self.run("t | select " + Array(repeating: "1", count: 150).joined(separator: " + ") + " as s | head 1")
        #expect(ok, "\(output.suffix(300))")
        #expect(output.contains("│     150 │"), "\(output.suffix(300))")
    }
}
