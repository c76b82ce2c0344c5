import Foundation

/// Horizontal bars, one per group, with the value written at the end of each bar. Negative
/// values grow to the left of the zero line; a null value has no bar and says `null`.
/// More than `limit` groups: the largest are drawn, the rest become one "others" bar (their
/// total, for counts) or a sentence saying how many were not drawn.
struct BarChart {
    struct Bar {
        var label: String
        var value: Double?
        var colour: String = ChartStyle.main
        /// Its share of all rows in percent, written after the value.
        var share: Double? = nil
        /// The bar may run past the axis (the "others" of many groups): it is cut, and says so.
        var mayOverflow = false
    }

    var title: String
    var description: String
    var valueName: String
    var bars: [Bar]
    var language: ChartLanguage
    /// Largest first; false keeps the given order (days, years, classes).
    var sorted = true
    /// Values are counts: the groups not drawn are summed into "others".
    var additive = true
    var decimals: Int? = nil
    var limit = 20
    /// A sentence under the title (the rule the classes follow, what was left out).
    var note: String? = nil
    /// Groups already left out by the caller (who passed the largest alone): how many, their
    /// total and their summed share.
    var omitted: (count: Int, total: Double, share: Double?)? = nil

    func svg() -> String {
        guard !bars.isEmpty else { return EmptyChart(title: title, language: language).svg() }
        var shown = bars
        if sorted {
            shown = bars.enumerated().sorted { a, b in
                let x = a.element.value ?? -.infinity, y = b.element.value ?? -.infinity
                return x != y ? x > y : a.offset < b.offset
            }.map(\.element)
        }
        var notes = note.map { [$0] } ?? []
        var rest = omitted
        if rest == nil, shown.count > limit {
            let tail = shown[(limit - 1)...]
            rest = (tail.count, tail.reduce(0.0) { $0 + ($1.value ?? 0) },
                    tail.allSatisfy { $0.share != nil } ? tail.reduce(0.0) { $0 + ($1.share ?? 0) } : nil)
            shown = Array(shown.prefix(limit - 1))
        }
        if let rest {
            let restCount = language.number(Double(rest.count)), all = language.number(Double(shown.count + rest.count))
            let drawn = language.number(Double(shown.count))
            if additive {
                shown.append(Bar(label: language.say("others (\(restCount) groups)", "übrige (\(restCount) Gruppen)"), value: rest.total, colour: ChartStyle.others,
                                 share: rest.share, mayOverflow: true))
                notes.append(language.say("The \(drawn) largest of \(all) groups; the other \(restCount) are added up as “others”.",
                                          "Die \(drawn) größten von \(all) Gruppen; die übrigen \(restCount) sind als „übrige“ zusammengezählt."))
            } else {
                notes.append(language.say("The \(drawn) largest of \(all) groups; \(restCount) more are not drawn.",
                                          "Die \(drawn) größten von \(all) Gruppen; \(restCount) weitere sind nicht gezeichnet."))
            }
        }
        let values = shown.filter { !$0.mayOverflow }.compactMap(\.value).filter(\.isFinite)
        let low = min(0, values.min() ?? 0), high = max(0, values.max() ?? 0)
        let decimals = self.decimals ?? values.map { CellFormatter.fractionDigits($0) }.max().map { min($0, 2) } ?? 0
        let labelWidth = min(300, max(80, shown.map { ChartStyle.textWidth(ChartStyle.cut($0.label, to: 32)) }.max() ?? 80)) + 16
        let valueRoom = ChartStyle.textWidth(language.number(-abs(high != 0 ? high : low) * 10, decimals: decimals)) + 12
            + (shown.contains { $0.share != nil } ? ChartStyle.textWidth(" (100.0 %)") : 0)
        let top = ChartFrame.top(notes: notes.count), rowHeight = 32.0
        let height = top + Double(shown.count) * rowHeight + 56
        var svg = SVG(width: ChartStyle.width, height: height)
        ChartFrame.heading(&svg, title: title, notes: notes)
        let plotLeft = labelWidth + (low < 0 ? valueRoom : 0), plotRight = ChartStyle.width - valueRoom - 16
        let span = high - low == 0 ? 1 : high - low
        func x(_ v: Double) -> Double { plotLeft + (v - low) / span * (plotRight - plotLeft) }
        let ticks = niceTicks(low, high == low ? low + 1 : high)
        let axisY = top + Double(shown.count) * rowHeight + 8
        for t in ticks where t >= low && t <= max(high, low + 1) {
            svg.line(x(t), top - 4, x(t), axisY, stroke: ChartStyle.grid)
            svg.text(language.number(t, decimals: tickDecimals(ticks)), x: x(t), y: axisY + 20, size: ChartStyle.smallSize, anchor: .middle, role: "axis", fill: ChartStyle.muted)
        }
        svg.text(valueName, x: plotRight, y: axisY + 42, size: ChartStyle.smallSize, anchor: .end, role: "axis", fill: ChartStyle.muted)
        for (i, bar) in shown.enumerated() {
            let y = top + Double(i) * rowHeight
            svg.text(bar.label, x: labelWidth - 10, y: y + 21, anchor: .end, fit: 32)
            guard let v = bar.value, v.isFinite else {
                svg.text("null", x: x(0) + 6, y: y + 21, role: "value", fill: ChartStyle.muted)
                continue
            }
            let from = x(max(low, min(0, v))), to = x(min(high, max(0, v)))
            let label = language.number(v, decimals: decimals) + (bar.share.map { " (\(language.percent($0)))" } ?? "")
            svg.rect(x: from, y: y + 5, width: to - from, height: rowHeight - 10, fill: bar.colour, title: "\(bar.label): \(label)")
            if v > high || v < low {
                // cut: two white slashes across the end of the bar
                let at = v > high ? to - 18 : from + 10
                for dx in [0.0, 7.0] { svg.line(at + dx, y + 30, at + dx + 8, y + 2, stroke: "#ffffff", width: 3) }
            }
            if v < 0 {
                svg.text(label, x: from - 6, y: y + 21, anchor: .end, role: "value")
            } else {
                svg.text(label, x: to + 6, y: y + 21, role: "value")
            }
        }
        svg.line(x(0), top - 4, x(0), axisY, stroke: ChartStyle.axis, width: 1.5)
        return svg.document(title: title, description: description)
    }
}

/// The title and the sentences above a chart.
enum ChartFrame {
    /// Where the plot starts below a title and `notes` lines.
    static func top(notes: Int) -> Double { 56 + Double(notes) * 24 }

    static func heading(_ svg: inout SVG, title: String, notes: [String]) {
        svg.text(title, x: 16, y: 34, size: ChartStyle.titleSize, role: "heading", weight: "bold", fit: 70)
        for (i, note) in notes.enumerated() {
            svg.text(note, x: 16, y: 60 + Double(i) * 24, size: ChartStyle.smallSize, role: "note", fill: ChartStyle.muted, fit: 112)
        }
    }
}

/// A chart for a result without rows: it says so, in the chart's place.
struct EmptyChart {
    var title: String
    var language: ChartLanguage
    var message: String? = nil

    func svg() -> String {
        var svg = SVG(width: ChartStyle.width, height: 200)
        ChartFrame.heading(&svg, title: title, notes: [])
        let text = message ?? language.say("no rows", "keine Zeilen")
        svg.rect(x: 16, y: 60, width: ChartStyle.width - 32, height: 120, fill: "#f5f5f5", stroke: ChartStyle.grid)
        svg.text(text, x: ChartStyle.width / 2, y: 128, size: ChartStyle.titleSize, anchor: .middle, role: "note", fill: ChartStyle.muted)
        return svg.document(title: title, description: text)
    }
}
