import NKEngine
import NKLanguage

/// How often each signal fires, signals without a column, how many are negative, who they are
/// (why-not), and every row with its score.
extension PersonaResult: ResultPresentation {
    func outputs(_ shown: Presentation) -> [StatementOutput] {
        var out: [StatementOutput] = [analysis.signals.output]
        if !analysis.unscored.isEmpty {
            out.append(.message("note: not scored for want of a column: " + analysis.unscored.map(\.rawValue).joined(separator: ", ")))
        }
        let rows = analysis.rows
        let negative = rows.column("negative")!
        let negatives = (0..<rows.rowCount).filter { negative[$0] == .boolean(true) }.count
        out.append(.text(language == .german
            ? "\(Value.grouped(negatives)) von \(Value.grouped(rows.rowCount)) Kunden sind negative Kunden."
            : "\(Value.grouped(negatives)) of \(Value.grouped(rows.rowCount)) customers are negative customers."))
        if let patterns {
            out.append(.message("who they are (why-not negative):"))
            out.append(patterns.distinct.output)
            out += patterns.findings.map { .text($0) }
        }
        out.append(rows.output)
        return out
    }
}
