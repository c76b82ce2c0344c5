import NKAnalysis
import NKEngine

/// `segment clv [by customer] [on date] [value amount] [as of day] [horizon period]`: each
/// customer's lifetime value from BG/NBD and Gamma-Gamma models.
public struct CLVVerb: Verb {
    public var options: [SegmentOption]

    public static let words = VerbWords("segment", aliases: ["group"], qualifier: "clv")
    public static let help = VerbHelp("lifetime value: BG/NBD (P(alive), expected purchases) and Gamma-Gamma (spend) fitted by maximum likelihood",
                                      example: "orders | segment clv by customer_id on order_date value revenue horizon 12 months",
                                      options: "by customer_id, on order_date, value revenue, as of 2025-06-30, horizon 12 months")
    static let optionWords: [String: SegmentOption.Kind] = ["by": .column, "on": .column, "value": .column, "as": .date, "horizon": .expression]
    public static var completionWords: [String] { optionWords.keys.sorted() }

    public static func parse(_ parser: inout Parser) throws -> CLVVerb {
        CLVVerb(options: try parser.segmentOptions("clv", optionWords))
    }

    public func bind(_ input: any PlanNode, _ binder: StageBinder) throws -> any PlanNode {
        let o = try SegmentOptions(options, over: input.schema, binder)
        let (customer, date) = try o.orderColumns()
        var run = CLV.Options(customer: customer, date: date)
        run.value = try o.column("value", defaults: ["revenue", "umsatz", "amount", "value"], what: "", required: false)
        run.asOf = try binder.referenceDay(o.expression("as"))
        if let e = o.expression("horizon") {
            guard case .duration(let interval) = e.kind, interval.amount > 0, [.days, .weeks, .months, .years].contains(interval.unit) else {
                throw binder.error("`horizon` is a period, as in horizon 12 months", at: e.span)
            }
            run.horizon = interval
        }
        let schema = try binder.engine { try CLV.schema(input.schema, options: run) }
        return CLVNode(input: input, options: run, schema: schema, label: binder.text(binder.stage.span), span: binder.stage.keyword)
    }
}

/// Lifetime values per customer of an order log.
public struct CLVNode: PlanNode {
    public var input: any PlanNode
    public var options: CLV.Options
    public var schema: Schema
    public var label: String
    public var span: SourceSpan

    public var inputs: [any PlanNode] { [input] }
    public func run(_ inputs: [Table], _ runner: PlanRunner) throws -> any QueryResult {
        let log = try OrderLog(inputs[0], customer: options.customer, date: options.date, cancellation: runner.context.cancellation)
        return CLVResult(analysis: try CLV.run(log.table, options: options, cancellation: runner.context.cancellation), notes: [log.note].compactMap { $0 })
    }
}

/// What `segment clv` found: the fitted parameters, and every customer's expected value.
public struct CLVResult: QueryResult {
    public var analysis: CLV.Result
    /// What the order log left out.
    public var notes: [String] = []
    public var table: Table { analysis.customers }
}
