import NKEngine
import NKLanguage

/// What was tested, the pattern table, the findings as sentences, and the stated reasons.
extension WhyNotResult: ResultPresentation {
    var keyColumns: [String] { ["pattern", "risk_ratio", "rr_low", "rr_high", "target_rate", "rest_rate", "q_value"] }

    func outputs(_ shown: Presentation) -> [StatementOutput] {
        var out: [StatementOutput] = analysis.summary.map { .message($0) }
        if analysis.patterns.rowCount == 0 {
            out.append(.message("no pattern survives; add `all` to list every pattern tested with the reason it was dropped"))
        }
        out.append(analysis.patterns.output)
        out += analysis.findings.map { .text($0) }
        for (column, table) in analysis.reasons {
            out.append(.message("\nstated \(column):"))
            out.append(table.output)
        }
        return out
    }
}
