import NKEngine

/// `select expression [as name], …`: exactly these columns.
public struct SelectVerb: Verb {
    public var items: [NamedExpression]

    public static let words = VerbWords("select")
    public static let columnUse = ColumnUse.projects
    public static let help = VerbHelp("choose and compute columns", example: "customers | select company, employees * 2 as double")
    public static let completionWords = ["as"]

    public static func parse(_ parser: inout Parser) throws -> SelectVerb {
        SelectVerb(items: try parser.namedList())
    }

    public func bind(_ input: any PlanNode, _ binder: StageBinder) throws -> any PlanNode {
        let outputs = try items.map { NamedExpr($0.outputName(binder.source), try binder.lower($0.expression)) }
        let schema = try binder.engine { try input.schema.projecting(outputs, context: binder.context) }
        return ProjectNode(input: input, outputs: outputs, schema: schema, label: binder.text(binder.stage.span), span: binder.stage.keyword)
    }
}

/// Exactly the computed columns `outputs` of its input.
public struct ProjectNode: PlanNode {
    public var input: any PlanNode
    public var outputs: [NamedExpr]
    public var schema: Schema
    public var label: String
    public var span: SourceSpan

    public var inputs: [any PlanNode] { [input] }
    public func run(_ inputs: [Table], _ runner: PlanRunner) throws -> any QueryResult {
        TableResult(try inputs[0].project(outputs, context: runner.context))
    }
}

extension NamedExpression {
    /// The output column's name: `as name`, else a column's own name, else the written text.
    func outputName(_ source: Source) -> String {
        if let alias { return alias.name }
        if case .column(let name) = expression.kind { return name }
        return Lowering.defaultName(source.text(of: expression.span))
    }
}

extension ProjectNode: SQLCompilable {
    /// `SELECT expr AS name, …`; the order before it is kept when its columns are kept as they were.
    func sql(_ compiler: SQLCompiler) throws -> SQLQuery {
        let input = try compiler.compile(self.input)
        let d = compiler.dialect
        let items = try outputs.map { "\(try compiler.expression($0.expr, over: input.schema, at: self)) AS \(d.name($0.name))" }
        let order = try compiler.keptOrder(input, keeps: { column in
            input.hidden.contains(column) || outputs.contains { $0.name == column && $0.expr.unlocated == .column(column) }
        }, at: self)
        let list = (items + input.hidden.map(d.name)).joined(separator: ", ")
        return SQLQuery(body: "SELECT \(list)\n\(compiler.from(input))", order: order, schema: schema, hidden: input.hidden)
    }
}
