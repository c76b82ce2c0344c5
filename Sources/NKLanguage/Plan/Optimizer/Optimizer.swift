import NKEngine

/// Rewrites a bound plan into one that gives the same result with less work. Each rule is in
/// its own file, states what it does, and keeps the plan's result and columns exactly: a
/// rewrite whose columns would differ from the original's is not made. `explain` shows the
/// plan after the rules.
public enum Optimizer {
    /// The plan after every rule, in order.
    public static func optimize(_ plan: any PlanNode) -> any PlanNode {
        let pruned = ColumnPruning.apply(FilterPushdown.apply(plan))
        // a rule must never change what the plan produces
        guard pruned.schema == plan.schema else { return plan }
        // last: it fuses nodes the rules before see through
        let fused = JoinAggregation.apply(pruned)
        return fused.schema == plan.schema ? fused : pruned
    }
}

/// A node the optimizer can see through: which columns of each input it reads, and itself
/// rebuilt over other inputs.
protocol RewritableNode: PlanNode {
    /// For each input, the columns this node reads from it when only `needed` of its own
    /// columns are used (nil: every column of that input).
    func inputColumns(needed: Set<String>) -> [Set<String>?]
    /// The same node over `inputs` (in the order of ``PlanNode/inputs``), or nil when it
    /// cannot be built over them.
    func replacingInputs(_ inputs: [any PlanNode]) -> (any PlanNode)?
}

/// A node over one input, `input`: rebuilt by putting another in its place.
protocol SingleInputNode: RewritableNode {
    var input: any PlanNode { get set }
}

extension SingleInputNode {
    func replacingInputs(_ inputs: [any PlanNode]) -> (any PlanNode)? {
        var out = self
        out.input = inputs[0]
        return out
    }
}

extension Expr {
    /// The columns an expression reads, as a set.
    var columnSet: Set<String> { Set(columnNames) }
}
