import Foundation
import NKEngine

extension Value {
    /// Days since 1970-01-01 of a date (or a timestamp's day).
    var dateDays: Int? {
        switch self {
        case .date(let d): return Int(d)
        case .timestamp(let t): return Int((Double(t) / 86_400_000_000).rounded(.down))
        default: return nil
        }
    }

    var intValue: Int64? { if case .integer(let v) = self { return v } else { return nil } }

    /// The value as a chart labels it: null says so.
    var chartLabel: String { isNull ? "null" : description }
}

/// A plain table's chart: bars per group for a `segment by` (its first number column), lines
/// over the days of a table whose first column is a date, and for `save … to "x.svg"` bars of
/// any table's first number column by its first text column.
struct TableChart {
    var table: Table
    var groupColumns: Int?
    var anyTable: Bool
    var language: ChartLanguage

    func svg() -> String? {
        let t = table
        let numeric = (0..<t.columnCount).filter { t.columns[$0].type.isNumeric }
        if let g = groupColumns, g < t.columnCount, let measure = numeric.first(where: { $0 >= g }) {
            return bars(labels: Array(0..<g), measure: measure)
        }
        if t.columnCount > 1, [.date, .timestamp].contains(t.columns[0].type), !numeric.isEmpty {
            let days = (0..<t.rowCount).compactMap { t.columns[0][$0].dateDays }
            let increasing = days.count == t.rowCount && zip(days, days.dropFirst()).allSatisfy { $0 < $1 }
            if increasing || t.rowCount == 0 {
                let names = numeric.prefix(6).map { t.names[$0] }.joined(separator: ", ")
                return TableChart.series(t, days: days, title: language.say("\(names) by \(t.names[0])", "\(names) nach \(t.names[0])"),
                                         valueName: "", language)
            }
        }
        guard anyTable else { return nil }
        if t.rowCount == 0 { return EmptyChart(title: t.names.joined(separator: ", "), language: language).svg() }
        let ids = { (name: String) in name == "id" || name.hasSuffix("_id") }
        guard let measure = numeric.first(where: { !ids(t.names[$0]) }) ?? numeric.first else { return nil }
        let label = (0..<t.columnCount).first { !t.columns[$0].type.isNumeric } ?? (numeric.first != measure ? numeric.first : nil)
        return bars(labels: label.map { [$0] } ?? [], measure: measure)
    }

    func bars(labels: [Int], measure: Int) -> String {
        let t = table
        let name = t.names[measure]
        let keys = labels.map { t.names[$0] }
        // `segment by`'s share column, right after its count, is written beside the count
        let share = measure + 1 < t.columnCount && t.names[measure + 1] == "share" && t.columns[measure + 1].type == .float ? t.columns[measure + 1] : nil
        func bar(_ i: Int) -> BarChart.Bar {
            BarChart.Bar(label: labels.isEmpty ? String(i + 1) : labels.map { t.columns[$0][i].chartLabel }.joined(separator: " · "),
                         value: t.columns[measure][i].doubleValue, share: share?[i].doubleValue)
        }
        let ordered = labels.first.map { [.integer, .date, .timestamp].contains(t.columns[$0].type) } ?? true
        let title = keys.isEmpty ? name : language.say("\(name) per \(keys.joined(separator: ", "))", "\(name) je \(keys.joined(separator: ", "))")
        var chart = BarChart(title: title, description: "", valueName: name, bars: [], language: language)
        chart.sorted = !(ordered && t.rowCount <= chart.limit)
        if t.rowCount > chart.limit {
            // many groups: only the largest become bars (a million labels are not made to be cut)
            let (top, rest) = TableChart.largest(t.columns[measure], share: share, count: chart.limit - 1)
            chart.bars = top.map(bar)
            chart.omitted = rest
        } else {
            chart.bars = (0..<t.rowCount).map(bar)
        }
        chart.description = title + ": " + Chart.describe(chart.bars, language)
        chart.additive = t.columns[measure].type == .integer
        if t.columns[measure].type == .integer { chart.decimals = 0 }
        return chart.svg()
    }

    /// The rows of the `count` largest values (null smallest; ties in row order), largest first,
    /// and how many rows are left with their total and summed share.
    static func largest(_ values: Column, share: Column?, count: Int) -> (top: [Int], rest: (count: Int, total: Double, share: Double?)) {
        var top: [(value: Double, row: Int)] = []
        var total = 0.0, shares = 0.0, sharesKnown = true
        func before(_ a: (value: Double, row: Int), _ b: (value: Double, row: Int)) -> Bool { a.value != b.value ? a.value > b.value : a.row < b.row }
        for row in 0..<values.count {
            let v = values[row].doubleValue
            total += v ?? 0
            if let share { if let s = share[row].doubleValue { shares += s } else { sharesKnown = false } }
            let entry = (v ?? -.infinity, row)
            guard top.count < count || before(entry, top[top.count - 1]) else { continue }
            let at = top.firstIndex { before(entry, $0) } ?? top.count
            top.insert(entry, at: at)
            if top.count > count { top.removeLast() }
        }
        let topTotal = top.reduce(0.0) { $0 + ($1.value.isFinite ? $1.value : 0) }
        let topShare = share.map { s in top.reduce(0.0) { $0 + (s[$1.row].doubleValue ?? 0) } } ?? 0
        return (top.map(\.row), (values.count - top.count, total - topTotal, share != nil && sharesKnown ? shares - topShare : nil))
    }

    /// Lines over days, one per number column (up to six).
    static func series(_ t: Table, days: [Int]?, title: String, valueName: String, _ say: ChartLanguage) -> String {
        let numeric = (0..<t.columnCount).filter { t.columns[$0].type.isNumeric }.prefix(6)
        let series = numeric.map { c in LineChart.Series(name: t.names[c], values: (0..<t.rowCount).map { t.columns[c][$0].doubleValue }) }
        let labels = (0..<t.rowCount).map { t.columns[0][$0].chartLabel }
        let last = t.rowCount > 0 ? series.map { "\($0.name) \($0.values.last.flatMap { $0 }.map { say.auto($0) } ?? "null")" }.joined(separator: ", ") : ""
        let desc = t.rowCount > 0 ? say.say("\(t.rowCount) points from \(labels.first!) to \(labels.last!); at the end: \(last).",
                                            "\(t.rowCount) Punkte von \(labels.first!) bis \(labels.last!); am Ende: \(last).") : ""
        return LineChart(title: title, description: desc, days: days, labels: labels, series: series, language: say, valueName: valueName).svg()
    }
}
