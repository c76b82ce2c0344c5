import NKEngine
import NKLanguage
@testable import NKShell
import NKTestSupport
import Testing

/// Completion, given the text before the cursor and the partial word.
@Suite struct CompleterTests {
    static func completer() -> Completer {
        let s = Session()
        s.set("customers", makeTable([("customer_id", .integers([1])), ("industry", .strings(["Bau"])), ("region", .strings(["Süd"])),
                                      ("emp.var.rate", .floats([1]))]))
        s.set("orders", makeTable([("order_id", .integers([1])), ("customer_id", .integers([1])), ("revenue", .floats([1]))]))
        return Completer(session: s)
    }

    let c = CompleterTests.completer()

    @Test func statementStart() {
        #expect(c.complete(before: "", word: "lo").candidates == ["load"])
        #expect(c.complete(before: "", word: "cu").candidates == ["customers"])
        #expect(c.complete(before: "  ", word: "s").candidates == ["save", "set", "show"])
    }

    @Test func stagesAfterAPipe() {
        let r = c.complete(before: "customers | ", word: "se")
        #expect(r.candidates == ["segment", "select"])
        #expect(r.appendSpace)
        #expect(c.complete(before: "customers | filter region = \"x\" | ", word: "").candidates == VerbRegistry.stageWords.sorted())
    }

    @Test func columnsOfTheTableFlowingIn() {
        #expect(c.complete(before: "customers | segment by ", word: "indu").candidates == ["industry"])
        #expect(c.complete(before: "customers | filter ", word: "reg").candidates == ["region"])
        // after a select only the selected columns flow on
        #expect(c.complete(before: "customers | select region as r | filter ", word: "r").candidates == ["r", "replace", "right", "round"])
        // a segment's output
        #expect(c.complete(before: "customers | segment by industry agg count() as n | sort ", word: "n").candidates
            == ["n", "not", "now", "null", "nullif"])
        #expect(!c.complete(before: "customers | filter ", word: "reg").appendSpace)
    }

    @Test func namesNeedingBackquotes() {
        #expect(c.complete(before: "customers | select ", word: "emp").candidates == ["`emp.var.rate`"])
    }

    @Test func tablesWhereATableGoes() {
        #expect(c.complete(before: "orders | join ", word: "cu").candidates == ["customers"])
        #expect(c.complete(before: "let x = ", word: "or").candidates == ["orders"])
        #expect(c.complete(before: "show ", word: "").candidates == ["customers", "orders"])
        #expect(c.complete(before: "drop customers, ", word: "o").candidates == ["orders"])
        #expect(c.complete(before: "(", word: "cu").candidates == ["customers"])
    }

    @Test func joinSeesBothTables() {
        #expect(c.complete(before: "orders | join customers on ", word: "cust").candidates == ["customer_id"])
        #expect(c.complete(before: "orders | join customers on customer_id | select ", word: "ind").candidates == ["industry"])
    }

    @Test func fileNamesInQuotes() {
        #expect(c.complete(before: "load \"Datasets/", word: "de").files)
        #expect(c.complete(before: "save x to \"", word: "").files)
        #expect(!c.complete(before: "customers | filter region = \"", word: "S").files)
        #expect(c.complete(before: "load \"x.csv\" with ", word: "del").candidates == ["delimiter"])
    }

    @Test func dotCommands() {
        #expect(c.complete(before: "", word: ".ti").candidates == [".timer"])
        #expect(c.complete(before: ".mode ", word: "j").candidates == ["json", "jsonl"])
        #expect(c.complete(before: ".schema ", word: "o").candidates == ["orders"])
        #expect(c.complete(before: ".read ", word: "").files)
    }

    /// What follows a stage's words comes from its verb: `segment` offers its forms and the
    /// segmentations, a verb its own options.
    @Test func verbsOfferTheirOwnWords() {
        #expect(c.complete(before: "orders | segment ", word: "").candidates
            == (["agg", "by"] + VerbRegistry.qualifiers(of: "segment")).sorted())
        #expect(c.complete(before: "orders | segment lifecycle ", word: "lap").candidates == ["lapsed"])
        #expect(c.complete(before: "orders | segment pareto on revenue ", word: "").candidates.contains("a"))
        #expect(Set(["min-ratio", "min-support"]).isSubset(of: c.complete(before: "customers | why-not region = \"Süd\" ", word: "min").candidates))
        #expect(c.complete(before: "customers | lookalike ", word: "or").candidates == ["orders"])
        #expect(c.complete(before: "", word: "expl").candidates == ["explain"])
    }

    /// Inside a filter only what an expression can hold: no `asc`, `agg` or `on`.
    @Test func aFilterOffersNoOptionWords() {
        let all = c.complete(before: "customers | filter ", word: "").candidates
        #expect(all.contains("region") && all.contains("round") && all.contains("and"))
        #expect(!all.contains("asc") && !all.contains("agg") && !all.contains("on"))
    }

    @Test func multiLineContext() {
        // the lines typed before the current one give the context
        #expect(c.complete(before: "customers |\n  filter ", word: "reg").candidates == ["region"])
    }
}

extension CompleterTests {
    /// An attached database's tables complete after its name and a dot, and a pipeline over one
    /// offers its columns (bound from the database's column list, no rows read).
    @Test func attachedTablesAndTheirColumns() throws {
        let shell = ShellSession(out: { _ in }, err: { _ in })
        let path = TestPaths.corpus("sqlite").appendingPathComponent("crm_tool.sqlite").path
        #expect(shell.run("attach \"\(path)\" as crm", name: "t"))
        let c = Completer(session: shell.session)
        #expect(c.complete(before: "", word: "cr").candidates == ["crm."])
        #expect(c.complete(before: "", word: "crm.").candidates == ["crm.customers", "crm.lost"])
        #expect(c.complete(before: "load ", word: "crm.cu").candidates == ["crm.customers"])
        #expect(c.complete(before: "crm.customers | filter ", word: "sta").candidates == ["starts", "starts_with", "status"])
    }
}
