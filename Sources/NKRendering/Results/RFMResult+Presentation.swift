import NKAnalysis
import NKEngine
import NKLanguage

/// The reference day, customers per segment, and every customer's scores.
extension RFMResult: ResultPresentation {
    func outputs(_ shown: Presentation) -> [StatementOutput] {
        [.message((language == .german ? "Stand " : "as of ") + CivilDate.format(Int(analysis.asOf))),
         analysis.segments.output, analysis.customers.output]
    }
}
