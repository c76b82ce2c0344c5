import NKAnalysis
import NKEngine

/// `segment value [revenue col] [cost col] [service col] [acquisition col]`: the contribution
/// margin per row in three stages (DB I, II, III), and which rows lose money.
public struct ValueVerb: Verb {
    public var options: [SegmentOption]

    public static let words = VerbWords("segment", aliases: ["group"], qualifier: "value")
    public static let help = VerbHelp("contribution margin per customer: DB I, DB II, DB III and negative",
                                      example: "orders | segment value revenue revenue cost direct_cost service service_cost")
    static let optionWords: [String: SegmentOption.Kind] = ["revenue": .column, "cost": .column, "service": .column, "acquisition": .column]
    public static var completionWords: [String] { optionWords.keys.sorted() }

    public static func parse(_ parser: inout Parser) throws -> ValueVerb {
        ValueVerb(options: try parser.segmentOptions("value", optionWords))
    }

    public func bind(_ input: any PlanNode, _ binder: StageBinder) throws -> any PlanNode {
        let o = try SegmentOptions(options, over: input.schema, binder)
        var run = ContributionMargin.Options(revenue: try o.column("revenue", defaults: ["revenue", "umsatz"], what: "the revenue")!)
        run.cost = try o.column("cost", defaults: ["direct_cost", "cost", "kosten"], what: "", required: false)
        run.service = try o.column("service", defaults: ["service_cost", "servicekosten"], what: "", required: false)
        run.acquisition = try o.column("acquisition", defaults: ["acquisition_cost", "akquisitionskosten"], what: "", required: false)
        let schema = try binder.engine { try ContributionMargin.schema(input.schema, options: run) }
        return ValueNode(input: input, options: run, schema: schema, label: binder.text(binder.stage.span), span: binder.stage.keyword)
    }
}

/// The contribution margin stages of each row of its input.
public struct ValueNode: PlanNode {
    public var input: any PlanNode
    public var options: ContributionMargin.Options
    public var schema: Schema
    public var label: String
    public var span: SourceSpan

    public var inputs: [any PlanNode] { [input] }
    public func run(_ inputs: [Table], _ runner: PlanRunner) throws -> any QueryResult {
        ValueResult(analysis: try ContributionMargin.run(inputs[0], options: options))
    }
}

/// What `segment value` found: totals per stage, and every row with its margins.
public struct ValueResult: QueryResult {
    public var analysis: ContributionMargin.Result
    public var table: Table { analysis.rows }
}
