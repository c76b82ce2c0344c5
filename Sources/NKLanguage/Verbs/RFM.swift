import NKAnalysis
import NKEngine

/// `segment rfm [by customer] [on date] [value amount] [as of day]`: recency, frequency and
/// monetary value scored 1–5 per customer, and the classic segment names.
public struct RFMVerb: Verb {
    public var options: [SegmentOption]

    public static let words = VerbWords("segment", aliases: ["group"], qualifier: "rfm")
    public static let help = VerbHelp("recency, frequency, monetary scored 1-5 by quintiles, and the classic segment names",
                                      example: "orders | segment rfm by customer_id on order_date value revenue",
                                      options: "by customer_id, on order_date, value revenue, as of 2025-06-30, ties first, orders by order_id")
    static let optionWords: [String: SegmentOption.Kind] = ["by": .column, "on": .column, "value": .column, "as": .date, "ties": .column, "orders": .byColumn]
    public static var completionWords: [String] { optionWords.keys.sorted() }

    public static func parse(_ parser: inout Parser) throws -> RFMVerb {
        RFMVerb(options: try parser.segmentOptions("rfm", optionWords))
    }

    public func bind(_ input: any PlanNode, _ binder: StageBinder) throws -> any PlanNode {
        let o = try SegmentOptions(options, over: input.schema, binder)
        let (customer, date) = try o.orderColumns()
        let value = try o.column("value", defaults: ["revenue", "umsatz", "amount", "value"], what: "the order value")!
        var run = RFM.Options(customer: customer, date: date, value: value)
        run.language = binder.language
        run.asOf = try binder.referenceDay(o.expression("as"))
        if let ordersBy = o.named("orders") {
            try binder.requireColumns([ordersBy], in: input.schema)
            run.ordersBy = ordersBy.name
        }
        if let ties = o.named("ties") {
            switch ties.name.lowercased() {
            case "first": run.tiesFirst = true
            case "shared", "equal": run.tiesFirst = false
            default: throw binder.error("`ties` is first (in customer key order) or shared (equal values, equal scores)", at: ties.span, hint: "e.g. ties first")
            }
        }
        let schema = try binder.engine { try RFM.schema(input.schema, options: run) }
        return RFMNode(input: input, options: run, schema: schema, label: binder.text(binder.stage.span), span: binder.stage.keyword)
    }
}

/// RFM scores per customer of an order log.
public struct RFMNode: PlanNode {
    public var input: any PlanNode
    public var options: RFM.Options
    public var schema: Schema
    public var label: String
    public var span: SourceSpan

    public var inputs: [any PlanNode] { [input] }
    public func run(_ inputs: [Table], _ runner: PlanRunner) throws -> any QueryResult {
        let log = try OrderLog(inputs[0], customer: options.customer, date: options.date, cancellation: runner.context.cancellation)
        let lines = options.ordersBy == nil ? try log.linesNote(counted: "frequency") : nil
        return RFMResult(analysis: try RFM.run(log.table, options: options, cancellation: runner.context.cancellation), language: options.language,
                         notes: [log.note, lines].compactMap { $0 })
    }
}

/// What `segment rfm` found: customers per segment, and every customer's scores.
public struct RFMResult: QueryResult {
    public var analysis: RFM.Result
    public var language: LabelLanguage
    /// What the order log left out.
    public var notes: [String] = []
    public var table: Table { analysis.customers }
}
