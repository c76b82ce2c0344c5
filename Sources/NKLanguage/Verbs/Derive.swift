import NKEngine

/// `derive name = expression, …`: the input with columns added or replaced.
public struct DeriveVerb: Verb {
    public var items: [(Identifier, Expression)]

    public static let words = VerbWords("derive")
    public static let columnUse = ColumnUse.named
    public static let help = VerbHelp("add computed columns", example: "orders | derive margin = revenue - direct_cost")

    public static func parse(_ parser: inout Parser) throws -> DeriveVerb {
        var items: [(Identifier, Expression)] = []
        repeat {
            let target = try parser.name("a new column's name")
            try parser.expectSymbol("=", "after the column name in `derive \(target.name) = …`")
            items.append((target, try parser.expression()))
        } while parser.acceptSymbol(",") != nil
        return DeriveVerb(items: items)
    }

    public func bind(_ input: any PlanNode, _ binder: StageBinder) throws -> any PlanNode {
        let outputs = try items.map { NamedExpr($0.0.name, try binder.lower($0.1)) }
        let schema = try binder.engine { try input.schema.deriving(outputs, context: binder.context) }
        return DeriveNode(input: input, outputs: outputs, schema: schema, label: binder.text(binder.stage.span), span: binder.stage.keyword)
    }

    public func describe(input: String, keyword: String, _ source: Source) -> String { input }
}

/// Its input with the columns `outputs` added, or replaced where the name exists.
public struct DeriveNode: PlanNode {
    public var input: any PlanNode
    public var outputs: [NamedExpr]
    public var schema: Schema
    public var label: String
    public var span: SourceSpan

    public var inputs: [any PlanNode] { [input] }
    public func run(_ inputs: [Table], _ runner: PlanRunner) throws -> any QueryResult {
        TableResult(try inputs[0].deriving(outputs, context: runner.context))
    }
}

extension DeriveNode: SQLCompilable {
    /// Every column of the input, the derived ones written as expressions (a derived column
    /// replaces one of the same name in its place).
    func sql(_ compiler: SQLCompiler) throws -> SQLQuery {
        let input = try compiler.compile(self.input)
        let d = compiler.dialect
        let items = try schema.fields.map { field -> String in
            guard let derived = outputs.last(where: { $0.name == field.name }) else { return d.name(field.name) }
            return "\(try compiler.expression(derived.expr, over: input.schema, at: self)) AS \(d.name(field.name))"
        }
        let order = try compiler.keptOrder(input, keeps: { column in !outputs.contains { $0.name == column } }, at: self)
        let list = (items + input.hidden.map(d.name)).joined(separator: ", ")
        return SQLQuery(body: "SELECT \(list)\n\(compiler.from(input))", order: order, schema: schema, hidden: input.hidden)
    }
}
