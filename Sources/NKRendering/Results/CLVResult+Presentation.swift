import NKAnalysis
import NKEngine
import NKLanguage

/// The horizon and the fitted parameters, then every customer.
extension CLVResult: ResultPresentation {
    func outputs(_ shown: Presentation) -> [StatementOutput] {
        notes.map { .message("note: \($0)") } + [.message("horizon: \(Value.formatFloat((analysis.horizonWeeks * 100).rounded() / 100)) weeks; parameters by maximum likelihood:"),
         analysis.parameters.output, analysis.customers.output]
    }
}
