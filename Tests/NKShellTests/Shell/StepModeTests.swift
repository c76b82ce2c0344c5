import Foundation
import NKShell
import NKTestSupport
import Testing

/// Step mode with the answers a person would type, given in advance: what is shown, in what
/// order, and what each answer does.
@Suite(.serialized) struct StepModeTests {
    /// Runs the lesson stepping, answering the step prompts with `answers` (nil: end of input);
    /// returns everything written, with each prompt and answer shown as `step> answer`.
    static func run(_ answers: [String?]) -> (output: String, ok: Bool, shell: ShellSession) {
        FileManager.default.changeCurrentDirectoryPath(TestPaths.root.path)
        var output = ""
        let shell = ShellSession(out: { output += $0 }, err: { output += $0 })
        var queue = answers[...]
        shell.stepInput = { prompt in
            let answer = queue.popFirst() ?? nil
            output += prompt + (answer ?? "<end>") + "\n"
            return answer
        }
        shell.stepping = true
        let path = "Tests/Corpus/step/lesson.nk"
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let ok = shell.run(text, name: path, baseDirectory: "Tests/Corpus/step")
        return (output, ok, shell)
    }

    @Test func enterRunsEachStatementAndNarrationIsNotHeldBack() {
        let (output, ok, _) = Self.run(["", "", ""])
        #expect(ok)
        #expect(output == """

            ▶ -- a short lesson for the step-mode tests
              load "../nk/data/people.csv"
            Enter runs it · or type a statement of your own · q stops the script
            step> 
            loaded people: 6 rows, 8 columns
            Erst zählen wir. First we count.

            ▶ -- how many people?
              people | count
            Enter runs it · or type a statement of your own · q stops the script
            step> 
            ┌─────────┐
            │ count   │
            │ integer │
            ├─────────┤
            │       6 │
            └─────────┘
            1 row
            Dann nach Region. Then by region.

            ▶ people
                | segment by region
            Enter runs it · or type a statement of your own · q stops the script
            step> 
            ┌────────┬─────────┬───────┐
            │ region │ count   │ share │
            │ string │ integer │ float │
            ├────────┼─────────┼───────┤
            │ Süd    │       2 │ 33.33 │
            │ Nord   │       2 │ 33.33 │
            │ null   │       1 │ 16.67 │
            │ West   │       1 │ 16.67 │
            └────────┴─────────┴───────┘
            4 rows
            Ende. The end.

            """)
    }

    @Test func ownStatementsRunInBetweenThenTheScriptWaitsAgain() {
        let (output, ok, _) = Self.run(["", "people | filter region = \"Nord\" | count", "", "q"])
        #expect(ok)
        #expect(output.contains("""
            step> people | filter region = "Nord" | count
            ┌─────────┐
            │ count   │
            │ integer │
            ├─────────┤
            │       2 │
            └─────────┘
            1 row
            next: people | count
            step> 
            ┌─────────┐
            """))
        // q stops before the third statement: its narration came, its result did not
        #expect(output.hasSuffix("""
            step> q
            stopped the script; the tables it made are kept

            """))
        #expect(!output.contains("│ Süd"))
        #expect(!output.contains("Ende."))
    }

    @Test func aStatementOverSeveralLinesAndStepOff() {
        let (output, _, shell) = Self.run(["", "people |", "count", ".step off"])
        #expect(output.contains("step> people |\n  > count\n┌─────────┐"))
        // .step off lets the rest run without asking
        #expect(output.hasSuffix("Ende. The end.\n"))
        #expect(output.components(separatedBy: "step> ").count == 4)
        #expect(!shell.stepping)
    }

    @Test func endOfInputStopsAndTheTablesStay() {
        let (output, ok, shell) = Self.run(["", nil])
        #expect(ok)
        #expect(output.hasSuffix("step> <end>\nstopped the script; the tables it made are kept\n"))
        #expect(shell.session.table("people")?.rowCount == 6)
        // a new run after a stop is not stopped
        shell.stepping = false
        #expect(shell.run("let again = people | count", name: "<test>"))
        #expect(shell.session.table("again") != nil)
    }

    @Test func stepOnNeedsAPrompt() {
        var errors = ""
        let shell = ShellSession(out: { _ in }, err: { errors += $0 })
        #expect(!shell.run(".step on", name: "<test>"))
        #expect(errors.contains("step mode needs the prompt"))
    }
}

extension StepModeTests {
    /// A statement shown to the room before it runs has a typed password masked.
    @Test func aPasswordIsMaskedWhenAStatementIsShown() {
        var output = ""
        let shell = ShellSession(out: { output += $0 }, err: { output += $0 })
        shell.stepInput = { _ in "q" }
        shell.stepping = true
        _ = shell.run("attach \"postgresql://ann:s3cret@127.0.0.1:1/crm\" as pg\n", name: "lesson.nk")
        #expect(output.contains("attach \"postgresql://ann:***@127.0.0.1:1/crm\" as pg"))
        #expect(!output.contains("s3cret"))
    }
}
