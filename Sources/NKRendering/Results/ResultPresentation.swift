import NKEngine
import NKLanguage

/// Where a result is shown: for programs (machine-readable formats print tables only), and how
/// wide the screen is.
struct Presentation {
    var machineReadable = false
    var width = 100
}

/// How a kind of result is shown: the tables, messages and narration it prints, in order.
/// Each result kind conforms in its own file; a result without a presentation shows its table.
protocol ResultPresentation {
    func outputs(_ shown: Presentation) -> [StatementOutput]
    /// The columns that carry the answer, kept when a table is too wide (see ``TableRenderer/keyColumns``).
    var keyColumns: [String] { get }
}

extension ResultPresentation {
    var keyColumns: [String] { [] }
}

extension ResultPrinter {
    /// What a result shows, chosen by its type.
    func outputs(of result: any QueryResult) -> [StatementOutput] {
        if let presented = result as? any ResultPresentation { return presented.outputs(Presentation(machineReadable: format.isMachineReadable, width: renderer.width ?? 100)) }
        return [.table(result.table, totalRows: result.table.rowCount)]
    }
}

extension Table {
    /// The whole table as an output.
    var output: StatementOutput { .table(self, totalRows: rowCount) }
}

/// A percentage with one decimal: `13.2 %`; a dash when there is no base.
func percent(_ part: Int, of whole: Int) -> String {
    whole == 0 ? "–" : Value.formatFloat((Double(part) * 1000 / Double(whole)).rounded() / 10) + " %"
}

extension StatementOutput {
    /// The output as shown in the table format: a typed result as its tables, messages and
    /// narration in order; anything else as it is.
    public var presented: [StatementOutput] {
        guard case .result(let result) = self else { return [self] }
        if let shown = result as? any ResultPresentation { return shown.outputs(Presentation()) }
        return [result.table.output]
    }
}
