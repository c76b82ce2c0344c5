import NKLanguage

/// The summary, then each column's detail tables under its name.
extension CompareResult: ResultPresentation {
    var keyColumns: [String] { ["column", "value", "group", "share_*", "difference_pp", "mean", "effect_size", "p_adjusted"] }

    func outputs(_ shown: Presentation) -> [StatementOutput] {
        var out: [StatementOutput] = []
        if !analysis.constant.isEmpty {
            out.append(.message("left out: " + analysis.constant.joined(separator: ", ") + " (one value in both groups)"))
        }
        out.append(analysis.summary.output)
        for (column, tables) in analysis.details {
            out.append(.message("\n\(column):"))
            out += tables.map(\.output)
        }
        if !analysis.findings.isEmpty { out.append(.text("")) }
        out += analysis.findings.map { .text($0) }
        return out
    }
}
