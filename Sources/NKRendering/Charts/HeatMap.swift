import Foundation

/// Cohort retention as a heat map: a row per cohort, a column per period since the first
/// purchase, each cell shaded by and labelled with the percent who bought in it. Too many
/// cohorts or periods for a projector: the latest cohorts and the first periods, said so.
struct HeatMap {
    var title: String
    var description: String
    var rows: [(label: String, size: Int?, cells: [Double?])]
    var columns: [String]
    var language: ChartLanguage
    var maxRows = 30
    var maxColumns = 20

    func svg() -> String {
        guard !rows.isEmpty, !columns.isEmpty else { return EmptyChart(title: title, language: language).svg() }
        var notes: [String] = []
        let shownRows = Array(rows.suffix(maxRows)), shownColumns = Array(columns.prefix(maxColumns))
        var cut: [String] = []
        if rows.count > maxRows {
            cut.append(language.say("the latest \(shownRows.count) of \(rows.count) cohorts", "die letzten \(shownRows.count) von \(rows.count) Kohorten"))
        }
        if columns.count > maxColumns {
            cut.append(language.say("periods \(shownColumns.first!)–\(shownColumns.last!) of \(columns.count)",
                                    "Perioden \(shownColumns.first!)–\(shownColumns.last!) von \(columns.count)"))
        }
        if !cut.isEmpty { notes.append(language.say("Shown: ", "Gezeigt: ") + cut.joined(separator: ", ") + ".") }
        notes.append(language.say("Percent of each cohort who bought in the period since their first purchase.",
                                  "Anteil jeder Kohorte in Prozent, der in der Periode seit dem ersten Kauf gekauft hat."))
        let top = ChartFrame.top(notes: notes.count) + 28
        let left = 190.0
        let cellWidth = max(44, min(72, (ChartStyle.width - left - 16) / Double(shownColumns.count)))
        let cellHeight = 30.0
        let width = max(ChartStyle.width, left + cellWidth * Double(shownColumns.count) + 16)
        var svg = SVG(width: width, height: top + cellHeight * Double(shownRows.count) + 24)
        ChartFrame.heading(&svg, title: title, notes: notes)
        for (j, c) in shownColumns.enumerated() {
            svg.text(c, x: left + (Double(j) + 0.5) * cellWidth, y: top - 8, size: ChartStyle.smallSize, anchor: .middle, role: "axis", fill: ChartStyle.muted)
        }
        svg.text(language.say("cohort (customers)", "Kohorte (Kunden)"), x: 16, y: top - 8, size: ChartStyle.smallSize, role: "axis", fill: ChartStyle.muted)
        for (i, row) in shownRows.enumerated() {
            let y = top + Double(i) * cellHeight
            let size = row.size.map { " (\(language.number(Double($0))))" } ?? ""
            svg.text(row.label + size, x: 16, y: y + 21, fit: 22)
            for j in 0..<shownColumns.count {
                guard j < row.cells.count, let v = row.cells[j], v.isFinite else { continue }
                let t = v / 100
                svg.rect(x: left + Double(j) * cellWidth, y: y, width: cellWidth - 2, height: cellHeight - 2, fill: ChartStyle.shade(t),
                         title: "\(row.label), \(shownColumns[j]): \(language.percent(v))")
                svg.text(language.number(v, decimals: 0), x: left + (Double(j) + 0.5) * cellWidth - 1, y: y + 20, size: ChartStyle.smallSize,
                         anchor: .middle, role: "value", fill: ChartStyle.ink(onShade: t))
            }
        }
        return svg.document(title: title, description: description)
    }
}

/// The ABC analysis as a cumulative share curve: rows ranked by the measure, largest first,
/// against the share of the measure they bring; the A, B and C bands shaded, and the point
/// where class A ends ("x % of the rows bring y %") marked.
struct LorenzChart {
    var title: String
    var description: String
    /// Cumulative share (percent) after each row, in rank order.
    var cumulative: [Double]
    /// The share of rows (percent) where classes A and B end, and what they bring.
    var bands: [(name: String, rowsEnd: Double, shareEnd: Double)]
    var measure: String
    var language: ChartLanguage

    func svg() -> String {
        guard !cumulative.isEmpty else { return EmptyChart(title: title, language: language).svg() }
        let top = ChartFrame.top(notes: 0) + 10, size = 440.0, left = 110.0
        var svg = SVG(width: ChartStyle.width, height: top + size + 80)
        ChartFrame.heading(&svg, title: title, notes: [])
        func x(_ share: Double) -> Double { left + share / 100 * size * 1.6 }
        func y(_ share: Double) -> Double { top + size - share / 100 * size }
        var start = 0.0
        for (i, band) in bands.enumerated() {
            svg.rect(x: x(start), y: top, width: x(band.rowsEnd) - x(start), height: size, fill: ["#e8f1f8", "#f3f3f3", "#fbf5e9"][i % 3])
            svg.text(band.name, x: (x(start) + x(band.rowsEnd)) / 2, y: top + size - 12, size: ChartStyle.textSize, anchor: .middle, role: "label", weight: "bold")
            start = band.rowsEnd
        }
        for t in stride(from: 0.0, through: 100, by: 20) {
            svg.line(x(0), y(t), x(100), y(t), stroke: ChartStyle.grid)
            svg.text(language.percent(t, decimals: 0), x: left - 8, y: y(t) + 5, size: ChartStyle.smallSize, anchor: .end, role: "axis", fill: ChartStyle.muted)
            svg.text(language.percent(t, decimals: 0), x: x(t), y: top + size + 22, size: ChartStyle.smallSize, anchor: .middle, role: "axis", fill: ChartStyle.muted)
        }
        svg.text(language.say("share of rows, largest \(measure) first", "Anteil der Zeilen, größter Wert von \(measure) zuerst"), x: x(50), y: top + size + 48,
                 size: ChartStyle.smallSize, anchor: .middle, role: "axis", fill: ChartStyle.muted)
        svg.text(language.say("cumulative share of \(measure)", "kumulierter Anteil von \(measure)"), x: 16, y: top - 10, size: ChartStyle.smallSize, role: "axis", fill: ChartStyle.muted)
        svg.path([(x(0), y(0)), (x(100), y(100))], stroke: ChartStyle.axis, width: 1.5, dash: "6 4")
        // at most 400 points: the curve's shape without a point per row
        let n = cumulative.count
        let step = max(1, n / 400)
        var points: [(Double, Double)] = [(x(0), y(0))]
        for i in stride(from: step - 1, to: n, by: step) { points.append((x(Double(i + 1) * 100 / Double(n)), y(cumulative[i]))) }
        if (n - 1) % step != step - 1 || points.count == 1 { points.append((x(100), y(cumulative[n - 1]))) }
        svg.path(points, stroke: ChartStyle.main, width: 3.5)
        if let a = bands.first {
            svg.line(x(a.rowsEnd), y(a.shareEnd), x(a.rowsEnd), y(0), stroke: ChartStyle.accent, width: 2, dash: "4 3")
            svg.line(x(0), y(a.shareEnd), x(a.rowsEnd), y(a.shareEnd), stroke: ChartStyle.accent, width: 2, dash: "4 3")
            svg.circle(x(a.rowsEnd), y(a.shareEnd), r: 7, fill: ChartStyle.accent, stroke: "#ffffff")
            let sentence = language.say("\(language.percent(a.rowsEnd)) of the rows bring \(language.percent(a.shareEnd))",
                                        "\(language.percent(a.rowsEnd)) der Zeilen bringen \(language.percent(a.shareEnd))")
            svg.text(sentence, x: x(a.rowsEnd) + 14, y: y(a.shareEnd) + 24, size: ChartStyle.textSize, role: "value", weight: "bold")
        }
        return svg.document(title: title, description: description)
    }
}
