import Foundation
@testable import NKShell
import NKTestSupport
import Testing

/// What users bring from sqlite3 and duckdb, and how they look for help: `.import` loads,
/// `.dump` prints CSV, the other habits are answered with nk's way; `.help` reaches a verb by
/// its own word and lists options; a dotted name gets told about backquotes.
@Suite struct HabitsTests {
    static func shell() -> (ShellSession, () -> String) {
        var output = ""
        let shell = ShellSession(out: { output += $0 }, err: { output += $0 })
        shell.bail = false
        return (shell, { defer { output = "" }; return output })
    }

    static let people = TestPaths.corpus("nk").appendingPathComponent("data/people.csv").path

    @Test func importLoadsAndDumpPrintsCSV() {
        let (shell, output) = Self.shell()
        #expect(shell.run(".import --csv \(Self.people) folks", name: "t"))
        #expect(output().hasPrefix(".import is load \"\(Self.people)\" as folks in nk\nloaded folks: 6 rows, 8 columns"))
        #expect(shell.run(".dump folks", name: "t"))
        #expect(output().hasPrefix("id,name,region,employees,nps,revenue,since,active\n1,Anna Müller,Süd,"))
        #expect(!shell.run(".dump nobody", name: "t"))
        #expect(output() == "t:1: error: no table `nobody`\nhint: .tables lists them\n")
    }

    @Test func otherHabitsAreAnswered() {
        let (shell, output) = Self.shell()
        for command in [".headers on", ".nullvalue -", ".separator ;"] {
            #expect(shell.run(command, name: "t"), "\(command)")
            #expect(output().hasPrefix("nk "), "\(command)")
        }
    }

    @Test func openAttachesTheDatabase() {
        let (shell, output) = Self.shell()
        #expect(!shell.run(".open no-such.db", name: "t"))
        #expect(output() == """
            .open is attach "no-such.db" as no_such in nk
            t:1:1:8: error: no-such.db: no such file
              attach "no-such.db" as no_such
                     ^~~~~~~~~~~~
            hint: attach names a SQLite file (.sqlite, .sqlite3, .db) or a postgresql:// address

            """)
    }

    @Test func helpReachesVerbsByTheirOwnWord() {
        let rfm = HelpTopics.topic("rfm") ?? ""
        #expect(rfm.hasPrefix("segment rfm (stage):"))
        #expect(rfm.contains("options: by customer_id, on order_date, value revenue, as of 2025-06-30, ties first, orders by order_id"))
        #expect(HelpTopics.topic("segment lifecycle") == HelpTopics.topic("lifecycle"))
        #expect(HelpTopics.topic("load")?.contains("options: delimiter, header, decimal, dateformat, nulls, types, encoding") == true)
        #expect(HelpTopics.topic("functions")?.contains("pad_left — pad_left(x, width[, fill])") == true)
        let (shell, output) = Self.shell()
        #expect(shell.run(".help segment clv", name: "t"))
        #expect(output().hasPrefix("segment clv (stage):"))
    }

    @Test func bailHasSqlitesSpelling() {
        var errors = ""
        let status = NKCommandLine.run(["-bail", "-c", "print \"x\""], output: { _ in }, errors: { errors += $0 }, standardInput: { nil },
                                       environment: [:], terminal: false)
        #expect(status == 0)
        #expect(errors.isEmpty)
    }
}
