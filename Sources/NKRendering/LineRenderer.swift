import NKEngine

/// Draws each row as `column │ value` lines, a record at a time (psql's expanded display):
/// for wide tables on narrow terminals.
public struct LineRenderer {
    public var maxRows = 40
    public init(maxRows: Int = 40) { self.maxRows = maxRows }

    public func render(_ table: Table, totalRows: Int? = nil) -> String {
        let width = table.names.map { DisplayWidth.of($0) }.max() ?? 0
        var out = ""
        let shown = min(table.rowCount, maxRows)
        for r in 0..<shown {
            out += "─[ \(r + 1) ]" + String(repeating: "─", count: max(0, width - 2)) + "\n"
            let formatters = table.columns.map { CellFormatter(column: $0, rows: [r]) }
            for (name, f) in zip(table.names, formatters) {
                out += name + String(repeating: " ", count: width - DisplayWidth.of(name)) + " │ " + f.text(r) + "\n"
            }
        }
        let total = totalRows ?? table.rowCount
        out += total > shown ? "\(Value.grouped(total)) rows (\(shown) shown)\n" : "\(Value.grouped(total)) row\(total == 1 ? "" : "s")\n"
        return out
    }
}
