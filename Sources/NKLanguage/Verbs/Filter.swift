import NKEngine

/// `filter condition` (also `where`): the rows where the condition is true.
public struct FilterVerb: Verb {
    public var condition: Expression

    public static let words = VerbWords("filter", aliases: ["where"])
    public static let columnUse = ColumnUse.named
    public static let help = VerbHelp("keep the rows where a condition is true",
                                      example: "customers | filter region = \"Süd\" and employees > 50")

    public static func parse(_ parser: inout Parser) throws -> FilterVerb {
        FilterVerb(condition: try parser.expression())
    }

    public func bind(_ input: any PlanNode, _ binder: StageBinder) throws -> any PlanNode {
        let predicate = try binder.lower(condition)
        _ = try binder.engine { try input.schema.bindPredicate(predicate, context: binder.context) }
        return FilterNode(input: input, predicate: predicate, label: binder.text(binder.stage.span), span: binder.stage.keyword)
    }

    public func describe(input: String, keyword: String, _ source: Source) -> String { input }
}

/// The rows of its input where `predicate` is true.
public struct FilterNode: PlanNode {
    public var input: any PlanNode
    public var predicate: Expr
    public var label: String
    public var span: SourceSpan

    public var schema: Schema { input.schema }
    public var inputs: [any PlanNode] { [input] }
    public func run(_ inputs: [Table], _ runner: PlanRunner) throws -> any QueryResult {
        TableResult(try inputs[0].filter(predicate, context: runner.context))
    }
}

extension FilterNode: SQLCompilable {
    /// `SELECT * FROM (input) WHERE predicate`; the order before it is kept.
    func sql(_ compiler: SQLCompiler) throws -> SQLQuery {
        let input = try compiler.compile(self.input)
        let condition = try compiler.expression(predicate, over: input.schema, at: self)
        return SQLQuery(body: "SELECT *\n\(compiler.from(input))\nWHERE \(condition)", order: input.order, schema: schema, hidden: input.hidden)
    }
}
