import NKAnalysis
import NKEngine
import NKLanguage

/// Totals per margin stage, costs missing, and every row.
extension ValueResult: ResultPresentation {
    func outputs(_ shown: Presentation) -> [StatementOutput] {
        var out: [StatementOutput] = [analysis.stages.output]
        for (column, rows) in analysis.missingCosts {
            out.append(.message("note: \(Value.grouped(rows)) \(rows == 1 ? "row" : "rows") without \(column): counted as 0"))
        }
        out.append(analysis.rows.output)
        return out
    }
}
