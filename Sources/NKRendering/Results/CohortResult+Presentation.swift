import NKAnalysis
import NKEngine
import NKLanguage

/// The retention table, then a heat strip per cohort.
extension CohortResult: ResultPresentation {
    func outputs(_ shown: Presentation) -> [StatementOutput] {
        notes.map { .message("note: \($0)") } + [analysis.table.output] + Cohorts.strips(analysis.table).map { .text($0) }
    }
}
