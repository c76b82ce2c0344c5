import NKAnalysis
import NKEngine
import NKLanguage

/// The rule as of the day, orders left out, the classes, churn and reactivation rates, and
/// every customer; with `history`, the trend table alone.
extension LifecycleResult: ResultPresentation {
    func outputs(_ shown: Presentation) -> [StatementOutput] {
        if history { return [table.output] }
        let result = analysis
        let german = language == .german
        var out: [StatementOutput] = []
        let asOf = CivilDate.format(Int(result.asOf))
        out.append(.message(german
            ? "Stand \(asOf): Nullkunde = letzter Kauf vor \(CivilDate.format(Int(result.lapsedBefore))); Neukunde = erster Kauf ab \(CivilDate.format(Int(result.newSince)))"
            : "as of \(asOf): lapsed = last purchase before \(CivilDate.format(Int(result.lapsedBefore))); new = first purchase on or after \(CivilDate.format(Int(result.newSince)))"))
        let skipped = result.skipped
        if skipped.nullKey + skipped.nullDate + skipped.future > 0 {
            var parts: [String] = []
            if skipped.nullKey > 0 { parts.append("\(Value.grouped(skipped.nullKey)) without a customer") }
            if skipped.nullDate > 0 { parts.append("\(Value.grouped(skipped.nullDate)) without a date") }
            if skipped.future > 0 { parts.append("\(Value.grouped(skipped.future)) after \(asOf)") }
            out.append(.message("note: orders left out: " + parts.joined(separator: ", ")))
        }
        out += result.notes.map { .message("note: \($0)") }
        out.append(result.classes.output)
        let since = CivilDate.format(Int(result.lapsedBefore))
        let churn = percent(result.churn.churned, of: result.churn.base)
        let reactivation = percent(result.reactivation.reactivated, of: result.reactivation.lapsedEver)
        let base = Value.grouped(result.churn.base), lapsedEver = Value.grouped(result.reactivation.lapsedEver)
        out.append(.text(german
            ? "Abwanderung: \(churn) der \(base) Kunden, die am \(since) nicht Nullkunde waren, sind es jetzt."
            : "churn rate: \(churn) of the \(base) customers who were not lapsed on \(since) are lapsed now."))
        out.append(.text(german
            ? "Reaktivierung: \(reactivation) der \(lapsedEver) Kunden, die zu Nullkunden wurden, haben wieder gekauft."
            : "reactivation rate: \(reactivation) of the \(lapsedEver) customers who had lapsed bought again."))
        out.append(result.customers.output)
        return out
    }
}
