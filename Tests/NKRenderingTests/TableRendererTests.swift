import NKEngine
@testable import NKRendering
import NKTestSupport
import Testing

@Suite struct TableRendererTests {
    @Test func alignsByDisplayWidth() {
        let t = makeTable([
            ("name", .strings(["Müller", "東京", "e\u{301}"])),
            ("n", .integers([1, 1234567, nil])),
            ("x", .floats([0.5, 12, 3.25])),
        ])
        #expect(TableRenderer().render(t) == """
            ┌────────┬─────────┬───────┐
            │ name   │ n       │ x     │
            │ string │ integer │ float │
            ├────────┼─────────┼───────┤
            │ Müller │       1 │  0.50 │
            │ 東京   │ 1234567 │ 12.00 │
            │ é      │    null │  3.25 │
            └────────┴─────────┴───────┘
            3 rows

            """)
    }

    @Test func longTablesShowHeadAndTail() {
        let t = makeTable([("i", .integers((1...10).map { Int64($0) }))])
        let text = TableRenderer(maxRows: 4).render(t)
        #expect(text.contains("│       1 │\n│       2 │\n│ ·       │\n│       9 │\n│      10 │"))
        #expect(text.hasSuffix("10 rows (4 shown)\n"))
    }

    @Test func longValuesAreCut() {
        let t = makeTable([("s", .strings([String(repeating: "ä", count: 60)]))])
        let text = TableRenderer(maxColumnWidth: 10).render(t)
        // the first column names its row and may be half as wide again
        #expect(text.contains("│ ääääääääääääää… │"))
        let second = TableRenderer(maxColumnWidth: 10).render(makeTable([("i", .integers([1])), ("s", .strings([String(repeating: "ä", count: 60)]))]))
        #expect(second.contains("│ äääääääää… │"))
    }

    @Test func displayWidths() {
        #expect(DisplayWidth.of("Süd") == 3)
        #expect(DisplayWidth.of("日本") == 4)
        #expect(DisplayWidth.of("🙂") == 2)
        #expect(DisplayWidth.of("a\u{301}") == 1)
    }
}

@Suite struct ErrorRendererTests {
    @Test func locatedErrorShowsTheLineAndCaret() throws {
        let dir = try TestPaths.temporaryDirectory()
        let path = dir.appendingPathComponent("x.csv").path
        try "a,b\n1,\"open\n".write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try CSVReader.load(path: path)
            Issue.record("expected an error")
        } catch {
            #expect(ErrorRenderer.render(error) == """
                error: \(path):2:3: a quoted field opens here and never closes
                  1,"open
                    ^
                hint: a quote inside a value must be doubled (""); look for a stray quote on this line

                """)
        }
    }
}

@Suite struct RenderingModesTests {
    let t = makeTable([
        ("segment", .strings(["Süd", "Nord", "東京"])),
        ("count", .integers([50, 25, 5])),
        ("share", .floats([62.5, 31.25, 6.25])),
        ("note", .strings([String(repeating: "x", count: 30), nil, "kurz"])),
    ])

    @Test func asciiBorders() {
        var r = TableRenderer()
        r.ascii = true
        #expect(r.render(t.head(1)) == """
            +---------+---------+-------+--------------------------------+
            | segment | count   | share | note                           |
            | string  | integer | float | string                         |
            +---------+---------+-------+--------------------------------+
            | Süd     |      50 |  62.5 | xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx |
            +---------+---------+-------+--------------------------------+
            1 row

            """)
    }

    @Test func barsBesideAShareScaledToTheLargest() {
        var r = TableRenderer()
        r.bars = true
        let text = r.render(try! t.selecting(["segment", "share"]))
        #expect(text.contains("│ Süd     │ 62.50 │ ████████████████████ │"))
        #expect(text.contains("│ Nord    │ 31.25 │ ██████████           │"))
        #expect(text.contains("│ 東京    │  6.25 │ ██                   │"))
    }

    /// Two share columns (a comparison's groups) get bars side by side on one scale.
    @Test func sideBySideBarsForTwoGroups() {
        var r = TableRenderer()
        r.bars = true
        let t = makeTable([("value", .strings(["Messe", "Web"])), ("share_lost", .floats([60, 15])), ("share_rest", .floats([30, 0]))])
        let text = r.render(t)
        #expect(text.contains("│ value  │ share_lost │ share_rest │ lost         ▕ rest         │"))
        #expect(text.contains("│ Messe  │         60 │         30 │ ████████████ ▕ ██████       │"))
        #expect(text.contains("│ Web    │         15 │          0 │ ███          ▕              │"))
        r.ascii = true
        #expect(r.render(t).contains("| Messe  |         60 |         30 | ############ | ######       |"))
    }

    @Test func tooWideTablesHideMiddleColumns() {
        var r = TableRenderer()
        r.width = 40
        let text = r.render(t)
        for line in text.split(separator: "\n") { #expect(DisplayWidth.of(String(line)) <= 40, "\(line)") }
        #expect(text.contains("│ segment │ … │"))
        #expect(text.contains("│ note"))
    }

    @Test func colorMarksNullsAndHeaders() {
        var r = TableRenderer()
        r.color = true
        let text = r.render(try! t.selecting(["note"]))
        #expect(text.contains("\u{1B}[2mnull"))
        #expect(text.contains("\u{1B}[1mnote"))
        #expect(!TableRenderer().render(t).contains("\u{1B}"))
    }

    @Test func lineMode() {
        #expect(LineRenderer().render(try! t.head(2).selecting(["segment", "count"])) == """
            ─[ 1 ]─────
            segment │ Süd
            count   │ 50
            ─[ 2 ]─────
            segment │ Nord
            count   │ 25
            2 rows

            """)
    }

    @Test func everyFormatThroughThePrinter() {
        for format in OutputFormat.allCases {
            var out = "", err = ""
            let printer = ResultPrinter(format: format, out: { out += $0 }, err: { err += $0 })
            printer.print(.message("hello"))
            printer.print(.table(t.head(1), totalRows: 1))
            printer.print(.table(t.head(1), totalRows: 1))
            #expect(out.contains("Süd"), "\(format)")
            if format.isMachineReadable {
                #expect(err == "hello\n" && !out.contains("hello"), "\(format)")
            } else {
                #expect(out.hasPrefix("hello\n") && err.isEmpty, "\(format)")
            }
        }
    }
}
