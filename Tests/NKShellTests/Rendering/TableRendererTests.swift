import NKEngine
import NKShell
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
        #expect(text.contains("│ äääääääää… │"))
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
