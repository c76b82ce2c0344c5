import NKEngine

/// Rule: read only the columns a pipeline uses.
///
/// From the result down, each node says which of its input's columns it reads for the columns
/// asked of it (``RewritableNode/inputColumns(needed:)``); a table at the bottom is scanned
/// with only those columns. `orders | join customers on customer_id | segment by region agg
/// sum(revenue)` then joins three columns instead of every column of both tables, and the
/// join gathers two. Below a node that does not say (an analysis verb), every column is read.
/// A scan keeps at least one column, so that a count still sees the rows.
///
/// Before: `scan orders` (15 columns) → join; after: `scan orders` (customer_id, revenue).
enum ColumnPruning {
    static func apply(_ plan: any PlanNode) -> any PlanNode {
        prune(plan, needed: nil)
    }

    /// The node rewritten so that it produces at least `needed` of its columns (nil: all).
    static func prune(_ node: any PlanNode, needed: Set<String>?) -> any PlanNode {
        if let scan = node as? ScanNode, let needed {
            return pruned(scan, needed)
        }
        guard let rewritable = node as? RewritableNode else { return node }
        let wanted = needed ?? Set(node.schema.names)
        let asked = rewritable.inputColumns(needed: wanted)
        let inputs = zip(node.inputs, asked).map { input, columns in prune(input, needed: columns) }
        guard let rebuilt = rewritable.replacingInputs(inputs), keeps(wanted, of: node.schema, in: rebuilt.schema) else { return node }
        return rebuilt
    }

    /// The scan with the columns of `needed` it has (at least its first), in the table's order.
    static func pruned(_ scan: ScanNode, _ needed: Set<String>) -> ScanNode {
        let names = scan.table.names
        var keep = Set(needed.compactMap { Table.resolve($0, in: names) })
        if keep.isEmpty, !names.isEmpty { keep = [0] }
        guard keep.count < names.count, let table = try? scan.table.selecting(names.indices.filter(keep.contains).map { names[$0] }) else {
            return scan
        }
        var out = scan
        out.table = table
        return out
    }

    /// Whether every column of `wanted` in `original` is in `rewritten`, with the same type.
    static func keeps(_ wanted: Set<String>, of original: Schema, in rewritten: Schema) -> Bool {
        if original.isOpen != rewritten.isOpen { return false }
        for field in original.fields where wanted.contains(field.name) {
            guard let i = rewritten.index(of: field.name), rewritten.fields[i].name == field.name,
                  rewritten.fields[i].type == field.type else { return false }
        }
        return true
    }
}

extension JoinNode: RewritableNode {
    /// The keys on both sides; of the other columns, those asked for (a right column by the
    /// name the join gives it). A left column whose name a kept right column also has stays,
    /// so that the right one keeps its `…_right` name.
    func inputColumns(needed: Set<String>) -> [Set<String>?] {
        let l = left.schema, r = right.schema
        if l.isOpen || r.isOpen { return [nil, nil] }
        let kept = Table.joinedRightNames(left: l.names, right: r.names, pairs: pairs, leftIndex: l.index(of:), rightIndex: r.index(of:))
        var rightColumns = Set(pairs.map(\.right))
        for k in kept where needed.contains(k.name) { rightColumns.insert(r.names[k.index]) }
        var leftColumns = Set(pairs.map(\.left)).union(needed.filter { l.index(of: $0) != nil })
        for name in rightColumns where l.index(of: name) != nil { leftColumns.insert(name) }
        return [leftColumns, rightColumns]
    }

    func replacingInputs(_ inputs: [any PlanNode]) -> (any PlanNode)? {
        guard let schema = try? inputs[0].schema.joining(inputs[1].schema, on: pairs) else { return nil }
        var out = self
        out.left = inputs[0]
        out.right = inputs[1]
        out.schema = schema
        return out
    }
}

extension GroupNode: SingleInputNode {
    /// The columns of its keys and of its aggregates' arguments.
    func inputColumns(needed: Set<String>) -> [Set<String>?] {
        var columns = Set<String>()
        for k in keys { columns.formUnion(k.expr.columnSet) }
        for a in aggregates { if let x = a.argument { columns.formUnion(x.columnSet) } }
        return [columns]
    }
}

extension FilterNode: SingleInputNode {
    /// What is asked for, and what the condition reads.
    func inputColumns(needed: Set<String>) -> [Set<String>?] { [needed.union(predicate.columnSet)] }
}

extension SortNode: SingleInputNode {
    /// What is asked for, and what the sort keys read.
    func inputColumns(needed: Set<String>) -> [Set<String>?] {
        [keys.reduce(needed) { $0.union($1.expr.columnSet) }]
    }
}

extension HeadNode: SingleInputNode {
    func inputColumns(needed: Set<String>) -> [Set<String>?] { [needed] }
}

extension CountNode: SingleInputNode {
    /// No column: only the rows are counted.
    func inputColumns(needed: Set<String>) -> [Set<String>?] { [[]] }
}

extension ProjectNode: SingleInputNode {
    /// What its expressions read.
    func inputColumns(needed: Set<String>) -> [Set<String>?] {
        [outputs.reduce(into: Set<String>()) { $0.formUnion($1.expr.columnSet) }]
    }
}
