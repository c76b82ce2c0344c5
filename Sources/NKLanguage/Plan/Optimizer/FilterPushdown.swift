import NKEngine

/// Rule: filter before joining.
///
/// A filter right after a join whose condition reads only columns of the join's left input
/// runs on that input instead, so the join probes fewer rows; for an inner join, a condition
/// that reads only the right input's own columns (not renamed by the join) runs on the right
/// input. The rows that come out, and their order, are the same: the join keeps the left
/// rows' order and each row's matches in the right table's order, and a filter keeps order.
/// A left join's right side is never filtered first (its unmatched rows would change).
///
/// Before: `filter region = "Süd"` → `join customers` → scans; after: `join customers` →
/// (`scan orders`, `filter region = "Süd"` → `scan customers`).
enum FilterPushdown {
    static func apply(_ node: any PlanNode) -> any PlanNode {
        guard let rewritable = node as? RewritableNode else { return node }
        let inputs = node.inputs.map(apply)
        guard let rebuilt = rewritable.replacingInputs(inputs) else { return node }
        if let filter = rebuilt as? FilterNode, let join = filter.input as? JoinNode, let pushed = pushed(filter, below: join) {
            return pushed
        }
        return rebuilt
    }

    /// The join with the filter moved onto one of its inputs, or nil when it reads both sides.
    /// Each column the condition names is looked up where the filter looks it up (the join's
    /// columns), and must be found as the same column on the input it moves to.
    static func pushed(_ filter: FilterNode, below join: JoinNode) -> (any PlanNode)? {
        let columns = filter.predicate.columnSet
        let left = join.left.schema, right = join.right.schema, out = join.schema
        guard !columns.isEmpty, !left.isOpen, !right.isOpen, !out.isOpen else { return nil }
        var positions: [(name: String, at: Int)] = []
        for c in columns {
            guard let i = out.index(of: c) else { return nil }
            positions.append((c, i))
        }
        var moved = join
        var below = filter
        if positions.allSatisfy({ $0.at < left.fields.count && left.index(of: $0.name) == $0.at }) {
            below.input = join.left
            moved.left = below
            return moved
        }
        guard join.kind == .inner else { return nil }
        let kept = Table.joinedRightNames(left: left.names, right: right.names, pairs: join.pairs, leftIndex: left.index(of:), rightIndex: right.index(of:))
        let own = positions.allSatisfy { p in
            let k = p.at - left.fields.count
            guard k >= 0, k < kept.count else { return false }
            return right.names[kept[k].index] == kept[k].name && right.index(of: p.name) == kept[k].index
        }
        guard own else { return nil }
        below.input = join.right
        moved.right = below
        return moved
    }
}
