import NKEngine
import NKLanguage

/// What was tested, which columns matter, the few distinct findings and their sentences,
/// then (with `detail` or `all`, and always for programs) every surviving pattern, and the
/// stated reasons.
extension WhyNotResult: ResultPresentation {
    var keyColumns: [String] { ["pattern", "risk_ratio", "rr_low", "rr_high", "target_rate", "rest_rate", "q_value", "adds", "overlap", "attribute", "cramers_v"] }

    func outputs(_ shown: Presentation) -> [StatementOutput] {
        var out: [StatementOutput] = analysis.summary.map { .message($0) }
        if analysis.patterns.rowCount == 0 {
            out.append(.message("no pattern survives; add `all` to list every pattern tested with the reason it was dropped"))
        }
        if analysis.attributes.rowCount > 0 {
            out.append(.message("which columns go with the target (chi-square test, Cramér's V):"))
            out.append(analysis.attributes.output)
        }
        if analysis.distinct.rowCount > 0 {
            out.append(.message("the distinct findings (adds: target rows none above covers):"))
            out.append(analysis.distinct.output)
        }
        out += analysis.findings.map { .text($0) }
        if analysis.detail || shown.machineReadable || analysis.patterns.rowCount == 0 {
            if analysis.patterns.rowCount > 0 { out.append(.message("every pattern:")) }
            out.append(analysis.patterns.output)
        } else if analysis.patterns.rowCount > analysis.distinct.rowCount {
            out.append(.message("\(Value.grouped(analysis.patterns.rowCount)) patterns survive; `detail` lists them all"))
        }
        for (column, table) in analysis.reasons {
            out.append(.message("\nstated \(column):"))
            out.append(table.output)
        }
        return out
    }
}
