import NKEngine

/// `distinct [column, …]`: the distinct rows of the named columns (all when none is named).
public struct DistinctVerb: Verb {
    public var columns: [Identifier]

    public static let words = VerbWords("distinct")
    public static let help = VerbHelp("the distinct rows of some columns", example: "orders | distinct customer_id")

    public static func parse(_ parser: inout Parser) throws -> DistinctVerb {
        var columns: [Identifier] = []
        if !parser.atStatementEnd, !parser.current.isSymbol("|"), !parser.current.isSymbol(")") {
            repeat { columns.append(try parser.name("a column name")) } while parser.acceptSymbol(",") != nil
        }
        return DistinctVerb(columns: columns)
    }

    public func bind(_ input: any PlanNode, _ binder: StageBinder) throws -> any PlanNode {
        try binder.requireColumns(columns, in: input.schema)
        let names = columns.isEmpty ? nil : columns.map(\.name)
        let schema = try binder.engine { try input.schema.distinct(names) }
        return DistinctNode(input: input, columns: names, schema: schema, label: binder.text(binder.stage.span), span: binder.stage.keyword)
    }
}

/// The distinct rows of `columns` of its input (all columns when nil), in order of first appearance.
public struct DistinctNode: PlanNode {
    public var input: any PlanNode
    public var columns: [String]?
    public var schema: Schema
    public var label: String
    public var span: SourceSpan

    public var inputs: [any PlanNode] { [input] }
    public func run(_ inputs: [Table], _ runner: PlanRunner) throws -> any QueryResult {
        TableResult(try inputs[0].distinct(columns, context: runner.context))
    }
}

extension DistinctNode: SQLCompilable {
    /// `SELECT DISTINCT` the columns (every column when none are named); nulls count as one value.
    func sql(_ compiler: SQLCompiler) throws -> SQLQuery {
        let input = try compiler.compile(self.input)
        let d = compiler.dialect
        let order = try compiler.keptOrder(input, keeps: { column in schema.field(column) != nil }, at: self)
        let list = schema.fields.map { d.name($0.name) }.joined(separator: ", ")
        // wrapped once more: PostgreSQL orders a DISTINCT only by what it selects, as written
        let distinct = SQLQuery(body: "SELECT DISTINCT \(list)\n\(compiler.from(input))", schema: schema)
        return SQLQuery(body: "SELECT *\n\(compiler.from(distinct))", order: order, schema: schema)
    }
}
