import NKAnalysis
import NKEngine
import NKLanguage

/// The classes, what class A brings, rows without a measure, and every row.
extension ParetoResult: ResultPresentation {
    func outputs(_ shown: Presentation) -> [StatementOutput] {
        var out: [StatementOutput] = notes.map { .message("note: \($0)") } + [analysis.classes.output]
        let c = analysis.classes
        if let rows = c.column("share_rows")?[0].doubleValue, let share = c.column("share_\(measure)")?[0].doubleValue {
            let percent = { (x: Double) in Value.formatFloat((x * 10).rounded() / 10) + " %" }
            out.append(.text(language == .german
                ? "\(percent(rows)) der Zeilen (Klasse A) bringen \(percent(share)) von \(measure)."
                : "\(percent(rows)) of the rows (class A) bring \(percent(share)) of \(measure)."))
        }
        let unranked = analysis.unranked
        if unranked > 0 {
            out.append(.message("note: \(Value.grouped(unranked)) \(unranked == 1 ? "row" : "rows") without \(measure) \(unranked == 1 ? "has" : "have") no class"))
        }
        out.append(analysis.rows.output)
        return out
    }
}
