import NKEngine

/// Rule: group while joining, without building the joined table.
///
/// A `segment by … agg …` right after a join, whose keys and aggregate arguments are plain
/// columns of the join's result, runs as one node: the join finds each result row's left and
/// right row, and the grouping reads the columns it needs through those row numbers instead of
/// from a joined table (``Table/joinGroupBy(_:on:kind:keys:aggregates:context:)``). When every
/// key is a column of the right input, the right rows are grouped once and each joined row
/// takes its right row's group. The groups, their order and every value are those of the join
/// followed by the segment: the grouping sees the same rows in the same order.
///
/// Before: `segment by region agg sum(revenue)` → `join customers on customer_id` → scans;
/// after: `join customers on customer_id | segment by region agg sum(revenue)` → scans.
enum JoinAggregation {
    static func apply(_ node: any PlanNode) -> any PlanNode {
        guard let rewritable = node as? RewritableNode,
              let rebuilt = rewritable.replacingInputs(node.inputs.map(apply)) else { return node }
        if let group = rebuilt as? GroupNode, let join = group.input as? JoinNode, let fused = fused(group, join) {
            return fused
        }
        return rebuilt
    }

    /// The fused node, or nil when a key or an argument is not a plain column of the join.
    static func fused(_ group: GroupNode, _ join: JoinNode) -> JoinGroupNode? {
        var keys: [(name: String, column: JoinedColumn)] = []
        for key in group.keys {
            guard case .column(let name) = key.expr.unlocated, let column = source(name, in: join) else { return nil }
            keys.append((key.name, column))
        }
        var aggregates: [(Aggregate, JoinedColumn?)] = []
        for a in group.aggregates {
            guard let argument = a.argument else { aggregates.append((a, nil)); continue }
            guard case .column(let name) = argument.unlocated, let column = source(name, in: join) else { return nil }
            aggregates.append((a, column))
        }
        return JoinGroupNode(group: group, join: join, keys: keys, aggregates: aggregates)
    }

    /// Which input a column of the join's result comes from, and its name there.
    static func source(_ name: String, in join: JoinNode) -> JoinedColumn? {
        let left = join.left.schema, right = join.right.schema, out = join.schema
        guard !left.isOpen, !right.isOpen, !out.isOpen, let at = out.index(of: name) else { return nil }
        if at < left.fields.count {
            return left.index(of: name) == at ? JoinedColumn(.left, left.names[at]) : nil
        }
        let kept = Table.joinedRightNames(left: left.names, right: right.names, pairs: join.pairs, leftIndex: left.index(of:), rightIndex: right.index(of:))
        let k = at - left.fields.count
        guard k < kept.count, kept[k].name == out.names[at] else { return nil }
        return JoinedColumn(.right, right.names[kept[k].index])
    }
}

/// A join and the segment right after it, run as one (``JoinAggregation``): its inputs are
/// the join's.
public struct JoinGroupNode: PlanNode {
    /// The segment, over the join.
    var group: GroupNode
    var join: JoinNode
    var keys: [(name: String, column: JoinedColumn)]
    var aggregates: [(Aggregate, JoinedColumn?)]

    public var schema: Schema { group.schema }
    public var inputs: [any PlanNode] { [join.left, join.right] }
    public var label: String { "\(join.label) | \(group.label)" }
    /// The join's place: the aggregates' errors carry their own.
    public var span: SourceSpan { join.span }

    public func run(_ inputs: [Table], _ runner: PlanRunner) throws -> any QueryResult {
        let groups = try inputs[0].joinGroupBy(inputs[1], on: join.pairs, kind: join.kind, keys: keys, aggregates: aggregates,
                                               context: runner.context)
        return try group.finish(groups, runner.context)
    }
}

extension JoinGroupNode: SQLCompilable {
    /// The segment's SQL over the join's.
    func sql(_ compiler: SQLCompiler) throws -> SQLQuery { try group.sql(compiler) }
}
