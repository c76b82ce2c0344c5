import NKEngine
import NKLanguage
import NKTestSupport
import Testing

/// Errors point at what was written: each case marks the expected position inside the input
/// with 1️⃣ and names the message and kind. Syntax errors come from the parser, name and type
/// errors from binding the plan, before any data is read.
@Suite struct DiagnosticPositionTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var input: String
        var message: String
        var kind: Diagnostic.Kind
        var hint: String? = nil
        var testDescription: String { input }
    }

    static let cases: [Case] = [
        // syntax
        Case(input: "people | 1️⃣fitler region = \"Süd\"", message: "no stage `fitler`", kind: .syntax, hint: "did you mean `filter`?"),
        Case(input: "people | segment 1️⃣bogus", message: "expected `by`, `agg` or a segmentation after `segment`, found `bogus`", kind: .syntax),
        Case(input: "people | why-not region = \"Süd\" 1️⃣depht 2", message: "unexpected `depht` in why-not", kind: .syntax, hint: "did you mean `depth`?"),
        Case(input: "people | why-not region = \"Süd\" depth 1️⃣4", message: "depth must be 1, 2 or 3, not 4", kind: .syntax),
        Case(input: "people | why-not region = \"Süd\" summary 1️⃣0", message: "summary takes 1 to 63 findings, not 0", kind: .syntax, hint: "summary 7 is the default"),
        Case(input: "people | segment pareto 1️⃣onn revenue", message: "unexpected `onn` in segment pareto", kind: .syntax, hint: "did you mean `on`?"),
        Case(input: "people | segment lifecycle lapsed after 12 1️⃣fortnights", message: "expected days, weeks, months or years, found `fortnights`", kind: .syntax),
        Case(input: "people | head 1️⃣many", message: "expected how many rows (a whole number), found `many`", kind: .syntax),
        Case(input: "1️⃣filter region = \"Süd\"", message: "`filter` is a stage of a pipeline and needs a table in front", kind: .syntax),
        Case(input: "compare people 1️⃣people", message: "expected `vs` between the two groups, as in compare lapsed vs active, found `people`", kind: .syntax),
        Case(input: "people | filter 1️⃣emp.var.rate > 1", message: "`emp.var.rate` is a name with dots", kind: .syntax,
             hint: "write it in backquotes: `emp.var.rate`"),
        // names
        Case(input: "1️⃣peeple | count", message: "no table `peeple`", kind: .unknownTable, hint: "did you mean `people`?"),
        Case(input: "people | filter 1️⃣regoin = \"Süd\"", message: "no column `regoin` in people", kind: .unknownColumn, hint: "did you mean `region`?"),
        Case(input: "people | select id | filter 1️⃣region = \"Süd\"", message: "no column `region` in the result of `select`", kind: .unknownColumn),
        // a stage that keeps the columns keeps the input's name; a join names both
        Case(input: "people | filter nps > 1 | sort id | select 1️⃣regoin", message: "no column `regoin` in people", kind: .unknownColumn),
        Case(input: "people | join orders on id | select 1️⃣regoin", message: "no column `regoin` in people joined with orders", kind: .unknownColumn),
        Case(input: "people | join orders on 1️⃣idd", message: "no column `idd` to join on", kind: .unknownColumn, hint: "did you mean `id`?"),
        Case(input: "people | distinct 1️⃣regio", message: "no column `regio`", kind: .unknownColumn, hint: "did you mean `region`?"),
        Case(input: "people | why-not region = \"Süd\" by 1️⃣nsp", message: "no column `nsp`", kind: .unknownColumn, hint: "did you mean `nps`?"),
        Case(input: "people | select 1️⃣summ(nps)", message: "no function `summ`", kind: .unknownName),
        Case(input: "people | segment by region agg 1️⃣nps + 1", message: "`agg` takes aggregates such as count(), sum(x), avg(x), median(x), share()", kind: .invalid),
        Case(input: "compare people vs orders on 1️⃣region", message: "no column `region` in orders", kind: .unknownColumn),
        Case(input: "orders | segment lifecycle by 1️⃣customer", message: "no column `customer` in the input", kind: .unknownColumn),
        // types
        // a whole condition of the wrong type is the stage's error
        Case(input: "people | 1️⃣filter nps + 1", message: "a filter needs a true/false condition, not an integer value", kind: .type),
        Case(input: "people | why-not 1️⃣nps", message: "why-not needs a condition that is true or false, not an integer value", kind: .type),
        Case(input: "people | 1️⃣segment pareto on region", message: "region holds a string value, not a number", kind: .type),
        Case(input: "orders | segment lifecycle by id on 1️⃣amount", message: "amount holds a float value, not a date", kind: .type),
    ]

    static func session() -> Session {
        let s = Session()
        s.set("people", makeTable([("id", .integers([1, 2, 3])), ("region", .strings(["Süd", "Nord", "Süd"])),
                                   ("nps", .integers([10, 40, nil])), ("revenue", .floats([1.5, 2, 3]))]))
        s.set("orders", makeTable([("id", .integers([1, 1, 2])), ("day", .dates([19000, 19100, 19200])), ("amount", .floats([5, 6, 7]))]))
        return s
    }

    @Test(arguments: cases)
    func pointsAtTheMarker(_ c: Case) throws {
        let marked = MarkedText(c.input)
        let diagnostics = Self.session().run(Source(name: "test", text: marked.text), emit: { _ in })
        let d = try #require(diagnostics.first)
        #expect(d.message == c.message)
        #expect(d.kind == c.kind)
        #expect(d.span.start == marked.first)
        if let hint = c.hint { #expect(d.hint == hint) }
    }

    /// Code decides by an error's kind: a missing file is one, and in a script its hint says
    /// where relative paths start.
    @Test func aMissingFileIsItsOwnKind() throws {
        let session = Session()
        session.baseDirectory = "scripts"
        let marked = MarkedText("load 1️⃣\"nowhere/customers.csv\"")
        let d = try #require(session.run(Source(name: "test", text: marked.text), emit: { _ in }).first)
        #expect(d.kind == .missingFile)
        #expect(d.span.start == marked.first)
        #expect(d.hint == "paths in a script start in the script's folder, here scripts")
    }

    /// Every parse error, the lexer's too, is a syntax error.
    @Test func lexicalErrorsAreSyntaxErrors() throws {
        let marked = MarkedText("people | filter 1️⃣`region = 1")
        let d = try #require(Self.session().run(Source(name: "test", text: marked.text), emit: { _ in }).first)
        #expect(d.kind == .syntax)
        #expect(d.span.start == marked.first)
    }

    /// The marker helper itself: markers out, offsets in bytes of the text left.
    @Test func markedTextFindsItsMarkers() {
        let m = MarkedText("a 1️⃣bü 2️⃣c")
        #expect(m.text == "a bü c")
        #expect(m.markers == [1: 2, 2: 6])
    }
}
