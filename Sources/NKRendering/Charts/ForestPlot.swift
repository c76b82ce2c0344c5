import Foundation

/// Why-not's findings as a forest plot: each pattern's risk ratio with its 95 % interval on a
/// log axis, the line at 1 (no difference), and the numbers written beside each row.
struct ForestPlot {
    struct Row {
        var label: String
        var ratio: Double
        var low: Double
        var high: Double
    }

    var title: String
    var description: String
    var rows: [Row]
    var language: ChartLanguage
    var empty: String
    var limit = 20

    func svg() -> String {
        guard !rows.isEmpty else { return EmptyChart(title: title, language: language, message: empty).svg() }
        let shown = Array(rows.prefix(limit))
        var notes = [language.say("Risk ratio with its 95 % interval (log scale); 1 = as likely as the rest.",
                                  "Risikoverhältnis mit 95-%-Intervall (logarithmisch); 1 = so wahrscheinlich wie der Rest.")]
        if rows.count > limit {
            notes.append(language.say("The first \(limit) of \(rows.count) patterns.", "Die ersten \(limit) von \(rows.count) Mustern."))
        }
        let finite = shown.flatMap { [$0.low, $0.high, $0.ratio] }.filter { $0.isFinite && $0 > 0 }
        let lo = min(0.8, finite.min() ?? 1), hi = max(1.25, finite.max() ?? 1)
        let logLow = log2(lo) - 0.15, logHigh = log2(hi) + 0.15
        let top = ChartFrame.top(notes: notes.count) + 8, rowHeight = 36.0
        let labelWidth = min(440, max(140, shown.map { ChartStyle.textWidth(ChartStyle.cut($0.label, to: 46)) }.max() ?? 140)) + 24
        let right = ChartStyle.width - 170
        var svg = SVG(width: ChartStyle.width, height: top + rowHeight * Double(shown.count) + 70)
        ChartFrame.heading(&svg, title: title, notes: notes)
        func x(_ v: Double) -> Double { labelWidth + (log2(max(v, 1e-9)) - logLow) / (logHigh - logLow) * (right - labelWidth) }
        let bottom = top + rowHeight * Double(shown.count)
        var ticks: [Double] = []
        var t = pow(2, floor(logLow))
        while t <= pow(2, logHigh) { if t >= pow(2, logLow) { ticks.append(t) }; t *= 2 }
        for t in ticks {
            svg.line(x(t), top, x(t), bottom, stroke: ChartStyle.grid)
            svg.text(language.auto(t), x: x(t), y: bottom + 22, size: ChartStyle.smallSize, anchor: .middle, role: "axis", fill: ChartStyle.muted)
        }
        svg.line(x(1), top - 6, x(1), bottom + 4, stroke: ChartStyle.ink, width: 2)
        svg.text(language.say("risk ratio", "Risikoverhältnis"), x: (labelWidth + right) / 2, y: bottom + 46, size: ChartStyle.smallSize, anchor: .middle, role: "axis", fill: ChartStyle.muted)
        svg.text(language.say("ratio (95 % CI)", "Verhältnis (95 %)"), x: right + 12, y: top - 8, size: ChartStyle.smallSize, role: "axis", fill: ChartStyle.muted)
        for (i, row) in shown.enumerated() {
            let y = top + (Double(i) + 0.5) * rowHeight
            svg.text(row.label, x: labelWidth - 12, y: y + 5, anchor: .end, fit: 46)
            if row.low.isFinite, row.high.isFinite, row.low > 0 {
                svg.line(x(row.low), y, x(min(row.high, pow(2, logHigh))), y, stroke: ChartStyle.main, width: 3)
                svg.line(x(row.low), y - 7, x(row.low), y + 7, stroke: ChartStyle.main, width: 2)
                svg.line(x(row.high), y - 7, x(row.high), y + 7, stroke: ChartStyle.main, width: 2)
            }
            if row.ratio.isFinite, row.ratio > 0 {
                svg.rect(x: x(row.ratio) - 7, y: y - 7, width: 14, height: 14, fill: ChartStyle.main,
                         title: "\(row.label): \(language.number(row.ratio, decimals: 2))")
            }
            svg.text("\(language.number(row.ratio, decimals: 2)) (\(language.number(row.low, decimals: 2))–\(language.number(row.high, decimals: 2)))",
                     x: right + 12, y: y + 5, size: ChartStyle.smallSize, role: "value")
        }
        return svg.document(title: title, description: description)
    }
}
