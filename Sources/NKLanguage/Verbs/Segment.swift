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
        try finish(try inputs[0].groupBy(keys, aggregates, context: runner.context), runner.context)
    }

    /// The result from the table of groups: biggest first, then the items over the aggregates.
    func finish(_ groups: Table, _ context: ExecutionContext) throws -> any QueryResult {
        var grouped = groups
        if !keys.isEmpty {
            grouped = try grouped.sorted(by: [SortKey(.column(GroupNode.sizeName), descending: true)], context: context)
        }
        if let outputs { return TableResult(try grouped.project(outputs, context: context)) }
        return TableResult(keys.isEmpty ? grouped : try grouped.selecting(grouped.names.filter { $0 != GroupNode.sizeName }))
    }
}

extension GroupNode: SQLCompilable {
    /// `GROUP BY` the keys with the aggregates (shares as window sums over the groups), the
    /// biggest groups first through a hidden size column; ties keep no particular order.
    func sql(_ compiler: SQLCompiler) throws -> SQLQuery {
        let input = try compiler.compile(self.input)
        let d = compiler.dialect
        var items = try keys.map { "\(try compiler.expression($0.expr, over: input.schema, at: self)) AS \(d.name($0.name))" }
        for a in aggregates { items.append("\(try aggregateSQL(a, compiler, input.schema)) AS \(d.name(a.name))") }
        var body = "SELECT \(items.joined(separator: ", "))\n\(compiler.from(input))"
        if !keys.isEmpty { body += "\nGROUP BY " + (1...keys.count).map(String.init).joined(separator: ", ") }
        let hidden = keys.isEmpty ? [] : [GroupNode.sizeName]
        let order: [(column: String, descending: Bool, text: Bool)] = keys.isEmpty ? [] : [(GroupNode.sizeName, true, false)]
        guard let outputs else { return SQLQuery(body: body, order: order, schema: schema, hidden: hidden) }
        // items over the aggregates (`sum(x) / count()`): one more SELECT over the groups
        let grouped = try input.schema.grouping(keys, aggregates)
        let inner = SQLQuery(body: body, schema: grouped)
        let list = try outputs.map { "\(try compiler.expression($0.expr, over: grouped, at: self)) AS \(d.name($0.name))" } + hidden.map(d.name)
        return SQLQuery(body: "SELECT \(list.joined(separator: ", "))\n\(compiler.from(inner))", order: order, schema: schema, hidden: hidden)
    }

    /// One aggregate as SQL with nk's result type.
    func aggregateSQL(_ a: Aggregate, _ compiler: SQLCompiler, _ schema: Schema) throws -> String {
        let d = compiler.dialect
        let x = try a.argument.map { try compiler.expression($0, over: schema, at: self) }
        let argumentType = a.argument.map { schema.bindType($0) }
        switch (a.function, x) {
        case (.count, nil): return "CAST(count(*) AS BIGINT)"
        case (.count, let x?): return "CAST(count(\(x)) AS BIGINT)"
        case (.countDistinct, let x?): return "CAST(count(DISTINCT \(x)) AS BIGINT)"
        case (.sum, let x?): return argumentType == .integer ? "CAST(sum(\(x)) AS BIGINT)" : "CAST(sum(\(x)) AS \(d.double))"
        case (.avg, let x?): return "CAST(avg(\(x)) AS \(d.double))"
        case (.min, let x?), (.max, let x?):
            let collated = argumentType == .string && d.engine == .postgresql ? "\(x) COLLATE \"C\"" : x
            return "\(a.function.rawValue)(\(collated))"
        case (.share, nil):
            return "CAST(count(*) AS \(d.double)) * 100 / NULLIF(CAST(sum(count(*)) OVER () AS \(d.double)), 0)"
        case (.share, let x?):
            // a group without values has a share of 0, as in memory (not SQL's null sum)
            return "CAST(coalesce(sum(\(x)), 0) AS \(d.double)) * 100 / NULLIF(CAST(sum(sum(\(x))) OVER () AS \(d.double)), 0)"
        case (.median, let x?), (.quantile, let x?):
            guard argumentType?.isNumeric == true else { break }
            return d.quantile(x, a.function == .median ? 0.5 : a.parameter ?? 0.5)
        default: break
        }
        throw CannotPushError(self, "\(a.name) cannot be written as SQL for \(d.engine.rawValue) yet")
    }
}

extension Schema {
    /// The type of an expression over these columns (text when it does not bind).
    func bindType(_ e: Expr) -> DataType { (try? bind(e).type) ?? .string }
}
