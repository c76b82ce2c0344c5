import NKEngine

/// `join table on key [= other_key], … [left|inner]`: the input's rows with the columns of the
/// other table's rows of equal keys (`left` keeps rows without a match).
public struct JoinVerb: Verb {
    public var other: Pipeline
    public var keys: [(Identifier, Identifier)]
    public var kind: JoinKind

    public static let words = VerbWords("join")
    public static let help = VerbHelp("add columns of rows of another table with equal keys (left keeps all)",
                                      example: "orders | join customers on customer_id left")
    public static let takesTable = true
    public static let completionWords = ["on", "left", "inner"]

    public static func parse(_ parser: inout Parser) throws -> JoinVerb {
        let table = try parser.tableOrPipeline("the table to join (a name, or a pipeline in parentheses)", closing: "the pipeline to join")
        let tableText = parser.source.text(of: table.span)
        try parser.expectWord("on", "in `join \(tableText) on key`")
        var keys: [(Identifier, Identifier)] = []
        repeat {
            let left = try parser.name("a key column")
            var right = left
            if parser.acceptSymbol("=") != nil || parser.acceptSymbol("==") != nil { right = try parser.name("the key column of \(tableText)") }
            keys.append((left, right))
        } while parser.acceptSymbol(",") != nil
        var kind = JoinKind.inner
        if parser.accept("left") != nil { kind = .left } else if parser.accept("inner") != nil { kind = .inner }
        return JoinVerb(other: table, keys: keys, kind: kind)
    }

    public func bind(_ input: any PlanNode, _ binder: StageBinder) throws -> any PlanNode {
        let right = try binder.bind(other)
        let otherName = binder.text(other.span)
        for (l, r) in keys {
            if input.schema.index(of: l.name) == nil {
                throw binder.error("no column `\(l.name)` to join on", at: l.span,
                                   hint: NameSuggestion.nearest(to: l.name, in: input.schema.names).map { "did you mean `\($0)`?" }, kind: .unknownColumn)
            }
            if right.schema.index(of: r.name) == nil {
                throw Diagnostic.unknownColumn(r.name, in: otherName, at: r.span, binder.source, available: right.schema.names,
                                               otherwise: "join \(otherName) on left_column = right_column")
            }
        }
        let pairs = keys.map { (left: $0.0.name, right: $0.1.name) }
        let schema = try binder.engine { try input.schema.joining(right.schema, on: pairs) }
        return JoinNode(left: input, right: right, pairs: pairs, kind: kind, schema: schema, label: binder.text(binder.stage.span), span: binder.stage.keyword)
    }

    public func describe(input: String, keyword: String, _ source: Source) -> String {
        "\(input) joined with \(source.text(of: other.span))"
    }
}

/// A hash join of two inputs on key pairs.
public struct JoinNode: PlanNode {
    public var left: any PlanNode
    public var right: any PlanNode
    public var pairs: [(left: String, right: String)]
    public var kind: JoinKind
    public var schema: Schema
    public var label: String
    public var span: SourceSpan

    public var inputs: [any PlanNode] { [left, right] }
    public func run(_ inputs: [Table], _ runner: PlanRunner) throws -> any QueryResult {
        TableResult(try inputs[0].join(inputs[1], on: pairs, kind: kind, context: runner.context))
    }
}

extension JoinNode: SQLCompilable {
    /// `[LEFT] JOIN` on the key pairs. A right key named like its left partner is left out; other
    /// right columns whose names are taken get the names the plan gave them (`…_right`).
    func sql(_ compiler: SQLCompiler) throws -> SQLQuery {
        let l = try compiler.compile(left), r = try compiler.compile(right)
        let d = compiler.dialect
        let leftFrom = compiler.from(l), rightFrom = compiler.from(r)
        let leftAlias = leftFrom.split(separator: " ").last.map(String.init) ?? "l"
        let rightAlias = rightFrom.split(separator: " ").last.map(String.init) ?? "r"
        let dropped = Set(pairs.filter { l.schema.field($0.left)?.name == r.schema.field($0.right)?.name }.compactMap { r.schema.field($0.right)?.name })
        let rightKept = r.schema.fields.filter { !dropped.contains($0.name) }
        let leftItems = l.schema.fields.map { "\(leftAlias).\(d.name($0.name))" }
        let rightItems = zip(rightKept, schema.fields.dropFirst(l.schema.fields.count)).map { "\(rightAlias).\(d.name($0.name)) AS \(d.name($1.name))" }
        let on = pairs.map { "\(leftAlias).\(d.name(l.schema.field($0.left)?.name ?? $0.left)) = \(rightAlias).\(d.name(r.schema.field($0.right)?.name ?? $0.right))" }
        let join = kind == .left ? "LEFT JOIN" : "JOIN"
        let body = "SELECT \((leftItems + rightItems).joined(separator: ", "))\n"
            + leftFrom + "\n" + join + " " + rightFrom.dropFirst("FROM ".count) + "\nON " + on.joined(separator: " AND ")
        let order = try compiler.keptOrder(l, keeps: { column in l.schema.field(column) != nil }, at: self)
        return SQLQuery(body: body, order: order, schema: schema)
    }
}
