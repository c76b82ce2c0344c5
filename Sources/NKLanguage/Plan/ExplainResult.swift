import NKEngine

/// What `explain` shows: the bound plan, the root first and each node's inputs indented below
/// it, every node with the columns it produces.
public struct ExplainResult: QueryResult {
    public var plan: any PlanNode
    /// The statement explained, as written.
    public var statement: String

    /// One row per node: its depth, its label, its columns.
    public var table: Table {
        let nodes = plan.walk()
        return (try? Table([
            ("depth", .integers(nodes.map { Int64($0.depth) })),
            ("node", .strings(nodes.map { $0.node.label })),
            ("columns", .strings(nodes.map { $0.node.schema.description })),
        ])) ?? Table(rowCount: 0)
    }
}
