import NKAnalysis
import NKEngine

/// `segment lifecycle [by customer] [on date] [as of day] [lapsed after period] [new within
/// period] [using orders] [history by month]`: each customer's lifecycle class.
public struct LifecycleVerb: Verb {
    public var customer: Identifier?
    public var date: Identifier?
    public var asOf: Expression?
    public var lapsedAfter: Interval?
    public var newWithin: Interval?
    /// `using orders`: the input is a customer table, the orders come from here.
    public var using: Pipeline?
    /// `history by month`: the classes counted at every month end.
    public var history = false
    /// `orders by InvoiceNo`: orders are the distinct values of this column, not rows.
    public var ordersBy: Identifier?

    public static let words = VerbWords("segment", aliases: ["group"], qualifier: "lifecycle")
    public static let help = VerbHelp(
        "each customer's class as of a day: lapsed, new, reactivated, active (prospect with using); churn and reactivation rates",
        example: "orders | segment lifecycle by customer_id on order_date lapsed after 12 months new within 3 months",
        options: "by customer_id, on order_date, as of 2025-06-30, lapsed after 12 months, new within 3 months, using orders, history by month, orders by order_id")
    public static let completionWords = ["by", "on", "as", "of", "lapsed", "after", "new", "within", "using", "history", "month", "months", "days", "orders"]

    public static func parse(_ parser: inout Parser) throws -> LifecycleVerb {
        var verb = LifecycleVerb()
        while !parser.atStatementEnd, !parser.current.isSymbol("|"), !parser.current.isSymbol(")") {
            if parser.accept("by") != nil {
                verb.customer = try parser.name("the customer column")
            } else if parser.accept("on") != nil {
                verb.date = try parser.name("the order date column")
            } else if parser.accept("as") != nil {
                try parser.expectWord("of", "in `as of 2025-06-30`")
                verb.asOf = try parser.expression()
            } else if parser.accept("lapsed") != nil {
                try parser.expectWord("after", "in `lapsed after 12 months`")
                verb.lapsedAfter = try parser.period("how long without a purchase makes a customer lapsed")
            } else if parser.accept("new") != nil {
                try parser.expectWord("within", "in `new within 3 months`")
                verb.newWithin = try parser.period("how recent a first purchase makes a customer new")
            } else if parser.accept("history") != nil {
                if parser.accept("by") != nil { try parser.expectWord("month", "in `history by month`") }
                verb.history = true
            } else if parser.accept("orders") != nil {
                try parser.expectWord("by", "in `orders by InvoiceNo`")
                verb.ordersBy = try parser.name("the column that numbers orders")
            } else if parser.accept("using") != nil {
                verb.using = try parser.tableOrPipeline("the orders table", closing: "the orders pipeline")
            } else {
                throw Diagnostic("unexpected \(parser.current.description) in segment lifecycle", at: parser.current.span, in: parser.source,
                                 hint: "options: by customer, on date, as of date, lapsed after 12 months, new within 3 months, using orders, history by month, orders by order_id")
            }
        }
        return verb
    }

    public func bind(_ input: any PlanNode, _ binder: StageBinder) throws -> any PlanNode {
        // with `using`, the input holds customers and the orders come from the pipeline
        let orders = try using.map { try binder.bind($0) } ?? input
        let ordersName = using.map { binder.text($0.span) } ?? "the input"
        let customer = try binder.column(self.customer, in: orders.schema, named: ordersName, guess: ColumnGuess.customer,
                                         what: "the customer column", example: "by customer_id")
        let date = try binder.column(self.date, in: orders.schema, named: ordersName, guess: ColumnGuess.date,
                                     what: "the order date", example: "on order_date")
        if let type = orders.schema.field(date)?.type, !type.isTemporal {
            throw binder.error("\(date) holds \(type.withArticle) value, not a date", at: self.date?.span ?? binder.stage.keyword,
                               hint: "name the order date with `on`, e.g. on order_date", kind: .type)
        }
        if let using, input.schema.index(of: customer) == nil {
            throw binder.error("no column `\(customer)` in the customer table to match the orders of \(binder.text(using.span))",
                               at: self.customer?.span ?? using.span, hint: "both tables need the customer column under one name", kind: .unknownColumn)
        }
        var options = Lifecycle.Options(customer: customer, date: date)
        options.language = binder.language
        if let lapsedAfter { options.lapsedAfter = lapsedAfter }
        if let newWithin { options.newWithin = newWithin }
        options.history = history
        if let ordersBy {
            try binder.requireColumns([ordersBy], in: orders.schema, named: ordersName)
            options.ordersBy = ordersBy.name
        }
        options.asOf = try binder.referenceDay(asOf)
        var schema = try binder.engine(at: self.customer?.span) { try Lifecycle.schema(orders.schema, options: options) }
        if let using, !history {
            schema = try binder.engine(at: using.span) { try Lifecycle.schemaWithProspects(input.schema, schema, key: customer) }
        }
        return LifecycleNode(customers: using == nil ? nil : input, orders: orders, options: options, schema: schema,
                             label: binder.text(binder.stage.span), span: binder.stage.keyword, spans: (self.customer?.span, using?.span))
    }
}

/// Each customer's lifecycle class from an order log; with a customer table, every customer
/// (those without an order are prospects).
public struct LifecycleNode: PlanNode {
    public var customers: (any PlanNode)?
    public var orders: any PlanNode
    public var options: Lifecycle.Options
    public var schema: Schema
    public var label: String
    public var span: SourceSpan
    /// Where the customer column and the `using` pipeline were written.
    var spans: (customer: SourceSpan?, using: SourceSpan?)

    /// The customer table first when there is one (it is what flows in), then the orders.
    public var inputs: [any PlanNode] { (customers.map { [$0] } ?? []) + [orders] }
    public func run(_ inputs: [Table], _ runner: PlanRunner) throws -> any QueryResult {
        // the order-log rule every verb follows: rows without a customer or a date are left out
        // and counted (the counts join lifecycle's own note on orders after the reference day)
        let log = try runner.engine(at: spans.customer ?? span) {
            try OrderLog(inputs[inputs.count - 1], customer: options.customer, date: options.date, cancellation: runner.context.cancellation)
        }
        var result = try runner.engine(at: spans.customer ?? span) {
            try Lifecycle.run(log.table, options: options, cancellation: runner.context.cancellation)
        }
        result.skipped.nullKey += log.withoutCustomer
        result.skipped.nullDate += log.withoutDate
        if customers != nil {
            result = try runner.engine(at: spans.using ?? span) {
                try Lifecycle.withProspects(inputs[0], result, key: options.customer, language: options.language)
            }
        }
        return LifecycleResult(analysis: result, language: options.language, history: options.history)
    }
}

/// What `segment lifecycle` found: the classes, churn and reactivation, every customer's
/// class, and with `history` the classes per month end.
public struct LifecycleResult: QueryResult {
    public var analysis: Lifecycle.Result
    public var language: LabelLanguage
    public var history: Bool

    public var table: Table {
        if history {
            return analysis.history ?? Table.empty([Field("day", .date)] + [Lifecycle.Class.active, .new, .reactivated, .lapsed].map {
                Field($0.label(language), .integer)
            })
        }
        return analysis.customers
    }
}

extension Parser {
    /// A period: a whole number and a unit of days, weeks, months or years.
    mutating func period(_ what: String) throws -> Interval {
        guard case .integer(let amount) = current.kind else {
            throw Diagnostic("expected \(what), found \(current.description)", at: current.span, in: source,
                             hint: "a number and a unit: 12 months, 365 days, 2 years")
        }
        advance()
        guard case .identifier(let w) = current.kind, let unit = Parser.durationUnits[w.lowercased()],
              [.days, .weeks, .months, .years].contains(unit) else {
            throw Diagnostic("expected days, weeks, months or years, found \(current.description)", at: current.span, in: source,
                             hint: "e.g. \(amount) months")
        }
        advance()
        return Interval(Int(amount), unit)
    }
}
