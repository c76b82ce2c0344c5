import NKEngine

/// `segment by keys [agg aggregates]` (also `group by`): one row per group, biggest first,
/// with count and share or the aggregates; `segment agg aggregates`: the whole input as one
/// group. The segmentations (`segment lifecycle`, `segment rfm` …) are verbs of their own.
public struct SegmentVerb: Verb {
    /// The keys; empty for `segment agg`.
    public var keys: [NamedExpression]
    public var aggregates: [NamedExpression]
    /// Whether it was written `segment by` (else `segment agg`).
    public var byKeys: Bool

    public static let words = VerbWords("segment", aliases: ["group"])
    public static let columnUse = ColumnUse.projects
    public static let help = VerbHelp("group rows: count and share per group, or aggregates with agg",
                                      example: "customers | segment by industry, size agg count(), avg(nps)")
    public static let completionWords = ["by", "agg", "as", "distinct"]
    public static let firstWords = ["by", "agg"]

    public static func parse(_ parser: inout Parser) throws -> SegmentVerb {
        if parser.accept("by") != nil {
            let keys = try parser.namedList()
            var aggregates: [NamedExpression] = []
            if parser.accept("agg") != nil { aggregates = try parser.namedList() }
            return SegmentVerb(keys: keys, aggregates: aggregates, byKeys: true)
        }
        if parser.accept("agg") != nil { return SegmentVerb(keys: [], aggregates: try parser.namedList(), byKeys: false) }
        throw Diagnostic("expected `by`, `agg` or a segmentation after `segment`, found \(parser.current.description)",
                         at: parser.current.span, in: parser.source,
                         hint: "segment by industry, segment agg sum(revenue), or segment lifecycle, pareto, rfm, value")
    }

    public func bind(_ input: any PlanNode, _ binder: StageBinder) throws -> any PlanNode {
        let lowering = binder.plan.lowering
        let keyExprs = try keys.map { NamedExpr($0.outputName(binder.source), try binder.lower($0.expression)) }
        var (aggregates, outputs) = try lowering.aggregateItems(self.aggregates, keys: keyExprs.map(\.name))
        let label = binder.text(binder.stage.span)
        guard byKeys else {
            let grouped = try binder.engine { try input.schema.grouping([], aggregates, context: binder.context) }
            let schema = try outputs.map { o in try binder.engine { try grouped.projecting(o, context: binder.context) } } ?? grouped
            return GroupNode(input: input, keys: [], aggregates: aggregates, outputs: outputs, schema: schema, label: label, span: binder.stage.keyword)
        }
        if aggregates.isEmpty { aggregates = [Aggregate(.count), Aggregate(.share)] }
        // biggest groups first: a hidden count orders them
        aggregates.append(Aggregate(.count, as: GroupNode.sizeName))
        let grouped = try binder.engine { try input.schema.grouping(keyExprs, aggregates, context: binder.context) }
        let schema = try outputs.map { o in try binder.engine { try grouped.projecting(o, context: binder.context) } }
            ?? Schema(grouped.fields.filter { $0.name != GroupNode.sizeName })
        return GroupNode(input: input, keys: keyExprs, aggregates: aggregates, outputs: outputs, schema: schema, label: label, span: binder.stage.keyword)
    }
}

/// One row per group of `keys` with the `aggregates`; with keys, the biggest groups first
/// (ties in order of first appearance). `outputs` computes over the aggregates when an item
/// does (`sum(x) / count()`).
public struct GroupNode: PlanNode {
    /// The hidden column that orders the groups by size.
    static let sizeName = "\u{1}size"

    public var input: any PlanNode
    public var keys: [NamedExpr]
    public var aggregates: [Aggregate]
    public var outputs: [NamedExpr]?
    public var schema: Schema
    public var label: String
    public var span: SourceSpan

    public var inputs: [any PlanNode] { [input] }
    public func run(_ inputs: [Table], _ runner: PlanRunner) throws -> any QueryResult {
        let context = runner.context
        var grouped = try inputs[0].groupBy(keys, aggregates, context: context)
        if !keys.isEmpty {
            grouped = try grouped.sorted(by: [SortKey(.column(GroupNode.sizeName), descending: true)], context: context)
        }
        if let outputs { return TableResult(try grouped.project(outputs, context: context)) }
        return TableResult(keys.isEmpty ? grouped : try grouped.selecting(grouped.names.filter { $0 != GroupNode.sizeName }))
    }
}
