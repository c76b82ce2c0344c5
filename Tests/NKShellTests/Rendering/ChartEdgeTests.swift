import Foundation
import NKShell
import NKTestSupport
import Testing

/// Charts of awkward results: one row, 500 groups, nulls, negative margins, very long labels,
/// no rows, and a table with nothing to draw.
@Suite struct ChartEdgeTests {
    /// A shell with `t` loaded from the CSV text, saving into a fresh folder.
    static func shell(_ csv: String) throws -> (ShellSession, URL, () -> String) {
        let folder = try TestPaths.temporaryDirectory()
        try csv.write(to: folder.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        var said = ""
        let shell = ShellSession(out: { said += $0 }, err: { said += $0 })
        #expect(shell.run("load \"t.csv\"", name: "setup", baseDirectory: folder.path))
        return (shell, folder, { defer { said = "" }; return said })
    }

    static func draw(_ shell: ShellSession, _ folder: URL, _ pipeline: String, _ name: String = "c") throws -> SVGContent {
        let ok = shell.run("save (\(pipeline)) to \"\(name).svg\" overwrite", name: "t.nk", baseDirectory: folder.path)
        #expect(ok)
        return try SVGContent(Data(contentsOf: folder.appendingPathComponent(name + ".svg")))
    }

    @Test func oneRowIsOneBar() throws {
        let (shell, folder, _) = try Self.shell("k,v\na,3\n")
        let svg = try Self.draw(shell, folder, "t | segment by k agg sum(v) as v")
        #expect(svg.texts("label") == ["a"])
        #expect(svg.texts("value") == ["3"])
        #expect(svg.elements.filter { $0.name == "rect" && $0.attributes["fill"] == "#0072B2" }.count == 1)
    }

    @Test func hugeNumbersCloseTogetherStillGetAnAxis() throws {
        // found by the charts fuzz target: ticks were counted up by adding the step from a
        // first tick below the lowest value, which for -1.797e308 was -2e308, that is -∞, and
        // -∞ plus a step stays -∞ for ever
        for (a, b) in [("-1.7976931317370825e308", "1e-300"), ("100000000000000000000", "100000000000000100000"),
                       ("-1e300", "1e300"), ("1e-320", "2e-320"),
                       ("9007199254740993", "9007199254740994")] {
            let (shell, folder, _) = try Self.shell("k,v\nx,\(a)\ny,\(b)\n")
            let svg = try Self.draw(shell, folder, "t | segment by k agg sum(v) as v")
            #expect(svg.texts("label") == ["y", "x"] || svg.texts("label") == ["x", "y"], "\(a) \(b)")
        }
    }

    @Test func fiveHundredGroupsAreTheLargestAndTheRestSaidSo() throws {
        var csv = "k,v\n"
        for i in 0..<500 { csv += "g\(i),\(i + 1)\n" }
        let (shell, folder, _) = try Self.shell(csv)
        let svg = try Self.draw(shell, folder, "t | segment by k agg sum(v) as v")
        #expect(svg.texts("label").count == 20)
        #expect(Array(svg.texts("label").prefix(2)) == ["g499", "g498"])
        #expect(svg.texts("label").last == "others (481 groups)")
        // 1 + 2 + … + 481
        #expect(svg.texts("value").last == "115,921")
        #expect(svg.texts("note") == ["The 19 largest of 500 groups; the other 481 are added up as “others”."])
        // averages are not added up: the rest is said, not drawn
        let mean = try Self.draw(shell, folder, "t | segment by k agg avg(v) as v", "mean")
        #expect(mean.texts("label").count == 19)
        #expect(mean.texts("note") == ["The 19 largest of 500 groups; 481 more are not drawn."])
    }

    @Test func nullsAreNamedNotDropped() throws {
        let (shell, folder, _) = try Self.shell("k,v\na,1\n,2\nb,\n")
        let svg = try Self.draw(shell, folder, "t | segment by k agg sum(v) as v")
        #expect(Set(svg.texts("label")) == ["a", "null", "b"])
        #expect(svg.texts("value").contains("null"))
    }

    @Test func aNegativeMarginFallsBelowTheLine() throws {
        let (shell, folder, _) = try Self.shell("c,revenue,cost,service\nx,100,80,70\ny,50,10,5\n")
        let svg = try Self.draw(shell, folder, "t | segment value revenue revenue cost cost service service")
        // revenue 150, − cost −90, DB I 60, − service −75, DB II −15, DB III −15
        #expect(svg.texts("value") == ["150", "−90", "60", "−75", "−15", "−15"])
        let bars = svg.elements.filter { $0.name == "rect" && $0.attributes["fill"] == "#D55E00" }
        #expect(bars.count == 2, "DB II and DB III are drawn as negative totals")
        let zero = svg.elements.last { $0.name == "line" && $0.attributes["stroke-width"] == "1.5" }!
        for bar in bars { #expect(Double(bar.attributes["y"]!)! >= Double(zero.attributes["y1"]!)! - 0.1) }
    }

    @Test func aLongLabelIsCutAndWholeInItsTitle() throws {
        let long = String(repeating: "Sehr lange Branchenbezeichnung ", count: 3).trimmingCharacters(in: .whitespaces)
        let (shell, folder, _) = try Self.shell("k,v\n\"\(long)\",1\nkurz,2\n")
        let svg = try Self.draw(shell, folder, "t | segment by k agg sum(v) as v")
        let cut = svg.texts.first { $0.role == "label" && $0.title != nil }!
        #expect(cut.content.hasSuffix("…") && cut.content.count == 32)
        #expect(cut.title == long)
    }

    @Test func aTableOverDaysIsALinePerNumberColumn() throws {
        let (shell, folder, _) = try Self.shell("d,a,b\n2024-01-31,1,5\n2024-02-29,2,4\n2024-03-31,3,\n")
        let svg = try Self.draw(shell, folder, "t")
        #expect(svg.title == "a, b by d")
        // each line named at its end with its last value, the upper one first
        #expect(svg.texts("label") == ["b 4", "a 3"])
        #expect(svg.elements.filter { $0.name == "path" }.count == 2)
    }

    @Test func anEmptyResultSaysNoRows() throws {
        let (shell, folder, _) = try Self.shell("k,v\na,1\n")
        for pipeline in ["t | filter v > 5 | segment by k", "t | filter v > 5 | segment pareto on v", "t | filter v > 5"] {
            let svg = try Self.draw(shell, folder, pipeline)
            #expect(svg.texts("note") == ["no rows"], "\(pipeline)")
        }
    }

    @Test func aTableWithoutNumbersIsAnErrorThatSaysWhat() throws {
        let (shell, folder, said) = try Self.shell("k,w\na,x\n")
        _ = said()
        #expect(!shell.run("save t to \"c.svg\"", name: "t.nk", baseDirectory: folder.path))
        #expect(said().contains("t.nk:1:11: error: nothing to draw: the result has no column of numbers"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("c.svg").path))
    }

    @Test func aChartNkDidNotWriteIsKept() throws {
        let (shell, folder, said) = try Self.shell("k,v\na,1\n")
        let target = folder.appendingPathComponent("kept.svg")
        try "<svg/>".write(to: target, atomically: true, encoding: .utf8)
        _ = said()
        #expect(!shell.run("save (t | segment by k) to \"kept.svg\"", name: "t.nk", baseDirectory: folder.path))
        #expect(said().contains("kept.svg exists, and nk did not write it in this session"))
        #expect(try String(contentsOf: target, encoding: .utf8) == "<svg/>")
    }
}
