import NKEngine

/// `sort key [asc|desc], …` (also `order by`): the rows in order, ascending unless told.
public struct SortVerb: Verb {
    public var items: [SortItem]

    public static let words = VerbWords("sort", aliases: ["order"])
    public static let columnUse = ColumnUse.named
    public static let help = VerbHelp("order rows (asc by default, nulls last)", example: "customers | sort region, employees desc")
    public static let completionWords = ["asc", "desc"]

    public static func parse(_ parser: inout Parser) throws -> SortVerb {
        _ = parser.accept("by")
        return SortVerb(items: try parser.sortItems())
    }

    public func bind(_ input: any PlanNode, _ binder: StageBinder) throws -> any PlanNode {
        let keys = try binder.sortKeys(items, over: input.schema, descending: false)
        return SortNode(input: input, keys: keys, limit: nil, label: binder.text(binder.stage.span), span: binder.stage.keyword)
    }

    public func describe(input: String, keyword: String, _ source: Source) -> String { input }
}

/// Its input in the order of `keys`; with a `limit`, only the first rows of that order.
public struct SortNode: PlanNode {
    public var input: any PlanNode
    public var keys: [SortKey]
    public var limit: Int?
    public var label: String
    public var span: SourceSpan

    public var schema: Schema { input.schema }
    public var inputs: [any PlanNode] { [input] }
    public func run(_ inputs: [Table], _ runner: PlanRunner) throws -> any QueryResult {
        guard let limit else { return TableResult(try inputs[0].sorted(by: keys, context: runner.context)) }
        return TableResult(try inputs[0].top(limit, by: keys, context: runner.context))
    }
}

extension StageBinder {
    /// The engine's sort keys, each bound against `schema`; `descending` when not written.
    func sortKeys(_ items: [SortItem], over schema: Schema, descending: Bool) throws -> [SortKey] {
        try items.map { item in
            let expr = try lower(item.expression)
            _ = try engine { try schema.bind(expr, context: context) }
            return SortKey(expr, descending: item.descending ?? descending)
        }
    }
}

extension SortNode: SQLCompilable {
    /// ORDER BY the keys, nulls last, text by its bytes (as nk sorts), with the limit of `top`.
    /// Keys are columns; ties keep no particular order in SQL.
    func sql(_ compiler: SQLCompiler) throws -> SQLQuery {
        var input = try compiler.compile(self.input)
        if input.limit != nil { input = SQLQuery(body: "SELECT *\n\(compiler.from(input))", schema: input.schema, hidden: input.hidden) }
        input.order = try keys.map { key in
            guard case .column(let c) = key.expr.unlocated, let field = input.schema.field(c) else {
                throw CannotPushError(self, "a sort by an expression cannot be written as SQL yet; derive it first")
            }
            return (field.name, key.descending, field.type == .string)
        }
        input.limit = limit
        return input
    }
}
