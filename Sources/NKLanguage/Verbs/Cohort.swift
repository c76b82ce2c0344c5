import NKAnalysis
import NKEngine

/// `segment cohort [by customer] [on date] [per month|quarter|year]`: per cohort of first
/// purchase, the share of customers buying in each later period.
public struct CohortVerb: Verb {
    public var options: [SegmentOption]

    public static let words = VerbWords("segment", aliases: ["group"], qualifier: "cohort")
    public static let help = VerbHelp("retention: per cohort of first purchase, the share buying in each later month, quarter or year, with a heat strip",
                                      example: "orders | segment cohort by customer_id on order_date per quarter",
                                      options: "by customer_id, on order_date, per month|quarter|year")
    static let optionWords: [String: SegmentOption.Kind] = ["by": .column, "on": .column, "per": .column]
    public static var completionWords: [String] { optionWords.keys.sorted() + ["month", "quarter", "year"] }

    public static func parse(_ parser: inout Parser) throws -> CohortVerb {
        CohortVerb(options: try parser.segmentOptions("cohort", optionWords))
    }

    public func bind(_ input: any PlanNode, _ binder: StageBinder) throws -> any PlanNode {
        let o = try SegmentOptions(options, over: input.schema, binder)
        let (customer, date) = try o.orderColumns()
        var run = Cohorts.Options(customer: customer, date: date)
        if let word = o.named("per") {
            guard let period = Cohorts.Period(rawValue: word.name.lowercased()) else {
                throw binder.error("cohorts are per month, quarter or year", at: word.span, hint: "e.g. per quarter")
            }
            run.period = period
        }
        let schema = try binder.engine { try Cohorts.schema(input.schema, options: run) }
        return CohortNode(input: input, options: run, schema: schema, label: binder.text(binder.stage.span), span: binder.stage.keyword)
    }
}

/// The retention table of an order log.
public struct CohortNode: PlanNode {
    public var input: any PlanNode
    public var options: Cohorts.Options
    public var schema: Schema
    public var label: String
    public var span: SourceSpan

    public var inputs: [any PlanNode] { [input] }
    public func run(_ inputs: [Table], _ runner: PlanRunner) throws -> any QueryResult {
        let log = try OrderLog(inputs[0], customer: options.customer, date: options.date, cancellation: runner.context.cancellation)
        return CohortResult(analysis: try Cohorts.run(log.table, options: options, cancellation: runner.context.cancellation), notes: [log.note].compactMap { $0 })
    }
}

/// What `segment cohort` found: the retention table (cohort × period).
public struct CohortResult: QueryResult {
    public var analysis: Cohorts.Result
    /// What the order log left out.
    public var notes: [String] = []
    public var table: Table { analysis.table }
}
