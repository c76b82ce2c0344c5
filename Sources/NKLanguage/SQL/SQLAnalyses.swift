import NKAnalysis
import NKEngine
import NKSources

/// The statements an analysis sends to an attached engine, in order. Without a database they
/// are only written down (for `explain sql`), and a statement's answer is nil: what depends on
/// it is not written.
final class SQLStatements: @unchecked Sendable {
    let database: (any Database)?
    let context: ExecutionContext
    /// The run the answers are for (its language, and where its errors are located).
    let runner: PlanRunner?
    private(set) var sent: [String] = []
    /// Set when a statement could not be written for want of an earlier one's answer.
    var stopped = false

    init(database: (any Database)?, context: ExecutionContext, runner: PlanRunner? = nil) {
        self.database = database
        self.context = context
        self.runner = runner
    }

    var language: LabelLanguage { runner?.language ?? .english }

    /// Runs the verb's own work on the answers, its errors located at `span`.
    func engine<T>(at span: SourceSpan, _ body: () throws -> T) throws -> T {
        try runner.map { try $0.engine(at: span, body) } ?? body()
    }

    /// A mistake in the data the answers reveal, located at `span`.
    func error(_ message: String, at span: SourceSpan, hint: String) -> any Error {
        runner.map { $0.error(message, at: span, hint: hint) } ?? EngineError.invalidInput(message, hint: hint)
    }

    /// An answer as a count: whole numbers and finite floats, anything else 0.
    static func int(_ v: Value) -> Int {
        switch v {
        case .integer(let i): return Int(i)
        case .float(let d): return d.isFinite ? Int(d) : 0
        default: return 0
        }
    }

    /// An answer as a number, nil when it is none.
    static func double(_ v: Value) -> Double? {
        switch v {
        case .integer(let i): return Double(i)
        case .float(let d): return d
        default: return nil
        }
    }

    /// A date answer's day.
    static func day(_ v: Value) -> Int32? {
        if case .date(let d) = v { return d }
        return nil
    }

    func table(_ sql: String) throws -> Table? {
        sent.append(sql)
        try context.cancellation.check()
        return try database?.read(query: sql, context: context).table
    }

    /// A statement's one row of counts, as whole numbers (null as 0).
    func counts(_ sql: String) throws -> [Int]? {
        guard let t = try table(sql) else { return nil }
        guard t.rowCount == 1 else { throw EngineError.internalError("a count came back with \(t.rowCount) rows") }
        return t.row(0).map(SQLStatements.int)
    }
}

/// An analysis verb whose counting the engine can do.
protocol SQLCounting {
    /// The node that sends the counting to `database`; an error at the verb when it cannot.
    func pushed(_ compiler: SQLCompiler, database: String) throws -> PushedAnalysisNode
}

/// An analysis run inside an attached engine: the engine counts (per customer, per cohort and
/// period, per key), and the verb's own code turns what comes back into its result, as it
/// does in memory.
public struct PushedAnalysisNode: PlanNode {
    public var database: String
    public var schema: Schema
    public var label: String
    public var span: SourceSpan
    /// What the later statements depend on, said when `explain sql` cannot write them.
    var later: String
    /// The result from the statements' answers; nil when they were only written down.
    let count: @Sendable (SQLStatements) throws -> (any QueryResult)?
    public var inputs: [any PlanNode] { [] }

    public func run(_ inputs: [Table], _ runner: PlanRunner) throws -> any QueryResult {
        guard let database = runner.session.databases[database] else { throw EngineError(.io, "\(self.database) was detached", hint: "attach it again") }
        guard let result = try count(SQLStatements(database: database, context: runner.context, runner: runner)) else {
            throw EngineError.internalError("\(label) came back without a result")
        }
        return result
    }

    /// The statements as far as they can be written without the engine's answers, and
    /// whether more would follow.
    func statements(_ context: ExecutionContext) throws -> (sql: [String], complete: Bool) {
        let dry = SQLStatements(database: nil, context: context)
        _ = try count(dry)
        return (dry.sent, !dry.stopped)
    }
}

extension PushedNode {
    /// This statement's rows and `other`'s as one input of their common `columns`, with `flag`
    /// holding `values.0` on this one's rows and `values.1` on the other's (`A vs B` forms).
    func union(_ other: PushedNode, columns: [String], flag: String, values: (Int, Int), _ dialect: SQLDialect) -> String {
        let list = columns.map { dialect.name($0) }.joined(separator: ", ")
        func side(_ query: PushedNode, _ value: Int, _ alias: String) -> String {
            "SELECT \(list), \(value) AS \(flag)\nFROM (\n" + SQLCompiler.indented(query.sql) + "\n) AS \(alias)"
        }
        return side(self, values.0, "nk_a") + "\nUNION ALL\n" + side(other, values.1, "nk_z")
    }
}

extension PlanBinder {
    /// The two sides of an `A vs B` statement when both run inside one engine, with its dialect.
    func inOneEngine(_ a: any PlanNode, _ b: any PlanNode) -> (PushedNode, PushedNode, SQLDialect)? {
        guard let pa = a as? PushedNode, let pb = b as? PushedNode, pa.database == pb.database,
              let dialect = session.databases[pa.database]?.dialect.flatMap(SQLDialect.named) else { return nil }
        return (pa, pb, dialect)
    }
}

/// What the order-log verbs' statements share: the input as a subquery and the rule of the
/// order log (a row counts with a customer and, where a date is named, a date; a timestamp
/// counts as its day).
struct SQLOrderLog: Sendable {
    let dialect: SQLDialect
    let from: String
    let customer: String
    let day: String?
    /// The condition of a usable row.
    let usable: String
    let textKey: Bool

    init(_ compiler: SQLCompiler, input: any PlanNode, customer: String, date: String?, at node: any PlanNode) throws {
        let query = try compiler.compile(input)
        dialect = compiler.dialect
        from = "FROM (\n" + SQLCompiler.indented(query.text(compiler.dialect)) + "\n) AS nk_o"
        self.customer = compiler.dialect.name(customer)
        day = try date.map { name in
            let type = query.schema.field(name)?.type
            let e: Expr = type == .timestamp ? .call("date", [.col(name)]) : .col(name)
            return try compiler.expression(e, over: query.schema, at: node)
        }
        usable = "\(self.customer) IS NOT NULL" + (day.map { " AND \($0) IS NOT NULL" } ?? "")
        textKey = query.schema.field(customer)?.type == .string
    }

    /// Rows without a customer and, with a date, rows with a customer but without a date.
    var leftOut: [String] {
        ["sum(CASE WHEN \(customer) IS NULL THEN 1 ELSE 0 END) AS no_customer"]
            + (day.map { ["sum(CASE WHEN \(customer) IS NOT NULL AND \($0) IS NULL THEN 1 ELSE 0 END) AS no_date"] } ?? [])
    }

    func date(_ day: Int32) -> String { "DATE '\(CivilDate.format(Int(day)))'" }

    /// The customers' rows in key order (text by its bytes), nulls never among them.
    var byCustomer: String { "GROUP BY \(customer)\n" + inCustomerOrder }
    var inCustomerOrder: String { "ORDER BY " + dialect.orderKey(customer, descending: false, isText: textKey) }
}

extension LifecycleNode: SQLCounting {
    func pushed(_ compiler: SQLCompiler, database: String) throws -> PushedAnalysisNode {
        if options.history { throw CannotPushError(self, "history by month cannot be counted inside the engine yet") }
        let log = try SQLOrderLog(compiler, input: orders, customer: options.customer, date: options.date, at: self)
        let customerSQL = try customers.map { try compiler.compile($0).text(compiler.dialect) }
        let options = self.options, d = log.day!
        let order = options.ordersBy.map { compiler.dialect.name($0) }
        let spans = self.spans, span = self.span
        return PushedAnalysisNode(database: database, schema: schema, label: label, span: span,
                                  later: "then: each customer's purchases up to the reference day, with the day the first statement finds") { s in
            var overview = log.leftOut + ["min(CASE WHEN \(log.usable) THEN \(d) END) AS earliest", "max(CASE WHEN \(log.usable) THEN \(d) END) AS latest"]
            if let asOf = options.asOf { overview.append("sum(CASE WHEN \(log.usable) AND \(d) > \(log.date(asOf)) THEN 1 ELSE 0 END) AS future") }
            let first = try s.table("SELECT " + overview.joined(separator: ",\n  ") + "\n" + log.from)
            let days = first.map { t in [2, 3].map { t.rowCount == 1 ? SQLStatements.day(t.columns[$0][0]) : nil } } ?? [nil, nil]
            guard let asOf = options.asOf ?? days[1] ?? (first == nil ? nil : 0) else {
                s.stopped = true
                return nil
            }
            let lapsedBefore = Lifecycle.subtract(options.lapsedAfter, from: asOf), lb = log.date(lapsedBefore)
            let perCustomerSQL = LifecycleNode.perCustomer(log, asOf: log.date(asOf), lapsedBefore: lb, order: order) + "\n" + log.inCustomerOrder
            let perCustomer = try s.table(perCustomerSQL)
            let customerTable = try customerSQL.flatMap { try s.table($0) }
            guard let first, let perCustomer, customerSQL == nil || customerTable != nil else { return nil }
            let skipped = first.row(0).map(SQLStatements.int)
            let v = perCustomer.columns   // read by column: no array per customer
            let purchases = (0..<perCustomer.rowCount).map { r -> Lifecycle.Purchases in
                Lifecycle.Purchases(first: SQLStatements.day(v[1][r]) ?? 0, last: SQLStatements.day(v[2][r]) ?? 0, days: SQLStatements.int(v[3][r]),
                                    orders: SQLStatements.int(v[4][r]), recent: SQLStatements.int(v[5][r]),
                                    before: SQLStatements.day(v[6][r]), since: SQLStatements.day(v[7][r]), atStart: SQLStatements.day(v[8][r]))
            }
            var result = try s.engine(at: spans.customer ?? span) { try Lifecycle.run(purchases: purchases, keys: perCustomer.columns[0], earliest: days[0], asOf: asOf,
                                           skipped: (skipped[0], skipped[1], options.asOf == nil ? 0 : skipped[4]), options: options) }
            if let customerTable {
                result = try s.engine(at: spans.using ?? span) {
                    try Lifecycle.withProspects(customerTable, result, key: options.customer, language: options.language)
                }
            }
            return LifecycleResult(analysis: result, language: options.language, history: false)
        }
    }
}

extension LifecycleNode {
    /// Each customer's purchases up to `asOf` as the classes need them (first, last, days,
    /// orders, recent, before, since, at_start), grouped by customer; `asOf` and
    /// `lapsedBefore` are SQL dates. Purchase days are counted by grouping per customer and day
    /// first where the engine does that faster than a distinct count.
    static func perCustomer(_ log: SQLOrderLog, asOf: String, lapsedBefore lb: String, order: String?) -> String {
        let c = log.customer, d = log.day!
        let within = "\nWHERE \(log.usable) AND \(d) <= \(asOf)\n"
        let around = ["max(CASE WHEN nk_d < \(lb) THEN nk_d END) AS before", "min(CASE WHEN nk_d >= \(lb) THEN nk_d END) AS since",
                      "max(CASE WHEN nk_d <= \(lb) THEN nk_d END) AS at_start"]
        if order != nil || !log.dialect.groupsBeforeCounting {
            // over the rows: orders are distinct order numbers, or rows
            let counted = order.map { ["count(DISTINCT \($0)) AS orders", "count(DISTINCT CASE WHEN nk_d >= \(lb) THEN \($0) END) AS recent"] }
                ?? ["count(*) AS orders", "sum(CASE WHEN nk_d >= \(lb) THEN 1 ELSE 0 END) AS recent"]
            return "SELECT " + (["\(c)", "min(nk_d) AS first", "max(nk_d) AS last", "count(DISTINCT nk_d) AS days"] + counted + around)
                .joined(separator: ",\n  ") + "\nFROM (\n" + SQLCompiler.indented("SELECT \(c), \(d) AS nk_d" + (order.map { ", \($0)" } ?? "") + "\n" + log.from + within)
                + "\n) AS nk_r\nGROUP BY \(c)"
        }
        // rows per customer and day first: the purchase days are then the groups, not a distinct count
        return "SELECT " + (["\(c)", "min(nk_d) AS first", "max(nk_d) AS last", "count(*) AS days", "CAST(sum(nk_n) AS BIGINT) AS orders",
                             "CAST(sum(CASE WHEN nk_d >= \(lb) THEN nk_n ELSE 0 END) AS BIGINT) AS recent"] + around)
            .joined(separator: ",\n  ") + "\nFROM (\n" + SQLCompiler.indented("SELECT \(c), \(d) AS nk_d, count(*) AS nk_n\n" + log.from + within
                                                                                + "GROUP BY \(c), \(d)") + "\n) AS nk_r\nGROUP BY \(c)"
    }
}

/// `segment lifecycle` followed by more stages inside the engine: the customers with their
/// class as rows of SQL, classified by the same rules, so that `| segment by class` or
/// `| filter class = "lapsed" | count` sends back only their result.
extension LifecycleNode: SQLCompilable {
    func sql(_ compiler: SQLCompiler) throws -> SQLQuery {
        guard !options.history, customers == nil else {
            throw CannotPushError(self, "segment lifecycle with \(options.history ? "history" : "using") runs inside the engine only as the last stage")
        }
        let log = try SQLOrderLog(compiler, input: orders, customer: options.customer, date: options.date, at: self)
        let d = log.day!, dialect = compiler.dialect
        // without `as of`, the latest order day, found once
        let latest = "WITH nk_day AS (\n" + SQLCompiler.indented("SELECT max(\(d)) AS nk_as_of\n" + log.from + "\nWHERE \(log.usable)") + "\n)\n"
        let asOf = options.asOf.map(log.date) ?? "(SELECT nk_as_of FROM nk_day)"
        let back = { (i: Interval, date: String) -> String in
            guard let shifted = dialect.shift(date, Interval(-i.amount, i.unit)) else { return date }
            return shifted
        }
        let lb = back(options.lapsedAfter, asOf), ns = back(options.newWithin, asOf)
        let perCustomer = LifecycleNode.perCustomer(log, asOf: asOf, lapsedBefore: lb, order: options.ordersBy.map(dialect.name))
        let label = { (c: Lifecycle.Class) in dialect.text(c.label(self.options.language)) }
        let cls = "CASE WHEN last < \(lb) THEN \(label(.lapsed)) WHEN first >= \(ns) THEN \(label(.new))"
            + " WHEN before < \(back(options.lapsedAfter, "since")) THEN \(label(.reactivated)) ELSE \(label(.active)) END"
        let n = { dialect.name($0) }
        let body = (options.asOf == nil ? latest : "") + "SELECT \(log.customer), first AS \(n("first_purchase")), last AS \(n("last_purchase")), days AS \(n("purchase_days")), "
            + "CAST(orders AS BIGINT) AS \(n("orders")), CAST(recent AS BIGINT) AS \(n("recent_orders")), \(cls) AS \(n("class"))\nFROM (\n"
            + SQLCompiler.indented(perCustomer) + "\n) AS nk_p"
        return SQLQuery(body: body, order: [(options.customer, false, log.textKey)], schema: schema)
    }
}

extension CohortNode: SQLCounting {
    func pushed(_ compiler: SQLCompiler, database: String) throws -> PushedAnalysisNode {
        let log = try SQLOrderLog(compiler, input: input, customer: options.customer, date: options.date, at: self)
        let d = log.day!, period = options.period
        let year = "CAST(EXTRACT(YEAR FROM \(d)) AS INTEGER)"
        let index: String
        switch period {
        case .month: index = "\(year) * 12 + CAST(EXTRACT(MONTH FROM \(d)) AS INTEGER) - 1"
        case .quarter: index = "\(year) * 4 + CAST(EXTRACT(QUARTER FROM \(d)) AS INTEGER) - 1"
        case .year: index = year
        }
        return PushedAnalysisNode(database: database, schema: schema, label: label, span: span, later: "") { s in
            let leftOut = try s.counts("SELECT " + log.leftOut.joined(separator: ",\n  ") + "\n" + log.from)
            let active = "SELECT DISTINCT \(log.customer) AS nk_k, \(index) AS nk_p\n" + log.from + "\nWHERE \(log.usable)"
            let counted = try s.table("WITH nk_a AS (\n" + SQLCompiler.indented(active) + "\n)\n"
                                      + "SELECT nk_f.nk_c AS cohort, nk_a.nk_p AS period, count(*) AS customers\nFROM nk_a\n"
                                      + "JOIN (SELECT nk_k, min(nk_p) AS nk_c FROM nk_a GROUP BY nk_k) AS nk_f ON nk_a.nk_k = nk_f.nk_k\n"
                                      + "GROUP BY nk_f.nk_c, nk_a.nk_p")
            guard let leftOut, let counted else { return nil }
            let rows = (0..<counted.rowCount).map { r in
                let v = counted.row(r).map(SQLStatements.int)
                return (cohort: v[0], period: v[1], customers: v[2])
            }
            return CohortResult(analysis: try Cohorts.run(counted: rows, period: period),
                                notes: [OrderLog.note(withoutCustomer: leftOut[0], withoutDate: leftOut[1])].compactMap { $0 })
        }
    }
}

extension RFMNode {
    /// Each customer's last order day, frequency, monetary value and purchase days (`nk_days`),
    /// grouped by customer.
    static func perCustomer(_ log: SQLOrderLog, _ options: RFM.Options) -> String {
        let dialect = log.dialect, c = log.customer, d = log.day!, v = dialect.name(options.value), double = dialect.double
        if options.ordersBy != nil || !dialect.groupsBeforeCounting {
            let frequency = options.ordersBy.map { "count(DISTINCT \(dialect.name($0)))" } ?? "count(*)"
            return "SELECT " + [c, "max(\(d)) AS last", "\(frequency) AS frequency", "CAST(sum(\(v)) AS \(double)) AS monetary",
                                "count(DISTINCT \(d)) AS nk_days"].joined(separator: ",\n  ") + "\n" + log.from + "\nWHERE \(log.usable)\nGROUP BY \(c)"
        }
        // rows and value per customer and day first: the purchase days are then the groups
        let days = "SELECT \(c), \(d) AS nk_d, count(*) AS nk_n, sum(\(v)) AS nk_v\n" + log.from + "\nWHERE \(log.usable)\nGROUP BY \(c), \(d)"
        return "SELECT " + [c, "max(nk_d) AS last", "CAST(sum(nk_n) AS BIGINT) AS frequency", "CAST(sum(nk_v) AS \(double)) AS monetary",
                            "count(*) AS nk_days"].joined(separator: ",\n  ") + "\nFROM (\n" + SQLCompiler.indented(days) + "\n) AS nk_r\nGROUP BY \(c)"
    }
}

extension RFMNode: SQLCounting {
    func pushed(_ compiler: SQLCompiler, database: String) throws -> PushedAnalysisNode {
        let log = try SQLOrderLog(compiler, input: input, customer: options.customer, date: options.date, at: self)
        let options = self.options
        let perCustomerSQL = RFMNode.perCustomer(log, options) + "\n" + log.inCustomerOrder
        return PushedAnalysisNode(database: database, schema: schema, label: label, span: span, later: "") { s in
            let leftOut = try s.counts("SELECT " + log.leftOut.joined(separator: ",\n  ") + "\n" + log.from)
            let perCustomer = try s.table(perCustomerSQL)
            guard let leftOut, let perCustomer else { return nil }
            var notes = [OrderLog.note(withoutCustomer: leftOut[0], withoutDate: leftOut[1])]
            if options.ordersBy == nil {
                let sum = { (name: String) -> Int in
                    let column = perCustomer.column(name)!
                    return (0..<column.count).reduce(0) { $0 + SQLStatements.int(column[$1]) }
                }
                notes.append(OrderLog.linesNote(counted: "frequency", rows: sum("frequency"), days: sum("nk_days")))
            }
            return RFMResult(analysis: try RFM.run(perCustomer: perCustomer, options: options), language: options.language, notes: notes.compactMap { $0 })
        }
    }
}

extension ParetoNode: SQLCounting {
    func pushed(_ compiler: SQLCompiler, database: String) throws -> PushedAnalysisNode {
        let options = self.options, dialect = compiler.dialect
        guard let key = perKey?.first?.name else {
            // every row is ranked: the rows are what is asked for
            let query = try compiler.compile(input).text(dialect)
            return PushedAnalysisNode(database: database, schema: schema, label: label, span: span, later: "") { s in
                guard let rows = try s.table(query) else { return nil }
                return ParetoResult(analysis: try Pareto.run(rows, options: options, cancellation: s.context.cancellation),
                                    measure: options.measure, language: s.language)
            }
        }
        let log = try SQLOrderLog(compiler, input: input, customer: key, date: nil, at: self)
        let measureType = schema.field(options.measure)?.type == .integer ? "BIGINT" : dialect.double
        return PushedAnalysisNode(database: database, schema: schema, label: label, span: span, later: "") { s in
            let leftOut = try s.counts("SELECT " + log.leftOut.joined(separator: ",\n  ") + "\n" + log.from)
            let m = dialect.name(options.measure)
            let perKey = try s.table("SELECT \(log.customer), CAST(sum(\(m)) AS \(measureType)) AS \(m)\n" + log.from
                                     + "\nWHERE \(log.usable)\n" + log.byCustomer)
            guard let leftOut, let perKey else { return nil }
            return ParetoResult(analysis: try Pareto.run(perKey, options: options, cancellation: s.context.cancellation), measure: options.measure,
                                language: s.language, notes: [OrderLog.note(withoutCustomer: leftOut[0], withoutDate: 0)].compactMap { $0 })
        }
    }
}

/// A verb whose answer has a row for every row it is given (`segment value`, `segment
/// persona`, `lookalike`): the stages before it run inside the engine, their rows come back (they
/// are what the answer lists), and the verb runs on them as it does in memory. An order log
/// is never read this way: the order-log verbs count per customer instead.
protocol SQLPerRow: PlanNode {}

extension SQLPerRow {
    func pushed(_ compiler: SQLCompiler, database: String) throws -> PushedAnalysisNode {
        let queries = try inputs.map { try compiler.compile($0) }
        let statements = queries.map { $0.text(compiler.dialect) }
        let schemas = queries.map(\.schema)
        let node = self
        return PushedAnalysisNode(database: database, schema: schema, label: label, span: span, later: "") { s in
            let read = try statements.map { try s.table($0) }
            guard let runner = s.runner else { return nil }
            let tables = read.compactMap { $0 }
            for (table, schema) in zip(tables, schemas) where table.columnSchema.fields != schema.fields {
                throw EngineError.internalError("the engine returned \(table.columnSchema) for rows of \(schema)")
            }
            return try runner.engine(at: node.span) { try node.run(tables, runner) }
        }
    }
}

extension ValueNode: SQLPerRow, SQLCounting {}
extension PersonaNode: SQLPerRow, SQLCounting {}
extension LookalikeNode: SQLPerRow, SQLCounting {}
