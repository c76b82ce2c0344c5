import NKAnalysis
import NKEngine

/// `segment pareto [on measure] [by key] [a 80%] [b 95%]`: ABC classes by a measure, per row
/// or per key (the measure summed over the key's rows first).
public struct ParetoVerb: Verb {
    public var options: [SegmentOption]

    public static let words = VerbWords("segment", aliases: ["group"], qualifier: "pareto")
    public static let help = VerbHelp("ABC classes by a measure: A reaches 80 % of the total, B 95 %",
                                      example: "orders | segment pareto on revenue by customer_id a 80% b 95%",
                                      options: "on revenue, by customer_id, a 80%, b 95%")
    static let optionWords: [String: SegmentOption.Kind] = ["on": .column, "by": .column, "a": .percent, "b": .percent]
    public static var completionWords: [String] { optionWords.keys.sorted() }

    public static func parse(_ parser: inout Parser) throws -> ParetoVerb {
        ParetoVerb(options: try parser.segmentOptions("pareto", optionWords))
    }

    public func bind(_ input: any PlanNode, _ binder: StageBinder) throws -> any PlanNode {
        let o = try SegmentOptions(options, over: input.schema, binder)
        let measure = try o.column("on", defaults: ["revenue", "umsatz", "amount", "value"], what: "the measure to rank by")!
        let key = try o.column("by", defaults: [], what: "", required: false)
        var run = Pareto.Options(measure: measure)
        run.a = try o.percent("a", 80)
        run.b = try o.percent("b", 95)
        let perKey = key.map { [NamedExpr($0, .col($0))] }
        let sum = [Aggregate(.sum, .col(measure), as: measure)]
        let schema = try binder.engine {
            let ranked = try perKey.map { try input.schema.grouping($0, sum, context: binder.context) } ?? input.schema
            return try Pareto.schema(ranked, options: run)
        }
        return ParetoNode(input: input, perKey: perKey, options: run, schema: schema, label: binder.text(binder.stage.span), span: binder.stage.keyword)
    }
}

/// ABC classes of its input's rows (or keys) by a measure.
public struct ParetoNode: PlanNode {
    public var input: any PlanNode
    /// The key to sum the measure over first, when given.
    public var perKey: [NamedExpr]?
    public var options: Pareto.Options
    public var schema: Schema
    public var label: String
    public var span: SourceSpan

    public var inputs: [any PlanNode] { [input] }
    public func run(_ inputs: [Table], _ runner: PlanRunner) throws -> any QueryResult {
        let context = runner.context
        let sum = [Aggregate(.sum, .col(options.measure), as: options.measure)]
        // per key: rows without a key are left out (counted in a note), not ranked as a key of their own
        let log = try perKey.map { try OrderLog(inputs[0], customer: $0[0].name, date: nil, cancellation: context.cancellation) }
        // keys in key order, so equal sums rank the same however the rows came
        let table = try perKey.map { try log!.table.groupBy($0, sum, context: context).sorted(by: [.asc($0[0].name)], context: context) } ?? inputs[0]
        let result = try Pareto.run(table, options: options, cancellation: context.cancellation)
        return ParetoResult(analysis: result, measure: options.measure, language: runner.language, notes: [log?.note].compactMap { $0 })
    }
}

/// What `segment pareto` found: rows and share per class, and every row with its class.
public struct ParetoResult: QueryResult {
    public var analysis: Pareto.Result
    public var measure: String
    public var language: LabelLanguage
    /// What was left out before ranking.
    public var notes: [String] = []
    public var table: Table { analysis.rows }
}
