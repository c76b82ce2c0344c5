import NKEngine
import NKLanguage

/// The plan as a tree for people, the root first and each node's inputs below it, every node
/// with the columns it produces (wrapped to the screen); for programs, its table.
extension ExplainResult: ResultPresentation {
    func outputs(_ shown: Presentation) -> [StatementOutput] {
        if shown.machineReadable { return [table.output] }
        var lines: [String] = []
        draw(plan, connector: "", indent: "", width: max(40, shown.width), into: &lines)
        return [.text(lines.joined(separator: "\n"))]
    }

    /// One node: its label after the connector, its columns under it, then its inputs.
    func draw(_ node: any PlanNode, connector: String, indent: String, width: Int, into lines: inout [String]) {
        lines.append(indent + connector + node.label)
        let inner = indent + (connector.isEmpty ? "" : connector == "└─ " ? "   " : "│  ")
        let bar = node.inputs.isEmpty ? "   " : "│  "
        for line in wrapped(node.schema, width: width - DisplayWidth.of(inner + bar)) { lines.append(inner + bar + line) }
        for (i, input) in node.inputs.enumerated() {
            draw(input, connector: i == node.inputs.count - 1 ? "└─ " : "├─ ", indent: inner, width: width, into: &lines)
        }
    }

    /// The columns as `name type` items, as many to a line as fit.
    func wrapped(_ schema: Schema, width: Int) -> [String] {
        let items = schema.items(open: "… (columns named by the data)")
        var lines: [String] = []
        var line = ""
        for item in items {
            let candidate = line.isEmpty ? item : line + ", " + item
            if !line.isEmpty, DisplayWidth.of(candidate + ",") > max(20, width) {
                lines.append(line + ",")
                line = item
            } else {
                line = candidate
            }
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }
}
