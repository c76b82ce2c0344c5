import NKEngine

/// `count`: the number of rows, as a one-row table.
public struct CountVerb: Verb {
    public static let words = VerbWords("count")
    public static let columnUse = ColumnUse.projects
    public static let help = VerbHelp("the number of rows", example: "customers | filter status = \"lost\" | count")

    public static func parse(_ parser: inout Parser) throws -> CountVerb { CountVerb() }

    public func bind(_ input: any PlanNode, _ binder: StageBinder) throws -> any PlanNode {
        CountNode(input: input, label: binder.text(binder.stage.span), span: binder.stage.keyword)
    }
}

/// The number of rows of its input, in a column `count`.
public struct CountNode: PlanNode {
    public var input: any PlanNode
    public var label: String
    public var span: SourceSpan

    public var schema: Schema { Schema([Field("count", .integer)]) }
    public var inputs: [any PlanNode] { [input] }
    public func run(_ inputs: [Table], _ runner: PlanRunner) throws -> any QueryResult {
        TableResult(try Table([("count", Column(.integer([Int64(inputs[0].rowCount)])))]))
    }
}

extension CountNode: SQLCompilable {
    func sql(_ compiler: SQLCompiler) throws -> SQLQuery {
        let input = try compiler.compile(self.input)
        return SQLQuery(body: "SELECT CAST(count(*) AS BIGINT) AS \(compiler.dialect.name("count"))\n\(compiler.from(input))", schema: schema)
    }
}
