import NKAnalysis
import NKEngine
import NKLanguage

/// The classes, what class A brings, rows without a measure, and every row.
extension ParetoResult: ResultPresentation {
    func outputs(machineReadable: Bool) -> [StatementOutput] {
        var out: [StatementOutput] = [analysis.classes.output]
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

/// The reference day, customers per segment, and every customer's scores.
extension RFMResult: ResultPresentation {
    func outputs(machineReadable: Bool) -> [StatementOutput] {
        [.message((language == .german ? "Stand " : "as of ") + CivilDate.format(Int(analysis.asOf))),
         analysis.segments.output, analysis.customers.output]
    }
}

/// Totals per margin stage, costs missing, and every row.
extension ValueResult: ResultPresentation {
    func outputs(machineReadable: Bool) -> [StatementOutput] {
        var out: [StatementOutput] = [analysis.stages.output]
        for (column, rows) in analysis.missingCosts {
            out.append(.message("note: \(Value.grouped(rows)) \(rows == 1 ? "row" : "rows") without \(column): counted as 0"))
        }
        out.append(analysis.rows.output)
        return out
    }
}

/// The retention table, then a heat strip per cohort.
extension CohortResult: ResultPresentation {
    func outputs(machineReadable: Bool) -> [StatementOutput] {
        [analysis.table.output] + Cohorts.strips(analysis.table).map { .text($0) }
    }
}

/// The horizon and the fitted parameters, then every customer.
extension CLVResult: ResultPresentation {
    func outputs(machineReadable: Bool) -> [StatementOutput] {
        [.message("horizon: \(Value.formatFloat((analysis.horizonWeeks * 100).rounded() / 100)) weeks; parameters by maximum likelihood:"),
         analysis.parameters.output, analysis.customers.output]
    }
}

/// The model, the values that weigh most, then the candidates best first.
extension LookalikeResult: ResultPresentation {
    func outputs(machineReadable: Bool) -> [StatementOutput] {
        [.message("\(Value.grouped(analysis.modelRows)) model rows against \(Value.grouped(analysis.otherRows)) others; "
                  + "logistic regression with an L2 penalty, \(analysis.iterations) Newton steps; the values that weigh most:"),
         analysis.weights.output, analysis.rows.output]
    }
}
