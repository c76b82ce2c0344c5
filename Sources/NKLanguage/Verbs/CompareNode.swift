import NKAnalysis
import NKEngine

/// Two groups side by side: of one input split by a condition or a two-valued expression,
/// or two inputs.
public struct CompareNode: PlanNode {
    public enum Split: Sendable {
        /// Matching rows against the rest; `used` columns define the groups and are left out.
        case condition(Expr, used: Set<String>)
        /// The rows of each of the expression's two values.
        case values(Expr, text: String, span: SourceSpan, used: Set<String>)
        /// Two inputs, with their labels.
        case tables((String, String))
    }
    public var inputs: [any PlanNode]
    public var split: Split
    public var columns: [String]?
    public var allValues: Bool
    public var label: String
    public var span: SourceSpan

    public var schema: Schema { Compare.schema }

    public func run(_ inputs: [Table], _ runner: PlanRunner) throws -> any QueryResult {
        let maximum = allValues ? nil : Compare.maximumValues
        if case .tables(let labels) = split {
            return CompareResult(analysis: try Compare.run(inputs[0], inputs[1], labels: labels, columns: columns, maximumValues: maximum))
        }
        let (groups, labels, used) = try self.groups(inputs[0], runner)
        return CompareResult(analysis: try Compare.run(inputs[0], groups: groups, labels: labels, columns: columns, excluding: used,
                                                       maximumValues: maximum))
    }

    /// The group of each row (0, 1, or 2 for neither), the groups' labels, and the columns
    /// that define them.
    func groups(_ table: Table, _ runner: PlanRunner) throws -> ([UInt8], (String, String), Set<String>) {
        let context = runner.context
        switch split {
        case .condition(let predicate, let used):
            var groups = [UInt8](repeating: 1, count: table.rowCount)
            for r in try table.selection(where: predicate, context: context) { groups[Int(r)] = 0 }
            return (groups, ("match", "rest"), used)
        case .values(let expression, let text, let span, let used):
            let keys = try Table([("k", try table.evaluate(expression, context: context))])
            let values = try keys.filter(!.isNull(.col("k")), context: context).distinct(context: context)
            if table.rowCount > 0, values.rowCount != 2 {
                throw runner.error("`compare by` needs exactly two values, \(text) has \(values.rowCount)", at: span,
                                   hint: "compare where \(text) = … compares one value with the rest")
            }
            guard values.rowCount == 2 else { return ([UInt8](repeating: 2, count: table.rowCount), ("a", "b"), used) }
            let first = values.columns[0][0], second = values.columns[0][1]
            var groups = [UInt8](repeating: 2, count: table.rowCount)
            for r in try keys.selection(where: .column("k") == .literal(first), context: context) { groups[Int(r)] = 0 }
            for r in try keys.selection(where: .column("k") == .literal(second), context: context) { groups[Int(r)] = 1 }
            return (groups, (first.description, second.description), used)
        case .tables:
            throw EngineError.internalError("compare: two tables have no split")
        }
    }
}

/// What `compare` found: a summary row per column, and per column its detail tables.
public struct CompareResult: QueryResult {
    public var analysis: Compare.Result
    public var table: Table { analysis.summary }
}
