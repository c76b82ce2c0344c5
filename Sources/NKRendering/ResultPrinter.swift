import NKEngine
import NKLanguage

/// Prints statement outputs. In the table format everything goes to standard output; in the
/// machine-readable formats only tables do (separated by one blank line), and messages and
/// narration go to standard error so a program reading the output sees data alone.
public final class ResultPrinter {
    public var format: OutputFormat { didSet { tablesPrinted = 0 } }
    public var renderer: TableRenderer
    public var out: (String) -> Void
    public var err: (String) -> Void
    private var tablesPrinted = 0

    public init(format: OutputFormat = .table, renderer: TableRenderer = TableRenderer(),
                out: @escaping (String) -> Void, err: @escaping (String) -> Void) {
        self.format = format
        self.renderer = renderer
        self.out = out
        self.err = err
    }

    public func print(_ output: StatementOutput) {
        switch output {
        case .result(let result):
            let keys = (result as? any ResultPresentation)?.keyColumns ?? []
            renderer.keyColumns = keys
            defer { renderer.keyColumns = [] }
            for o in outputs(of: result) { print(o) }
        case .table(let table, let total):
            if format.isMachineReadable, tablesPrinted > 0 { out("\n") }
            tablesPrinted += 1
            out(render(table, totalRows: total))
        case .message(let text), .text(let text):
            if format.isMachineReadable { err(text + "\n") } else { out(Wrapping.wrap(text, width: renderer.width) + "\n") }
        }
    }

    func render(_ table: Table, totalRows: Int) -> String {
        switch format {
        case .table: return renderer.render(table, totalRows: totalRows)
        case .csv: return CSVWriter.string(table)
        case .tsv: return CSVWriter.string(table, delimiter: 9)
        case .json: return JSONWriter.string(table)
        case .jsonl: return JSONWriter.string(table, lines: true)
        case .markdown: return MarkdownWriter.string(table)
        case .line: return LineRenderer(maxRows: renderer.maxRows).render(table, totalRows: totalRows)
        }
    }
}
