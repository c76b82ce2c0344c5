import NKEngine

/// `head N` (also `limit`): the first N rows.
public struct HeadVerb: Verb {
    public var count: Int

    public static let words = VerbWords("head", aliases: ["limit"])
    public static let columnUse = ColumnUse.named
    public static let help = VerbHelp("the first N rows", example: "customers | head 5")

    public static func parse(_ parser: inout Parser) throws -> HeadVerb {
        HeadVerb(count: try parser.count("how many rows"))
    }

    public func bind(_ input: any PlanNode, _ binder: StageBinder) throws -> any PlanNode {
        HeadNode(input: input, count: count, label: binder.text(binder.stage.span), span: binder.stage.keyword)
    }

    public func describe(input: String, keyword: String, _ source: Source) -> String { input }
}

/// The first `count` rows of its input.
public struct HeadNode: PlanNode {
    public var input: any PlanNode
    public var count: Int
    public var label: String
    public var span: SourceSpan

    public var schema: Schema { input.schema }
    public var inputs: [any PlanNode] { [input] }
    public func run(_ inputs: [Table], _ runner: PlanRunner) throws -> any QueryResult {
        TableResult(inputs[0].head(count))
    }
}

extension HeadNode: SQLCompilable {
    /// LIMIT, after the order before it.
    func sql(_ compiler: SQLCompiler) throws -> SQLQuery {
        var input = try compiler.compile(self.input)
        input.limit = min(input.limit ?? count, count)
        return input
    }
}
