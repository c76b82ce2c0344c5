import NKLanguage

/// The summary, then each column's detail tables under its name.
extension CompareResult: ResultPresentation {
    func outputs(_ shown: Presentation) -> [StatementOutput] {
        var out: [StatementOutput] = [analysis.summary.output]
        for (column, tables) in analysis.details {
            out.append(.message("\n\(column):"))
            out += tables.map(\.output)
        }
        return out
    }
}
