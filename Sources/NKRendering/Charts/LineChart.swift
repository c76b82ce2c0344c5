import Foundation
import NKEngine

/// One line per series over days (or over the rows' order), each named at its end with its
/// last value; lines differ by dash as well as colour.
struct LineChart {
    struct Series {
        var name: String
        var values: [Double?]
    }

    var title: String
    var description: String
    /// Day numbers (days since 1970-01-01) of the points, or nil to space them evenly.
    var days: [Int]?
    /// Labels of the points when there are no days.
    var labels: [String]
    var series: [Series]
    var language: ChartLanguage
    var valueName: String

    static let dashes: [String?] = [nil, "10 5", "3 4", "12 4 3 4", "2 2", "16 6"]

    func svg() -> String {
        let count = days?.count ?? labels.count
        guard count > 0, !series.isEmpty else { return EmptyChart(title: title, language: language).svg() }
        let all = series.flatMap { $0.values.compactMap { $0 } }.filter(\.isFinite)
        let low = min(0, all.min() ?? 0), high = max(all.max() ?? 1, low + 1)
        let ticks = coveringTicks(low, high)
        let yLow = ticks.first ?? low, yHigh = max(ticks.last ?? high, high)
        let top = ChartFrame.top(notes: 0), plotHeight = 400.0
        let legendWidth = min(260, (series.map { ChartStyle.textWidth(ChartStyle.cut($0.name, to: 18)) + 70 }.max() ?? 100))
        let left = 90.0, right = ChartStyle.width - legendWidth
        var svg = SVG(width: ChartStyle.width, height: top + plotHeight + 70)
        ChartFrame.heading(&svg, title: title, notes: [])
        let first = Double(days?.first ?? 0), last = Double(days?.last ?? count - 1)
        func x(_ i: Int) -> Double {
            let position = days.map { Double($0[i]) } ?? Double(i)
            return left + (last == first ? 0.5 : (position - first) / (last - first)) * (right - left)
        }
        func y(_ v: Double) -> Double { top + plotHeight - (v - yLow) / (yHigh - yLow) * plotHeight }
        for t in ticks {
            svg.line(left, y(t), right, y(t), stroke: ChartStyle.grid)
            svg.text(language.number(t, decimals: tickDecimals(ticks)), x: left - 8, y: y(t) + 5, size: ChartStyle.smallSize, anchor: .end, role: "axis", fill: ChartStyle.muted)
        }
        svg.text(valueName, x: 16, y: top - 12, size: ChartStyle.smallSize, role: "axis", fill: ChartStyle.muted)
        for (i, label) in xLabels(count) {
            svg.line(x(i), top + plotHeight, x(i), top + plotHeight + 6)
            svg.text(label, x: x(i), y: top + plotHeight + 26, size: ChartStyle.smallSize, anchor: .middle, role: "axis", fill: ChartStyle.muted)
        }
        svg.line(left, top + plotHeight, right, top + plotHeight, stroke: ChartStyle.axis, width: 1.5)
        var ends: [(y: Double, index: Int)] = []
        for (s, one) in series.enumerated() {
            var run: [(Double, Double)] = []
            func flush() {
                if run.count == 1 { svg.circle(run[0].0, run[0].1, r: 3, fill: ChartStyle.colour(s)) }
                svg.path(run, stroke: ChartStyle.colour(s), dash: LineChart.dashes[s % LineChart.dashes.count])
                run = []
            }
            for (i, v) in one.values.enumerated() {
                if let v, v.isFinite { run.append((x(i), y(v))) } else { flush() }
            }
            flush()
            if let lastValue = one.values.last(where: { $0 != nil }) ?? nil { ends.append((y(lastValue), s)) }
        }
        // the names at the lines' ends, pushed apart so they do not overlap
        ends.sort { $0.y < $1.y }
        var placed: [Double] = []
        for end in ends {
            let wanted = max(end.y, (placed.last ?? -100) + 20)
            placed.append(wanted)
            let one = series[end.index]
            let lastValue = one.values.last(where: { $0 != nil })!!
            svg.line(right + 4, wanted - 5, right + 24, wanted - 5, stroke: ChartStyle.colour(end.index), width: 3)
            svg.text(ChartStyle.cut(one.name, to: 18) + " " + language.auto(lastValue), x: right + 30, y: wanted, size: ChartStyle.smallSize, role: "label")
        }
        return svg.document(title: title, description: description)
    }

    /// Up to eight labels along the x axis: years at their first point when the days span
    /// years, else evenly spaced days or labels.
    func xLabels(_ count: Int) -> [(Int, String)] {
        guard let days else {
            let step = max(1, Int((Double(count) / 8).rounded(.up)))
            return stride(from: 0, to: count, by: step).map { ($0, ChartStyle.cut(labels[$0], to: 12)) }
        }
        let years = days.map { CivilDate.format($0).prefix(4) }
        if Set(years).count >= 2 {
            var out: [(Int, String)] = []
            for i in 0..<count where i == 0 || years[i] != years[i - 1] { out.append((i, String(years[i]))) }
            let step = max(1, Int((Double(out.count) / 8).rounded(.up)))
            return stride(from: 0, to: out.count, by: step).map { out[$0] }
        }
        let step = max(1, Int((Double(count) / 6).rounded(.up)))
        return stride(from: 0, to: count, by: step).map { ($0, CivilDate.format(days[$0])) }
    }
}
