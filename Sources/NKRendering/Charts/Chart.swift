import Foundation
import NKAnalysis
import NKEngine
import NKLanguage

/// The chart of a result, as SVG text nk writes itself: which drawing each kind of result gets
/// (see docs/CHARTS.md), with its title and description in the session's language.
public enum Chart {
    /// What a chart is asked for: the result, the language, and what the statement said about
    /// the result's shape.
    public struct Request {
        public var result: any QueryResult
        public var language: LabelLanguage
        /// Leading columns that are group keys (``Pipeline/groupingWidth``).
        public var groupColumns: Int?
        /// Draw something for any table with a number (`save … to "x.svg"`); otherwise a plain
        /// table gets a chart only when it is grouped or a series over days.
        public var anyTable: Bool

        public init(_ result: any QueryResult, language: LabelLanguage, groupColumns: Int? = nil, anyTable: Bool = false) {
            self.result = result
            self.language = language
            self.groupColumns = groupColumns
            self.anyTable = anyTable
        }
    }

    /// The chart, or nil when the result holds nothing a chart could show.
    public static func svg(_ request: Request) -> String? {
        let say = ChartLanguage(language: request.language)
        switch request.result {
        case let r as LifecycleResult: return lifecycle(r, say)
        case let r as CohortResult: return cohort(r, say)
        case let r as ParetoResult: return pareto(r, say)
        case let r as RFMResult: return rfm(r, say)
        case let r as ValueResult: return value(r, say)
        case let r as CompareResult:
            let groups = r.analysis.details.first.map { CompareChart.groups($0.tables.first ?? Table(rowCount: 0)) } ?? ("A", "B")
            let title = say.say("\(groups.0) against \(groups.1)", "\(groups.0) gegenüber \(groups.1)")
            return CompareChart(title: title, description: r.analysis.findings.joined(separator: " "),
                                panels: r.analysis.details.compactMap { d in d.tables.first.map { (d.column, $0) } }, spreads: r.analysis.spreads,
                                language: say).svg()
        case let r as WhyNotResult: return whyNot(r.analysis, say)
        case let r as PersonaResult: return persona(r, say)
        case let r as LookalikeResult:
            return scores(r.analysis.rows, column: "lookalike_score", top: 10, title: say.say("Lookalike scores of the candidates", "Lookalike-Scores der Kandidaten"), say)
        case let r as CLVResult:
            return scores(r.analysis.customers, column: "expected_value", top: 20, title: say.say("Expected value per customer", "Erwarteter Wert je Kunde"), say)
        case is ExplainResult: return nil
        default: return TableChart(table: request.result.table, groupColumns: request.groupColumns, anyTable: request.anyTable, language: say).svg()
        }
    }

    static func lifecycle(_ r: LifecycleResult, _ say: ChartLanguage) -> String {
        let a = r.analysis
        if r.history {
            let t = r.table
            let days = (0..<t.rowCount).compactMap { t.columns[0][$0].dateDays }
            return TableChart.series(t, days: days.count == t.rowCount ? days : nil, title: say.say("Customers per lifecycle class, month by month", "Kunden je Lebenszyklus-Klasse, Monat für Monat"),
                                     valueName: say.say("customers", "Kunden"), say)
        }
        let c = a.classes
        let names = c.columns[0], counts = c.columns[1]
        let bars = (0..<c.rowCount).map { BarChart.Bar(label: names[$0].description, value: counts[$0].doubleValue, colour: ChartStyle.colour($0)) }
        let asOf = CivilDate.format(Int(a.asOf)), before = CivilDate.format(Int(a.lapsedBefore)), since = CivilDate.format(Int(a.newSince))
        let title = say.say("Lifecycle classes as of \(asOf)", "Lebenszyklus-Klassen am \(asOf)")
        let note = say.say("lapsed: last purchase before \(before); new: first purchase on or after \(since)",
                           "Nullkunde: letzter Kauf vor \(before); Neukunde: erster Kauf ab \(since)")
        return BarChart(title: title, description: describe(bars, say), valueName: say.say("customers", "Kunden"), bars: bars, language: say,
                        sorted: false, note: note).svg()
    }

    static func cohort(_ r: CohortResult, _ say: ChartLanguage) -> String {
        let t = r.analysis.table
        let periods = Array(t.names.dropFirst(2))
        let rows = (0..<t.rowCount).map { i in
            (label: t.columns[0][i].description, size: t.columns[1][i].intValue.map { Int($0) }, cells: (2..<t.columnCount).map { t.columns[$0][i].doubleValue })
        }
        let first = rows.first.map { "\($0.label): " + $0.cells.prefix(4).map { $0.map { say.percent($0, decimals: 0) } ?? "–" }.joined(separator: ", ") } ?? ""
        return HeatMap(title: say.say("Cohort retention", "Kohorten: wer wieder kauft"), description: say.say("Percent of each cohort buying per period; ", "Anteil je Kohorte und Periode; ") + first,
                       rows: rows, columns: periods, language: say).svg()
    }

    static func pareto(_ r: ParetoResult, _ say: ChartLanguage) -> String {
        let rows = r.analysis.rows, classes = r.analysis.classes
        guard let cumulative = rows.column("cumulative_share") else { return EmptyChart(title: "ABC", language: say).svg() }
        let ranked = (0..<rows.rowCount).compactMap { cumulative[$0].doubleValue }
        var bands: [(String, Double, Double)] = []
        var rowsEnd = 0.0, shareEnd = 0.0
        for i in 0..<classes.rowCount {
            rowsEnd += classes.column("share_rows")?[i].doubleValue ?? 0
            shareEnd += classes.column("share_\(r.measure)")?[i].doubleValue ?? 0
            bands.append((classes.columns[0][i].description, min(100, rowsEnd), min(100, shareEnd)))
        }
        let title = say.say("ABC analysis of \(r.measure)", "ABC-Analyse von \(r.measure)")
        let desc = bands.first.map { say.say("\(say.percent($0.1)) of the rows (class A) bring \(say.percent($0.2)) of \(r.measure).",
                                             "\(say.percent($0.1)) der Zeilen (Klasse A) bringen \(say.percent($0.2)) von \(r.measure).") } ?? ""
        return LorenzChart(title: title, description: desc, cumulative: ranked, bands: bands.map { (name: $0.0, rowsEnd: $0.1, shareEnd: $0.2) },
                           measure: r.measure, language: say).svg()
    }

    static func rfm(_ r: RFMResult, _ say: ChartLanguage) -> String {
        let t = r.analysis.customers
        var counts = [[Int]](repeating: [Int](repeating: 0, count: 5), count: 5)
        if let rc = t.column("r"), let fc = t.column("f") {
            for i in 0..<t.rowCount {
                guard let rv = rc[i].intValue, let fv = fc[i].intValue, (1...5).contains(rv), (1...5).contains(fv) else { continue }
                counts[Int(rv) - 1][Int(fv) - 1] += 1
            }
        }
        let s = r.analysis.segments
        let desc = (0..<s.rowCount).map { "\(s.columns[0][$0].description) \(say.number(s.columns[1][$0].doubleValue ?? 0))" }.joined(separator: ", ")
        return RFMGrid(title: say.say("RFM grid as of \(CivilDate.format(Int(r.analysis.asOf)))", "RFM-Raster am \(CivilDate.format(Int(r.analysis.asOf)))"),
                       description: desc, counts: counts, language: say, labelLanguage: r.language).svg()
    }

    static func value(_ r: ValueResult, _ say: ChartLanguage) -> String {
        let a = r.analysis
        guard a.rows.rowCount > 0, let totals = a.stages.column("total") else {
            return EmptyChart(title: say.say("Contribution margin", "Deckungsbeitrag"), language: say).svg()
        }
        var steps = [Waterfall.Step(label: a.revenue.column, amount: a.revenue.total, total: true)]
        var level = a.revenue.total
        for (i, name) in ["DB I", "DB II", "DB III"].enumerated() {
            let total = totals[i].doubleValue ?? 0
            if let cost = a.costs[i] { steps.append(Waterfall.Step(label: "− " + cost, amount: total - level, total: false)) }
            steps.append(Waterfall.Step(label: name, amount: total, total: true))
            level = total
        }
        let desc = steps.map { "\($0.label) \(say.number($0.amount, decimals: 0))" }.joined(separator: ", ")
        return Waterfall(title: say.say("Contribution margin from \(a.revenue.column) to DB III", "Deckungsbeitrag von \(a.revenue.column) bis DB III"),
                         description: desc, steps: steps, language: say).svg()
    }

    static func whyNot(_ a: WhyNot.Result, _ say: ChartLanguage) -> String {
        // the distinct findings, as the summary lists them
        let t = a.distinct
        var rows: [ForestPlot.Row] = []
        if let p = t.column("pattern"), let rr = t.column("risk_ratio"), let lo = t.column("rr_low"), let hi = t.column("rr_high") {
            for i in 0..<t.rowCount {
                rows.append(ForestPlot.Row(label: p[i].description, ratio: rr[i].doubleValue ?? .nan, low: lo[i].doubleValue ?? .nan, high: hi[i].doubleValue ?? .nan))
            }
        }
        return ForestPlot(title: say.say("What the target rows have in common", "Was die Zielzeilen gemeinsam haben"),
                          description: (a.summary + a.findings).joined(separator: " "), rows: rows, language: say,
                          empty: say.say("no pattern survives", "kein Muster bleibt übrig")).svg()
    }

    static func persona(_ r: PersonaResult, _ say: ChartLanguage) -> String {
        let t = r.analysis.rows
        let values = (0..<t.rowCount).compactMap { t.column("persona_score")?[$0].doubleValue }
        let at = Double(r.analysis.negativeAt)
        let negatives = values.filter { $0 >= at }.count
        let cut = (at, say.say("negative from \(say.number(at)) points: \(say.number(Double(negatives)))", "negativ ab \(say.number(at)) Punkten: \(say.number(Double(negatives)))"))
        return Histogram(title: say.say("Persona scores", "Persona-Scores"),
                         description: say.say("\(negatives) of \(values.count) rows score \(Int(at)) or more.", "\(negatives) von \(values.count) Zeilen haben \(Int(at)) Punkte oder mehr."),
                         values: values, valueName: "persona_score", language: say, cut: cut).svg()
    }

    /// A score's distribution with the value where the top `top` percent of rows begin.
    static func scores(_ t: Table, column: String, top: Int, title: String, _ say: ChartLanguage) -> String {
        guard let c = t.column(column) else { return EmptyChart(title: title, language: say).svg() }
        let values = (0..<t.rowCount).compactMap { c[$0].doubleValue }
        let sorted = values.sorted(by: >)
        let nulls = t.rowCount - values.count
        guard !sorted.isEmpty else { return EmptyChart(title: title, language: say).svg() }
        let k = max(1, Int((Double(sorted.count) * Double(top) / 100).rounded(.up)))
        let from = sorted[k - 1]
        let label = say.say("top \(top) %: from \(say.auto(from))", "beste \(top) %: ab \(say.auto(from))")
        var h = Histogram(title: title, description: say.say("\(values.count) values of \(column); the top \(top) % from \(say.auto(from)).",
                                                             "\(values.count) Werte von \(column); die besten \(top) % ab \(say.auto(from))."),
                          values: values, valueName: column, language: say, cut: (from, label))
        h.nulls = nulls
        return h.svg()
    }

    /// "count per status: prospect 697, customer 676, …", for a chart's description.
    static func describe(_ bars: [BarChart.Bar], _ say: ChartLanguage) -> String {
        bars.prefix(12).map { "\($0.label) \($0.value.map { say.auto($0) } ?? "null")" }.joined(separator: ", ") + (bars.count > 12 ? ", …" : "")
    }
}
