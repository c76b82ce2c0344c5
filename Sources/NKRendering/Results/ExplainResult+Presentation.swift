import NKLanguage

/// The plan as an indented tree for people; for programs, its table (depth, node, columns).
extension ExplainResult: ResultPresentation {
    func outputs(machineReadable: Bool) -> [StatementOutput] {
        if machineReadable { return [table.output] }
        return [.text(lines.joined(separator: "\n"))]
    }
}
