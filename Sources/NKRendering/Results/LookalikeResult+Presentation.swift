import NKAnalysis
import NKEngine
import NKLanguage

/// The model, the values that weigh most, then the candidates best first.
extension LookalikeResult: ResultPresentation {
    func outputs(_ shown: Presentation) -> [StatementOutput] {
        [.message("\(Value.grouped(analysis.modelRows)) model rows against \(Value.grouped(analysis.otherRows)) others; "
                  + "logistic regression with an L2 penalty, \(analysis.iterations) Newton steps; the values that weigh most:"),
         analysis.weights.output, analysis.rows.output]
    }
}
