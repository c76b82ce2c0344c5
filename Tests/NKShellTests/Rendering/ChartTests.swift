import Foundation
import NKEngine
import NKLanguage
import NKShell
import NKTestSupport
import Testing

/// The charts of `save … to "x.svg"`: the golden charts of docs/CHARTS.md (drawn by
/// `docs/charts/charts.nk` from the demo data) byte for byte, each well-formed XML with a title
/// and a description and no text under 14 px, and the numbers each chart writes equal to the
/// table it draws.
@Suite(.serialized) struct ChartTests {
    static let folder = TestPaths.root.appendingPathComponent("docs/charts")

    /// Runs `docs/charts/charts.nk` in a fresh folder (its data read from the repository); the
    /// shell, for reading the tables again, and the folder.
    static func drawn() throws -> (ShellSession, URL) {
        let out = try TestPaths.temporaryDirectory()
        var text = try String(contentsOf: folder.appendingPathComponent("charts.nk"), encoding: .utf8)
        text = text.replacingOccurrences(of: "load \"../../Datasets/demo\"", with: "load \"\(TestPaths.root.path)/Datasets/demo\"")
        var said = ""
        let shell = ShellSession(out: { said += $0 }, err: { said += $0 })
        let ok = shell.run(text, name: "charts.nk", baseDirectory: out.path)
        #expect(ok, "charts.nk failed: \(said)")
        return (shell, out)
    }

    nonisolated(unsafe) static let shared: Result<(ShellSession, URL), Error> = Result { try drawn() }

    static func chart(_ name: String) throws -> SVGContent {
        let (_, out) = try shared.get()
        return try SVGContent(Data(contentsOf: out.appendingPathComponent(name + ".svg")))
    }

    /// A table of the charts' session, as the pipeline gives it.
    static func table(_ pipeline: String) throws -> Table {
        let (shell, _) = try shared.get()
        let plan = try #require(shell.session.plan(ofPipeline: pipeline))
        return try shell.session.run(plan).table
    }

    /// 12,345.6 as the English charts write it.
    static func number(_ x: Double, _ decimals: Int = 0) -> String {
        let f = String(format: "%.\(decimals)f", abs(x))
        let parts = f.split(separator: ".")
        var whole = ""
        for (i, ch) in parts[0].enumerated() {
            if i > 0, (parts[0].count - i) % 3 == 0 { whole += "," }
            whole.append(ch)
        }
        return (x < 0 && f.contains(where: { $0 != "0" && $0 != "." }) ? "−" : "") + whole + (parts.count > 1 ? "." + parts[1] : "")
    }

    @Test func everyChartEqualsItsGoldenFile() throws {
        let (_, out) = try Self.shared.get()
        let made = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasSuffix(".svg") }.sorted()
        let update = ProcessInfo.processInfo.environment["NK_UPDATE_GOLDEN"] != nil
        if update {
            for f in made { try Data(contentsOf: out.appendingPathComponent(f)).write(to: Self.folder.appendingPathComponent(f)) }
        }
        let golden = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasSuffix(".svg") }.sorted()
        #expect(made == golden, "docs/charts holds charts the script does not draw, or misses some")
        #expect(made.count == 16)
        for f in made {
            let bytes = try Data(contentsOf: out.appendingPathComponent(f))
            #expect(bytes == (try? Data(contentsOf: Self.folder.appendingPathComponent(f))), "\(f) differs from docs/charts/\(f)")
            let svg = try SVGContent(bytes)
            #expect(!svg.title.isEmpty && !svg.desc.isEmpty, "\(f) needs a <title> and a <desc>")
            #expect(svg.texts.allSatisfy { ($0.fontSize ?? 0) >= 14 }, "\(f) has text under 14 px")
            #expect(!svg.texts.isEmpty)
        }
    }

    @Test func theSameDataGivesTheSameBytes() throws {
        let (shell, out) = try Self.shared.get()
        let again = out.appendingPathComponent("again.svg")
        #expect(shell.run("set lang = en\nsave (orders | segment rfm) to \"\(again.path)\"\nset lang = de", name: "again"))
        #expect(try Data(contentsOf: again) == Data(contentsOf: out.appendingPathComponent("rfm.svg")))
        try FileManager.default.removeItem(at: again)
    }

    @Test func barsWriteEachGroupsCountAndShare() throws {
        let svg = try Self.chart("segment")
        let t = try Self.table("customers | segment by status")
        #expect(svg.texts("label") == (0..<t.rowCount).map { t.columns[0][$0].description })
        #expect(svg.texts("value") == (0..<t.rowCount).map { "\(Self.number(t.columns[1][$0].doubleValue!)) (\(Self.number(t.columns[2][$0].doubleValue!, 1)) %)" })
    }

    @Test func lifecycleBarsAreTheClassTable() throws {
        for (name, labels) in [("lifecycle", ["active", "new", "reactivated", "lapsed"]), ("lifecycle-de", ["Aktivkunde", "Neukunde", "Reaktiviert", "Nullkunde"])] {
            let svg = try Self.chart(name)
            let t = try Self.table("orders | segment lifecycle | segment by class")
            #expect(svg.texts("label") == labels)
            // the session ends in German: its tables name the classes so
            let counts = Dictionary(uniqueKeysWithValues: (0..<t.rowCount).map { (t.columns[0][$0].description, t.columns[1][$0].doubleValue!) })
            let expected = ["Aktivkunde", "Neukunde", "Reaktiviert", "Nullkunde"].map { Self.number(counts[$0]!) }
            #expect(svg.texts("value") == expected)
        }
    }

    @Test func germanChartsWriteADecimalComma() throws {
        let svg = try Self.chart("segment-de")
        let t = try Self.table("customers | segment by industry agg round(avg(employees), 1) as mitarbeiter | sort mitarbeiter desc")
        let expected = (0..<t.rowCount).map { Self.number(t.columns[1][$0].doubleValue!, 1).replacingOccurrences(of: ".", with: ",") }
        #expect(svg.texts("value") == expected)
        #expect(svg.title == "mitarbeiter je industry")
    }

    @Test func cohortCellsAreTheTablesPercents() throws {
        let svg = try Self.chart("cohort")
        let t = try Self.table("orders | segment cohort per quarter")
        var expected: [String] = []
        for r in 0..<t.rowCount {
            for c in 2..<min(t.columnCount, 22) { if let v = t.columns[c][r].doubleValue { expected.append(String(Int(v.rounded()))) } }
        }
        #expect(svg.texts("value") == expected)
        #expect(svg.texts("note").contains("Shown: periods q0–q19 of \(t.columnCount - 2)."))
    }

    @Test func paretoMarksWhatClassABrings() throws {
        let svg = try Self.chart("pareto")
        let c = try Self.table("orders | segment pareto on revenue by customer_id | segment by class agg count() as n")
        let all = (0..<c.rowCount).reduce(0.0) { $0 + c.columns[1][$1].doubleValue! }
        let a = (0..<c.rowCount).first { c.columns[0][$0].description == "A" }.map { c.columns[1][$0].doubleValue! }!
        #expect(svg.texts("value").first?.hasPrefix("\(Self.number(a * 100 / all, 1)) % of the rows bring ") == true)
        #expect(svg.texts("label") == ["A", "B", "C"])
    }

    @Test func rfmCellsCountTheCustomers() throws {
        let svg = try Self.chart("rfm")
        let t = try Self.table("orders | segment rfm")
        var expected: [String] = []
        for r in stride(from: 5, through: 1, by: -1) {
            for f in 1...5 {
                expected.append(String((0..<t.rowCount).filter { t.column("r")![$0].doubleValue == Double(r) && t.column("f")![$0].doubleValue == Double(f) }.count))
            }
        }
        #expect(svg.texts("value") == expected)
    }

    @Test func waterfallStepsAreTheMarginTotals() throws {
        let svg = try Self.chart("value")
        let t = try Self.table("customers | join per_customer on customer_id | segment value")
        func total(_ c: String) -> Double { (0..<t.rowCount).reduce(0.0) { $0 + (t.column(c)![$1].doubleValue ?? 0) } }
        let revenue = total("revenue"), db1 = total("db1"), db2 = total("db2"), db3 = total("db3")
        let expected = [revenue, db1 - revenue, db1, db2 - db1, db2, db3 - db2, db3].map { Self.number($0) }
        #expect(svg.texts("value") == expected)
    }

    @Test func forestPlotRowsAreTheDistinctFindings() throws {
        let svg = try Self.chart("why-not")
        let (shell, _) = try Self.shared.get()
        let plan = try #require(shell.session.plan(ofPipeline: "customers | why-not status = \"lost\" by channel, industry, size, region"))
        let t = try #require(try shell.session.run(plan) as? WhyNotResult).analysis.distinct
        #expect(t.rowCount >= 2)
        #expect(svg.texts("label") == (0..<t.rowCount).map { t.column("pattern")![$0].description })
        let expected = (0..<t.rowCount).map { r in
            "\(Self.number(t.column("risk_ratio")![r].doubleValue!, 2)) (\(Self.number(t.column("rr_low")![r].doubleValue!, 2))–\(Self.number(t.column("rr_high")![r].doubleValue!, 2)))"
        }
        #expect(svg.texts("value") == expected)
    }

    @Test func compareShowsEveryValueAndBothMeans() throws {
        let svg = try Self.chart("compare")
        let channels = try Self.table("customers | segment by channel")
        #expect(Set(svg.texts("label")).isSuperset(of: (0..<channels.rowCount).map { channels.columns[0][$0].description }))
        #expect(svg.texts("heading").suffix(3) == ["channel", "size", "employees"])
        // each group's median, middle half and mean: type 7 percentiles of its values
        let employees = try Self.table("customers | select status, employees")
        var expected: [String] = []
        for lost in [true, false] {
            let x = (0..<employees.rowCount).filter { (employees.columns[0][$0].description == "lost") == lost }
                .compactMap { employees.columns[1][$0].doubleValue }.sorted()
            func q(_ p: Double) -> Double {
                let at = p * Double(x.count - 1), lower = Int(at.rounded(.down)), upper = min(lower + 1, x.count - 1)
                return x[lower] + (x[upper] - x[lower]) * (at - Double(lower))
            }
            func shown(_ v: Double) -> String { v == v.rounded() ? Self.number(v) : Self.number(v, 2) }
            let mean = x.reduce(0, +) / Double(x.count)
            expected.append("median \(shown(q(0.5))), middle half \(shown(q(0.25)))–\(shown(q(0.75))), mean \(Self.number(mean, 2))")
        }
        #expect(svg.texts("value") == expected)
    }

    @Test func histogramsCountEveryRowAndMarkTheCut() throws {
        for (name, pipeline) in [("persona", "customers | join per_customer on customer_id | segment value | segment persona"),
                                 ("clv", "orders | segment clv value revenue")] {
            let svg = try Self.chart(name)
            let rows = try Self.table(pipeline).rowCount
            let drawn = svg.texts("value").map { Int($0.replacingOccurrences(of: ",", with: ""))! }.reduce(0, +)
            #expect(drawn == rows, "\(name): the bars count \(drawn) of \(rows) rows")
            #expect(svg.texts("note").count == 1)
        }
        // each bin of the lookalike scores holds the scores in [start, end)
        let lookalike = try Self.chart("lookalike")
        let scores = try Self.table("customers | filter status = \"prospect\" | lookalike ranked like class = \"A\" on industry, size, region, employees")
        let values = (0..<scores.rowCount).compactMap { scores.column("lookalike_score")![$0].doubleValue }
        let bins = lookalike.elementTitles.filter { $0.contains("–") }
        #expect(bins.count >= 10)
        for bin in bins {
            let parts = bin.split(separator: ":")
            let range = parts[0].split(separator: "–").map { Double($0)! }
            let n = Int(parts[1].trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ""))!
            #expect(values.filter { $0 >= range[0] && $0 < range[1] }.count == n, "bin \(bin)")
        }
        let persona = try Self.table("customers | join per_customer on customer_id | segment value | segment persona | filter negative | count")
        #expect(try Self.chart("persona").texts("note") == ["negative from 2 points: \(persona.columns[0][0].description)"])
    }

    @Test func manyGroupsBecomeTheLargestAndOthers() throws {
        let svg = try Self.chart("many-groups")
        let t = try Self.table("orders | segment by customer_id | sort count desc")
        #expect(svg.texts("label").count == 20)
        #expect(svg.texts("label").last == "others (\(t.rowCount - 19) groups)")
        let rest = (19..<t.rowCount).reduce(0.0) { $0 + t.columns[1][$1].doubleValue! }
        #expect(svg.texts("value").last?.hasPrefix(Self.number(rest) + " (") == true)
        #expect(svg.texts("note") == ["The 19 largest of \(Self.number(Double(t.rowCount))) groups; the other \(t.rowCount - 19) are added up as “others”."])
    }

    @Test func noRowsIsAChartThatSaysSo() throws {
        let svg = try Self.chart("no-rows")
        #expect(svg.texts("note") == ["no rows"])
    }
}
