import NKEngine
import NKLanguage
@testable import NKRendering
import NKTestSupport
import Testing

/// A result is shown by its kind: a verb's result as its tables, messages and narration; a plain
/// table as itself; for programs, only tables. Errors of every kind go through one renderer.
@Suite struct ResultPresentationTests {
    static func session() -> Session {
        let s = Session()
        s.set("people", makeTable([("id", .integers([1, 2, 3, 4])), ("region", .strings(["Süd", "Nord", "Süd", "Nord"])),
                                   ("nps", .integers([10, 40, 20, 50]))]))
        return s
    }

    static func printed(_ text: String, format: OutputFormat) -> (out: String, err: String) {
        var out = "", err = ""
        let printer = ResultPrinter(format: format, out: { out += $0 }, err: { err += $0 })
        let failures = session().run(Source(name: "t", text: text), emit: printer.print)
        for f in failures { err += ErrorRenderer.render(f) }
        return (out, err)
    }

    @Test func aComparisonShowsItsDetailsForPeopleAndTablesOnlyForPrograms() {
        let people = Self.printed("people | compare where region = \"Süd\" on nps", format: .table)
        #expect(people.out.contains("nps:\n"))
        #expect(people.err.isEmpty)
        let programs = Self.printed("people | compare where region = \"Süd\" on nps", format: .csv)
        #expect(programs.out.hasPrefix("column,kind,test,"))
        #expect(programs.err.contains("nps:"))
    }

    @Test func explainIsATreeForPeopleAndATableForPrograms() {
        #expect(Self.printed("explain people | head 2", format: .table).out == """
            head 2
            │  id integer, region string, nps integer
            └─ scan people
                  id integer, region string, nps integer

            """)
        #expect(Self.printed("explain people | head 2", format: .csv).out == """
            depth,node,columns
            0,head 2,"id integer, region string, nps integer"
            1,scan people,"id integer, region string, nps integer"

            """)
    }

    @Test func everyErrorGoesThroughOneRenderer() {
        #expect(ErrorRenderer.render(ShellError("no command .x", hint: ".help lists the commands", at: "s.nk:3"))
            == "s.nk:3: error: no command .x\nhint: .help lists the commands\n")
        let cancelled = Diagnostic("cancelled", at: SourceSpan(0, 1), in: Source(name: "t", text: "x"), kind: .cancelled)
        #expect(ErrorRenderer.render(cancelled) == "\ncancelled\n")
        #expect(Self.printed("people | filter regoin = 1", format: .table).err == """
            t:1:17: error: no column `regoin` in people
              people | filter regoin = 1
                              ^~~~~~
            hint: did you mean `region`?

            """)
    }
}

/// Sentences and notes wrap at spaces to the terminal's width, never inside a word, and a
/// number keeps its unit.
@Suite struct WrappingTests {
    @Test func wrapsAtSpacesKeepingUnits() {
        let text = "Rows with channel = \"Messe\" are 3.3× as likely (74 % of them against 22 % of the rest; 95 % CI 2.8–4.0)."
        let wrapped = Wrapping.wrap(text, width: 40)
        #expect(wrapped.split(separator: "\n").allSatisfy { DisplayWidth.of(String($0)) <= 40 })
        #expect(wrapped.replacingOccurrences(of: "\n", with: " ") == text)
        #expect(!wrapped.contains("%\n") && !wrapped.contains("\n%"))
        #expect(Wrapping.wrap(text, width: nil) == text)
        #expect(Wrapping.wrap("  an indented line that is far too long for twenty", width: 20) == "  an indented line\n  that is far too\n  long for twenty")
    }
}

/// A table too wide for the terminal keeps its key columns and names the hidden ones under it.
@Suite struct KeyColumnTests {
    @Test func otherColumnsGoFirst() {
        var renderer = TableRenderer()
        renderer.width = 60
        renderer.keyColumns = ["pattern", "risk_ratio", "share_*"]
        let table = makeTable([("pattern", .strings(["a = 1"])), ("order", .integers([1])), ("reference_count", .integers([12])),
                               ("share_match", .floats([0.5])), ("risk_ratio", .floats([2.5])), ("note", .strings(["a rather long note here"]))])
        let text = renderer.render(table)
        #expect(text.contains("risk_ratio") && text.contains("share_match") && text.contains("pattern"))
        // the last non-key columns go first, until the table fits
        #expect(text.contains("hidden: reference_count, note; .mode line or a wider window shows them"), "\(text)")
        #expect(text.split(separator: "\n").allSatisfy { DisplayWidth.of(String($0)) <= 60 || $0.hasPrefix("hidden") })
        renderer.keyColumns = []
        #expect(!renderer.render(table).contains("hidden:"))
    }
}
