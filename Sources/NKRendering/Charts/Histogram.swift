import Foundation

/// How values spread: a bar per value (whole numbers with few values) or per equal bin, with
/// a cut marked (the persona threshold, the top share of a score).
struct Histogram {
    var title: String
    var description: String
    var values: [Double]
    var valueName: String
    var language: ChartLanguage
    /// Where the cut is and what it means.
    var cut: (value: Double, label: String)?
    var nulls = 0

    func svg() -> String {
        let finite = values.filter(\.isFinite)
        guard !finite.isEmpty else { return EmptyChart(title: title, language: language).svg() }
        let (edges, whole, open) = Histogram.bins(finite)
        var counts = [Int](repeating: 0, count: edges.count - 1)
        for v in finite {
            var k = 0
            var lo = 0, hi = edges.count - 2
            while lo <= hi { let mid = (lo + hi) / 2; if edges[mid] <= v { k = mid; lo = mid + 1 } else { hi = mid - 1 } }
            counts[min(max(0, k), counts.count - 1)] += 1
        }
        var notes: [String] = []
        if nulls > 0 { notes.append(language.say("\(language.number(Double(nulls))) rows without a value are not drawn.", "\(language.number(Double(nulls))) Zeilen ohne Wert sind nicht gezeichnet.")) }
        let top = ChartFrame.top(notes: notes.count) + 40, plotHeight = 380.0, left = 100.0, right = ChartStyle.width - 30
        var svg = SVG(width: ChartStyle.width, height: top + plotHeight + 80)
        ChartFrame.heading(&svg, title: title, notes: notes)
        let maxCount = Double(counts.max() ?? 1)
        let yTicks = coveringTicks(0, max(1, maxCount))
        let yHigh = max(maxCount, yTicks.last ?? maxCount)
        let from = edges.first!, to = edges.last!
        func x(_ v: Double) -> Double { left + (v - from) / (to - from) * (right - left) }
        func y(_ c: Double) -> Double { top + plotHeight - c / yHigh * plotHeight }
        for t in yTicks {
            svg.line(left, y(t), right, y(t), stroke: ChartStyle.grid)
            svg.text(language.number(t), x: left - 8, y: y(t) + 5, size: ChartStyle.smallSize, anchor: .end, role: "axis", fill: ChartStyle.muted)
        }
        for (i, c) in counts.enumerated() {
            let x0 = x(edges[i]) + 1, x1 = x(edges[i + 1]) - 1
            let d = tickDecimals(edges)
            let range = whole ? language.number(edges[i]) : open && i == counts.count - 1 ? "≥ \(language.number(edges[i], decimals: d))"
                : "\(language.number(edges[i], decimals: d))–\(language.number(edges[i + 1], decimals: d))"
            let beyond = cut.map { edges[i] >= $0.value } ?? false
            svg.rect(x: x0, y: y(Double(c)), width: x1 - x0, height: y(0) - y(Double(c)), fill: beyond ? ChartStyle.accent : ChartStyle.main,
                     title: "\(range): \(language.number(Double(c)))")
            if c > 0, x1 - x0 >= 26 || counts.count <= 20 {
                svg.text(language.number(Double(c)), x: (x0 + x1) / 2, y: y(Double(c)) - 6, size: ChartStyle.smallSize, anchor: .middle, role: "value")
            }
        }
        // the value under each bar (whole numbers) or at the bins' edges; an open last bin says "≥ x"
        let labelled = whole ? Array(0..<counts.count) : Array(0..<(open ? edges.count - 2 : edges.count))
        let step = max(1, Int((Double(labelled.count) / 10).rounded(.up)))
        for k in stride(from: 0, to: labelled.count, by: step) {
            let i = labelled[k]
            let at = whole ? (x(edges[i]) + x(edges[i + 1])) / 2 : x(edges[i])
            svg.text(language.number(edges[i], decimals: whole ? 0 : tickDecimals(edges)), x: at, y: y(0) + 22, size: ChartStyle.smallSize, anchor: .middle,
                     role: "axis", fill: ChartStyle.muted)
        }
        if open {
            let i = edges.count - 2
            svg.text("≥ " + language.number(edges[i], decimals: tickDecimals(edges)), x: (x(edges[i]) + x(edges[i + 1])) / 2, y: y(0) + 22, size: ChartStyle.smallSize, anchor: .middle,
                     role: "axis", fill: ChartStyle.muted)
        }
        svg.line(left, y(0), right, y(0), stroke: ChartStyle.axis, width: 1.5)
        svg.text(valueName, x: (left + right) / 2, y: y(0) + 48, size: ChartStyle.smallSize, anchor: .middle, role: "axis", fill: ChartStyle.muted)
        svg.text(language.say("rows", "Zeilen"), x: 24, y: top + plotHeight / 2, size: ChartStyle.smallSize, anchor: .middle, role: "axis",
                 fill: ChartStyle.muted, rotate: -90)
        if let cut, cut.value >= from, cut.value <= to {
            let cx = x(cut.value)
            svg.line(cx, top - 30, cx, y(0), stroke: ChartStyle.ink, width: 2.5, dash: "8 4")
            svg.text(cut.label, x: cx + (cx > (left + right) / 2 ? -8 : 8), y: top - 16, anchor: cx > (left + right) / 2 ? .end : .start, role: "note", weight: "bold")
        }
        return svg.document(title: title, description: description)
    }

    /// The bins' edges: one per whole number when the values are whole and few, else about 16
    /// equal bins on round edges; `open`: the last bin holds everything above (a long tail).
    static func bins(_ finite: [Double]) -> (edges: [Double], whole: Bool, open: Bool) {
        let lowest = finite.min()!, highest = finite.max()!
        let distinct = Set(finite)
        let whole = finite.allSatisfy { $0 == $0.rounded() } && highest - lowest <= 30
        // bins as [start, end) with the last one closed; `open`: the last bin holds everything above
        var edges: [Double]
        var open = false
        if whole {
            edges = stride(from: lowest, through: highest + 1, by: 1).map { $0 }
        } else if distinct.count == 1 {
            edges = [lowest - 0.5, lowest + 0.5]
        } else {
            // a long tail (the largest value far beyond the 95th percentile) goes into one last
            // bin, "≥ x", so the body of the distribution is not squeezed into one bar
            let sorted = finite.sorted()
            let p95 = sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.95))]
            let tail = p95 > lowest && highest - lowest > 3 * (p95 - lowest)
            let ticks = coveringTicks(lowest, tail ? p95 : highest, count: 16)
            edges = ticks
            // the last edge lies beyond the largest value, so every bin is [start, end)
            if let last = edges.last, last <= (tail ? p95 : highest) { edges.append(last + (ticks.count > 1 ? ticks[1] - ticks[0] : 1)) }
            if tail, let last = edges.last, last <= highest { open = true; edges.append(last + (edges[1] - edges[0])) }
        }
        return (edges, whole, open)
    }
}
