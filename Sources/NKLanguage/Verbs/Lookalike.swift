import NKAnalysis
import NKEngine

/// `lookalike table [like condition] [on columns]`: the input's rows scored by their
/// resemblance to the other table's (matching) rows, best first, with the values that make
/// them alike.
public struct LookalikeVerb: Verb {
    public var model: Pipeline
    public var like: Expression?
    public var columns: [Identifier]

    public static let words = VerbWords("lookalike")
    public static let help = VerbHelp("score rows by resemblance to a model group (penalised logistic regression), with the values that make them alike",
                                      example: "customers | filter status = \"prospect\" | lookalike customers like status = \"customer\" on industry, size, region")
    public static let takesTable = true
    public static let completionWords = ["like", "on"]

    public static func parse(_ parser: inout Parser) throws -> LookalikeVerb {
        let model = try parser.tableOrPipeline("the table to look like (e.g. customers)", closing: "the pipeline of model rows")
        var like: Expression?
        if parser.accept("like") != nil { like = try parser.expression() }
        return LookalikeVerb(model: model, like: like, columns: try parser.comparedColumns())
    }

    public func bind(_ input: any PlanNode, _ binder: StageBinder) throws -> any PlanNode {
        let model = try binder.bind(self.model)
        for c in columns where input.schema.index(of: c.name) == nil || model.schema.index(of: c.name) == nil {
            let inInput = input.schema.index(of: c.name) == nil
            throw Diagnostic.unknownColumn(c.name, in: inInput ? "the input" : binder.text(self.model.span), at: c.span, binder.source,
                                           available: (inInput ? input : model).schema.names)
        }
        let predicate = try like.map {
            try binder.condition($0, over: model.schema, verb: "`like`", hint: "the rows where it is true are the model, e.g. like class = \"A\"")
        }
        var options = Lookalike.Options()
        options.columns = columns.isEmpty ? nil : columns.map(\.name)
        options.excluded = Set(like?.columnNames ?? [])
        let schema = try binder.engine { try Lookalike.schema(candidates: input.schema, model: model.schema, options: options) }
        return LookalikeNode(candidates: input, model: model, like: predicate, options: options, schema: schema,
                             label: binder.text(binder.stage.span), span: binder.stage.keyword)
    }
}

/// Its candidates scored by resemblance to the model rows (those where `like` holds, or all
/// of the model input, scored against the candidates).
public struct LookalikeNode: PlanNode {
    public var candidates: any PlanNode
    public var model: any PlanNode
    public var like: Expr?
    public var options: Lookalike.Options
    public var schema: Schema
    public var label: String
    public var span: SourceSpan

    public var inputs: [any PlanNode] { [candidates, model] }
    public func run(_ inputs: [Table], _ runner: PlanRunner) throws -> any QueryResult {
        let model = inputs[1]
        var isModel = [UInt8](repeating: 1, count: model.rowCount)
        if let like {
            isModel = [UInt8](repeating: 0, count: model.rowCount)
            for r in try model.selection(where: like, context: runner.context) { isModel[Int(r)] = 1 }
        }
        let result = try Lookalike.run(candidates: inputs[0], model: model, isModel: isModel, againstCandidates: like == nil,
                                       options: options, cancellation: runner.context.cancellation)
        return LookalikeResult(analysis: result)
    }
}

/// What lookalike found: the values that weigh most, and the candidates best first.
public struct LookalikeResult: QueryResult {
    public var analysis: Lookalike.Result
    public var table: Table { analysis.rows }
}
