import Foundation
import NKAnalysis

/// The RFM grid: R score (rows, 5 at the top) by F score (columns), each cell shaded by and
/// labelled with its customers; the segments are regions with a heavy border and their name.
struct RFMGrid {
    var title: String
    var description: String
    /// `counts[r − 1][f − 1]`: customers with that R and F score.
    var counts: [[Int]]
    var language: ChartLanguage
    var labelLanguage: LabelLanguage

    func svg() -> String {
        let total = counts.joined().reduce(0, +)
        guard total > 0 else { return EmptyChart(title: title, language: language).svg() }
        let notes = [language.say("Customers per R and F score (5 = most recent, most frequent); bold lines bound the segments.",
                                  "Kunden je R- und F-Wert (5 = zuletzt, am häufigsten); fette Linien umgrenzen die Segmente.")]
        let top = ChartFrame.top(notes: notes.count) + 10, cell = 118.0, left = 200.0
        var svg = SVG(width: ChartStyle.width, height: top + cell * 5 + 70)
        ChartFrame.heading(&svg, title: title, notes: notes)
        let largest = Double(counts.joined().max() ?? 1)
        func origin(_ row: Int, _ column: Int) -> (Double, Double) { (left + Double(column) * cell, top + Double(row) * cell) }
        for row in 0..<5 {
            let r = 5 - row
            svg.text("R \(r)", x: left - 12, y: top + (Double(row) + 0.5) * cell + 6, anchor: .end, role: "axis", fill: ChartStyle.muted)
            for column in 0..<5 {
                let n = counts[r - 1][column]
                let (x, y) = origin(row, column)
                let t = largest == 0 ? 0 : Double(n) / largest * 0.85
                let segment = RFM.grid[row][column].label(labelLanguage)
                svg.rect(x: x, y: y, width: cell, height: cell, fill: ChartStyle.shade(t), stroke: "#ffffff",
                         title: "R \(r), F \(column + 1): \(language.number(Double(n))) (\(segment))")
                svg.text(language.number(Double(n)), x: x + cell / 2, y: y + cell / 2 - 6, size: ChartStyle.textSize + 2, anchor: .middle,
                         role: "value", weight: "bold", fill: ChartStyle.ink(onShade: t))
            }
        }
        for column in 0..<5 {
            svg.text("F \(column + 1)", x: left + (Double(column) + 0.5) * cell, y: top + 5 * cell + 24, anchor: .middle, role: "axis", fill: ChartStyle.muted)
        }
        svg.text(language.say("F: frequency score →", "F: Häufigkeit →"), x: left + 2.5 * cell, y: top + 5 * cell + 50, size: ChartStyle.smallSize,
                 anchor: .middle, role: "axis", fill: ChartStyle.muted)
        svg.text(language.say("R: recency ↑", "R: Aktualität ↑"), x: 16, y: top - 8, size: ChartStyle.smallSize, role: "axis", fill: ChartStyle.muted)
        // the borders between cells of different segments
        for row in 0..<5 {
            for column in 0..<5 {
                let (x, y) = origin(row, column)
                if column < 4, RFM.grid[row][column] != RFM.grid[row][column + 1] { svg.line(x + cell, y, x + cell, y + cell, stroke: ChartStyle.ink, width: 3) }
                if row < 4, RFM.grid[row][column] != RFM.grid[row + 1][column] { svg.line(x, y + cell, x + cell, y + cell, stroke: ChartStyle.ink, width: 3) }
            }
        }
        svg.rect(x: left, y: top, width: cell * 5, height: cell * 5, fill: "none", stroke: ChartStyle.ink, strokeWidth: 3)
        // each segment's name once, in the cell nearest the middle of its region
        for segment in RFM.Segment.allCases {
            let cells = (0..<25).map { ($0 / 5, $0 % 5) }.filter { RFM.grid[$0.0][$0.1] == segment }
            guard !cells.isEmpty else { continue }
            let mr = Double(cells.map(\.0).reduce(0, +)) / Double(cells.count), mc = Double(cells.map(\.1).reduce(0, +)) / Double(cells.count)
            let home = cells.min { a, b in
                let da = pow(Double(a.0) - mr, 2) + pow(Double(a.1) - mc, 2), db = pow(Double(b.0) - mr, 2) + pow(Double(b.1) - mc, 2)
                return da != db ? da < db : (a.0, a.1) < (b.0, b.1)
            }!
            let (x, y) = origin(home.0, home.1)
            let n = counts[4 - home.0][home.1]
            let t = largest == 0 ? 0 : Double(n) / largest * 0.85
            let lines = ChartStyle.wrap(segment.label(labelLanguage), width: 14)
            for (k, line) in lines.enumerated() {
                svg.text(line, x: x + cell / 2, y: y + cell - 10 - Double(lines.count - 1 - k) * 17, size: ChartStyle.smallSize, anchor: .middle,
                         role: "label", fill: ChartStyle.ink(onShade: t))
            }
        }
        return svg.document(title: title, description: description)
    }
}

/// The contribution margin as a waterfall: revenue, each cost taken away as a falling step,
/// and the margins DB I, II and III as bars from zero; a negative margin goes below the line.
struct Waterfall {
    struct Step {
        var label: String
        var amount: Double
        /// A total (a bar from zero) rather than a change.
        var total: Bool
    }

    var title: String
    var description: String
    var steps: [Step]
    var language: ChartLanguage

    func svg() -> String {
        guard !steps.isEmpty else { return EmptyChart(title: title, language: language).svg() }
        var level = 0.0
        var spans: [(from: Double, to: Double)] = []
        for s in steps {
            if s.total { spans.append((0, s.amount)); level = s.amount } else { spans.append((level, level + s.amount)); level += s.amount }
        }
        let values = spans.flatMap { [$0.from, $0.to] }
        let low = min(0, values.min()!), high = max(0, values.max()!)
        let ticks = niceTicks(low, high == low ? low + 1 : high)
        let yLow = min(low, ticks.first ?? low), yHigh = max(high, ticks.last ?? high)
        let top = ChartFrame.top(notes: 0) + 16, plotHeight = 420.0, left = 130.0
        let columnWidth = (ChartStyle.width - left - 20) / Double(steps.count)
        var svg = SVG(width: ChartStyle.width, height: top + plotHeight + 70)
        ChartFrame.heading(&svg, title: title, notes: [])
        func y(_ v: Double) -> Double { top + plotHeight - (v - yLow) / (yHigh - yLow == 0 ? 1 : yHigh - yLow) * plotHeight }
        for t in ticks {
            svg.line(left, y(t), ChartStyle.width - 20, y(t), stroke: ChartStyle.grid)
            svg.text(language.number(t, decimals: tickDecimals(ticks)), x: left - 8, y: y(t) + 5, size: ChartStyle.smallSize, anchor: .end, role: "axis", fill: ChartStyle.muted)
        }
        for (i, s) in steps.enumerated() {
            let span = spans[i]
            let x = left + Double(i) * columnWidth + 10
            let fill = s.total ? (s.amount < 0 ? ChartStyle.accent : ChartStyle.main) : ChartStyle.palette[1]
            svg.rect(x: x, y: y(max(span.from, span.to)), width: columnWidth - 20, height: abs(y(span.from) - y(span.to)), fill: fill,
                     title: "\(s.label): \(language.number(s.amount, decimals: 0))")
            if i + 1 < steps.count {
                svg.line(x + columnWidth - 20, y(span.to), x + columnWidth, y(span.to), stroke: ChartStyle.axis, dash: "3 3")
            }
            let amount = (s.total || s.amount >= 0 ? "" : "") + language.number(s.amount, decimals: 0)
            let above = s.amount >= 0 || !s.total
            svg.text(amount, x: x + (columnWidth - 20) / 2, y: above ? y(max(span.from, span.to)) - 8 : y(min(span.from, span.to)) + 20,
                     size: ChartStyle.smallSize, anchor: .middle, role: "value", weight: s.total ? "bold" : nil)
            // a long name on two lines, broken at its last underscore or space that fits
            let fit = Int(columnWidth / 8.2)
            var lines = [s.label]
            if s.label.count > fit, let cut = s.label.prefix(fit).lastIndex(where: { $0 == "_" || $0 == " " }) {
                lines = [String(s.label[...cut]), String(s.label[s.label.index(after: cut)...])]
            }
            for (k, line) in lines.enumerated() {
                svg.text(line, x: x + (columnWidth - 20) / 2, y: top + plotHeight + 24 + Double(k) * 18, size: ChartStyle.smallSize, anchor: .middle,
                         role: "label", fit: fit)
            }
        }
        svg.line(left, y(0), ChartStyle.width - 20, y(0), stroke: ChartStyle.ink, width: 1.5)
        return svg.document(title: title, description: description)
    }
}
