import NKAnalysis
import NKEngine
import NKLanguage

/// The reference day, customers per segment, and every customer's scores.
extension RFMResult: ResultPresentation {
    func outputs(_ shown: Presentation) -> [StatementOutput] {
        [.message((language == .german ? "Stand " : "as of ") + CivilDate.format(Int(analysis.asOf)))]
            + (notes + analysis.notes).map { .message("note: \($0)") } + [analysis.segments.output, analysis.customers.output]
    }
}
