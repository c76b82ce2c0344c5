import NKAnalysis
import NKEngine

/// `segment persona [margin col] [complaints col] … [threshold N]`: a score of six warning
/// signals per customer, negative from `threshold` on, and why-not on the negative ones.
public struct PersonaVerb: Verb {
    public var options: [SegmentOption]

    public static let words = VerbWords("segment", aliases: ["group"], qualifier: "persona")
    public static let help = VerbHelp("negative buyer personas: a score of six warning signals, negative at 2, and why-not on the negative ones",
                                      example: "customers | segment persona threshold 2")
    static let optionWords: [String: SegmentOption.Kind] = [
        "margin": .column, "complaints": .column, "purchases": .column, "acquisition": .column, "earned": .column,
        "rating": .column, "outcome": .column, "effort": .column, "threshold": .percent,
    ]
    public static var completionWords: [String] { optionWords.keys.sorted() }

    public static func parse(_ parser: inout Parser) throws -> PersonaVerb {
        PersonaVerb(options: try parser.segmentOptions("persona", optionWords))
    }

    public func bind(_ input: any PlanNode, _ binder: StageBinder) throws -> any PlanNode {
        let o = try SegmentOptions(options, over: input.schema, binder)
        var run = Persona.Options()
        // the margin before acquisition: the acquisition signal weighs that cost separately
        run.margin = try o.column("margin", defaults: ["db2", "db1", "margin", "deckungsbeitrag", "db3"], what: "", required: false)
        run.complaints = try o.column("complaints", defaults: ["complaints", "beschwerden"], what: "", required: false)
        run.purchases = try o.column("purchases", defaults: ["orders", "purchase_days", "purchases", "frequency"], what: "", required: false)
        run.acquisition = try o.column("acquisition", defaults: ["acquisition_cost", "akquisitionskosten"], what: "", required: false)
        run.earned = try o.column("earned", defaults: ["db2", "db1", "revenue"], what: "", required: false)
        run.rating = try o.column("rating", defaults: ["nps", "rating", "bewertung"], what: "", required: false)
        run.outcome = try o.column("outcome", defaults: ["status"], what: "", required: false)
        run.effort = try o.column("effort", defaults: ["effort", "sales_effort", "contacts", "meetings", "acquisition_cost"], what: "", required: false)
        if let t = o.option("threshold"), case .number(let x, _) = t.value {
            guard x >= 1, x == x.rounded() else {
                throw binder.error("`threshold` is the whole number of signals that makes a customer negative", at: t.span, hint: "e.g. threshold 2")
            }
            run.negativeAt = Int(x)
        }
        let schema = try binder.engine { try Persona.schema(input.schema, options: run) }
        return PersonaNode(input: input, options: run, schema: schema, label: binder.text(binder.stage.span), span: binder.stage.keyword)
    }
}

/// Persona scores of its input's rows, and what the negative ones have in common.
public struct PersonaNode: PlanNode {
    public var input: any PlanNode
    public var options: Persona.Options
    public var schema: Schema
    public var label: String
    public var span: SourceSpan

    public var inputs: [any PlanNode] { [input] }
    public func run(_ inputs: [Table], _ runner: PlanRunner) throws -> any QueryResult {
        let result = try Persona.run(inputs[0], options: options)
        return PersonaResult(analysis: result, patterns: patterns(of: result, runner), language: runner.language)
    }

    /// Who the negative customers are: why-not over everything but the score's inputs.
    func patterns(of result: Persona.Result, _ runner: PlanRunner) -> WhyNot.Result? {
        let negative = result.rows.column("negative")!
        let target = (0..<result.rows.rowCount).map { negative[$0] == .boolean(true) ? UInt8(1) : 0 }
        let negatives = target.reduce(0) { $0 + Int($1) }
        guard negatives > 0, negatives < target.count else { return nil }
        let o = options
        var w = WhyNot.Options()
        w.excluded = Set([o.margin, o.complaints, o.purchases, o.acquisition, o.earned, o.rating, o.outcome, o.effort].compactMap { $0 }
                         + ["persona_score", "signals", "negative", "negative_margin", "db1", "db2", "db3", "revenue", "direct_cost", "service_cost"])
        return try? WhyNot.run(result.rows, target: target, groups: WhyNot.Groups(target: "negative", verb: "be negative customers"),
                               options: w, cancellation: runner.context.cancellation)
    }
}

/// What `segment persona` found: how often each signal fires, who is negative, what they
/// have in common, and every row with its score.
public struct PersonaResult: QueryResult {
    public var analysis: Persona.Result
    public var patterns: WhyNot.Result?
    public var language: LabelLanguage
    public var table: Table { analysis.rows }
}
