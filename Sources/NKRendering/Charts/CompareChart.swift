import Foundation
import NKAnalysis
import NKEngine

/// `compare` as one chart with a panel per column. A categorical column: each value's share in
/// both groups as a pair of marks (a filled circle for the first group, an open square for the
/// second) with their 95 % intervals. A numeric column: a box per group from the 25th to the
/// 75th percentile with its median, whiskers from the 5th to the 95th, and the mean marked.
struct CompareChart {
    var title: String
    var description: String
    /// Each column's first detail table.
    var panels: [(column: String, table: Table)]
    /// Per numeric column, each group's spread (``Compare/Spread``).
    var spreads: [String: [Compare.Spread?]] = [:]
    var language: ChartLanguage
    var maxValues = 12

    static let left = 250.0, right = ChartStyle.width - 40, rowHeight = 30.0

    func svg() -> String {
        let drawable = panels.filter { CompareChart.isCategorical($0.table) || CompareChart.isNumeric($0.table) }
        guard !drawable.isEmpty else { return EmptyChart(title: title, language: language).svg() }
        let groups = CompareChart.groups(drawable[0].table)
        let top = ChartFrame.top(notes: 2)
        var heights: [Double] = []
        for p in drawable { heights.append(56 + CompareChart.rowHeight * Double(min(p.table.rowCount, maxValues)) + 40) }
        var svg = SVG(width: ChartStyle.width, height: top + heights.reduce(0, +) + 10)
        ChartFrame.heading(&svg, title: title, notes: ["● \(groups.0)    □ \(groups.1)", language.say(
            "Shares with their 95 % interval; numbers: the box holds the middle half, | the median, the whiskers reach the 5th and 95th percentile.",
            "Anteile mit 95-%-Intervall; Zahlen: der Kasten fasst die mittlere Hälfte, | den Median, die Linie reicht vom 5. zum 95. Perzentil.")])
        var y = top
        for (i, p) in drawable.enumerated() {
            svg.text(p.column, x: 16, y: y + 28, size: ChartStyle.textSize + 2, role: "heading", weight: "bold")
            if CompareChart.isCategorical(p.table) {
                categorical(&svg, p.table, at: y + 44, groups: groups)
            } else {
                numeric(&svg, p.table, spread: spreads[p.column] ?? [], at: y + 44)
            }
            y += heights[i]
        }
        return svg.document(title: title, description: description)
    }

    static func isCategorical(_ t: Table) -> Bool { t.column("value") != nil && t.columnCount >= 9 }
    static func isNumeric(_ t: Table) -> Bool { t.column("group") != nil && t.column("mean") != nil && t.column("sd") != nil }

    /// The two groups' names, from a detail table's columns or rows.
    static func groups(_ t: Table) -> (String, String) {
        if isNumeric(t), t.rowCount == 2, let g = t.column("group") { return (g[0].description, g[1].description) }
        let shares = t.names.filter { $0.hasPrefix("share_") }.map { String($0.dropFirst(6)) }
        return (shares.first ?? "A", shares.dropFirst().first ?? "B")
    }

    func axis(_ svg: inout SVG, ticks: [Double], x: (Double) -> Double, from y0: Double, to y1: Double, percent: Bool) {
        for t in ticks {
            svg.line(x(t), y0 - 4, x(t), y1, stroke: ChartStyle.grid)
            let label = percent ? language.percent(t, decimals: 0) : language.number(t, decimals: tickDecimals(ticks))
            svg.text(label, x: x(t), y: y1 + 20, size: ChartStyle.smallSize, anchor: .middle, role: "axis", fill: ChartStyle.muted)
        }
    }

    func categorical(_ svg: inout SVG, _ t: Table, at top: Double, groups: (String, String)) {
        let n = min(t.rowCount, maxValues)
        let cols = t.names
        let value = t.column("value")!
        let share = [t.column(cols[2])!, t.column(cols[6])!], low = [t.column(cols[3])!, t.column(cols[7])!], high = [t.column(cols[4])!, t.column(cols[8])!]
        var highest = 0.0
        for r in 0..<n { for g in 0..<2 { highest = max(highest, high[g][r].doubleValue ?? 0, share[g][r].doubleValue ?? 0) } }
        let ticks = coveringTicks(0, max(highest, 5))
        let xHigh = ticks.last ?? 100
        func x(_ v: Double) -> Double { CompareChart.left + v / xHigh * (CompareChart.right - CompareChart.left) }
        let bottom = top + CompareChart.rowHeight * Double(n)
        axis(&svg, ticks: ticks, x: x, from: top, to: bottom, percent: true)
        for r in 0..<n {
            let y = top + (Double(r) + 0.5) * CompareChart.rowHeight
            svg.text(value[r].description, x: CompareChart.left - 12, y: y + 5, anchor: .end, fit: 24)
            for g in 0..<2 {
                let dy = g == 0 ? -5.0 : 5.0
                if let lo = low[g][r].doubleValue, let hi = high[g][r].doubleValue {
                    svg.line(x(lo), y + dy, x(hi), y + dy, stroke: ChartStyle.colour(g), width: 2)
                }
                guard let s = share[g][r].doubleValue else { continue }
                let label = "\(value[r].description), \(g == 0 ? groups.0 : groups.1): \(language.percent(s))"
                if g == 0 {
                    svg.circle(x(s), y + dy, r: 6, fill: ChartStyle.colour(0), title: label)
                } else {
                    svg.rect(x: x(s) - 5, y: y + dy - 5, width: 10, height: 10, fill: "#ffffff", stroke: ChartStyle.colour(1),
                             strokeWidth: 2.5, title: label)
                }
            }
        }
        if t.rowCount > n {
            svg.text(language.say("\(t.rowCount - n) more values not drawn", "\(t.rowCount - n) weitere Werte nicht gezeichnet"), x: CompareChart.left, y: bottom + 38,
                     size: ChartStyle.smallSize, role: "note", fill: ChartStyle.muted)
        }
    }

    func numeric(_ svg: inout SVG, _ t: Table, spread: [Compare.Spread?], at top: Double) {
        let group = t.column("group")!, mean = t.column("mean")!
        var lo = Double.infinity, hi = -Double.infinity
        for r in 0..<t.rowCount {
            var values = [mean[r].doubleValue ?? .nan]
            if r < spread.count, let s = spread[r] { values += [s.p5, s.p95] }
            for v in values where v.isFinite { lo = min(lo, v); hi = max(hi, v) }
        }
        if !lo.isFinite { lo = 0; hi = 1 }
        if hi == lo { hi = lo + 1 }
        let ticks = coveringTicks(lo, hi)
        let xLow = min(lo, ticks.first ?? lo), xHigh = max(hi, ticks.last ?? hi)
        // the numbers go in a column of their own at the right
        let right = CompareChart.right - 330
        func x(_ v: Double) -> Double { CompareChart.left + (v - xLow) / (xHigh - xLow) * (right - CompareChart.left) }
        let bottom = top + CompareChart.rowHeight * Double(t.rowCount)
        axis(&svg, ticks: ticks, x: x, from: top, to: bottom, percent: false)
        for r in 0..<t.rowCount {
            let y = top + (Double(r) + 0.5) * CompareChart.rowHeight
            let name = group[r].description
            svg.text(name, x: CompareChart.left - 12, y: y + 5, anchor: .end, fit: 24)
            var words: [String] = []
            if r < spread.count, let s = spread[r] {
                // whiskers from the 5th to the 95th percentile, the box from the 25th to the 75th
                svg.line(x(s.p5), y, x(s.p95), y, stroke: ChartStyle.colour(r), width: 2)
                for end in [s.p5, s.p95] { svg.line(x(end), y - 6, x(end), y + 6, stroke: ChartStyle.colour(r), width: 2) }
                svg.rect(x: x(s.q1), y: y - 10, width: x(s.q3) - x(s.q1), height: 20, fill: "#ffffff", stroke: ChartStyle.colour(r), strokeWidth: 2.5,
                         title: "\(name): " + language.say("middle half", "mittlere Hälfte") + " \(language.auto(s.q1))–\(language.auto(s.q3))")
                svg.line(x(s.median), y - 10, x(s.median), y + 10, stroke: ChartStyle.ink, width: 3)
                words.append(language.say("median", "Median") + " " + language.auto(s.median))
                words.append(language.say("middle half", "mittlere Hälfte") + " " + language.auto(s.q1) + "–" + language.auto(s.q3))
            }
            if let m = mean[r].doubleValue {
                let title = "\(name): " + language.say("mean", "Mittel") + " " + language.auto(m)
                if r == 0 {
                    svg.circle(x(m), y, r: 5, fill: ChartStyle.colour(0), title: title)
                } else {
                    svg.rect(x: x(m) - 5, y: y - 5, width: 10, height: 10, fill: "#ffffff", stroke: ChartStyle.colour(1), strokeWidth: 2.5, title: title)
                }
                words.append(language.say("mean", "Mittel") + " " + language.auto(m))
            }
            svg.text(words.joined(separator: ", "), x: CompareChart.right, y: y + 5, size: ChartStyle.smallSize, anchor: .end, role: "value")
        }
    }
}
