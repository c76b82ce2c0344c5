import NKAnalysis
import NKEngine

/// The segmentation stages: their options checked against the columns flowing in, defaults
/// guessed where only one column fits, and what they show when they end a query.
extension Session {
    func lifecycle(_ table: Table, _ options: LifecycleOptions, at stage: SourceSpan, _ source: Source, _ lowering: Lowering,
                   schemaOnly: Bool) throws -> Lifecycle.Result {
        // with `using`, the input holds customers and the orders come from the pipeline
        let orders = try options.using.map { try evaluate($0, source, lowering, schemaOnly: schemaOnly) } ?? table
        let ordersName = options.using.map { source.text(of: $0.span) } ?? "the input"
        let customer = try column(options.customer, in: orders, named: ordersName, at: stage, source,
                                  guess: Session.customerColumn, what: "the customer column", example: "by customer_id")
        let date = try column(options.date, in: orders, named: ordersName, at: stage, source,
                              guess: Session.dateColumn,
                              what: "the order date", example: "on order_date")
        if let type = orders.column(date)?.type, type != .date, type != .timestamp {
            throw Diagnostic("\(date) holds \(type.withArticle) value, not a date", at: options.date?.span ?? stage, in: source,
                             hint: "name the order date with `on`, e.g. on order_date")
        }
        if let using = options.using, table.index(of: customer) == nil {
            throw Diagnostic("no column `\(customer)` in the customer table to match the orders of \(source.text(of: using.span))",
                             at: options.customer?.span ?? using.span, in: source,
                             hint: "both tables need the customer column under one name")
        }
        var run = Lifecycle.Options(customer: customer, date: date)
        run.language = language
        if let (period, _) = options.lapsedAfter { run.lapsedAfter = period }
        if let (period, _) = options.newWithin { run.newWithin = period }
        run.history = options.history
        run.asOf = try referenceDay(options.asOf, source, lowering)
        let ordersTable = schemaOnly ? Table.empty(orders.schema) : orders
        var result = try engine(at: options.customer?.span ?? stage, source, lowering) {
            try Lifecycle.run(ordersTable, options: run, cancellation: context.cancellation)
        }
        if options.using != nil {
            result = try engine(at: options.using!.span, source, lowering) {
                try Lifecycle.withProspects(schemaOnly ? Table.empty(table.schema) : table, result, key: customer, language: language)
            }
        }
        return result
    }

    /// The reference day of a segmentation: `as of` when written, else `today()` when set, else
    /// nil (the latest date in the data).
    func referenceDay(_ expression: Expression?, _ source: Source, _ lowering: Lowering) throws -> Int32? {
        guard let expression else { return todayIsSet ? context.today : nil }
        let value = try engine(at: expression.span, source, lowering) {
            try Table(rowCount: 1).evaluate(try lowering.lower(expression), context: context)[0]
        }
        guard case .date(let day) = value else {
            throw Diagnostic("`as of` needs a date, as in as of 2025-06-30", at: expression.span, in: source)
        }
        return day
    }

    /// The column named, or the one guess when none is named.
    func column(_ named: Identifier?, in table: Table, named tableName: String, at stage: SourceSpan, _ source: Source,
                guess: (Table) -> String?, what: String, example: String) throws -> String {
        if let named {
            guard table.index(of: named.name) != nil else {
                throw Diagnostic("no column `\(named.name)` in \(tableName)", at: named.span, in: source,
                                 hint: NameSuggestion.nearest(to: named.name, in: table.names).map { "did you mean `\($0)`?" })
            }
            return named.name
        }
        guard let guessed = guess(table) else {
            throw Diagnostic("cannot tell \(what) of \(tableName): name it, as in \(example)", at: stage, in: source,
                             hint: "columns: " + table.names.joined(separator: ", "))
        }
        return guessed
    }

    static func single(_ names: [String]) -> String? { names.count == 1 ? names[0] : nil }

    /// The only date or timestamp column.
    static func dateColumn(_ table: Table) -> String? {
        single(table.schema.filter { $0.type == .date || $0.type == .timestamp }.map(\.name))
    }

    /// The customer column of an order log: the one column named like an identifier for
    /// customers (customer_id, kunde, client_nr), else the one identifier-like column whose
    /// values repeat (an order number is unique and does not qualify).
    static func customerColumn(_ table: Table) -> String? {
        let candidates = table.names.filter { name in
            let n = name.lowercased()
            guard n == "id" || n.hasSuffix("_id") || n.hasSuffix("id") || n.hasSuffix("_nr") || n.hasPrefix("kunde") || n.hasPrefix("customer") else { return false }
            guard let c = table.column(name) else { return false }
            return c.type == .integer || c.type == .string
        }
        let named = candidates.filter { name in ["customer", "kunde", "client"].contains { name.lowercased().contains($0) } }
        if named.count == 1 { return named[0] }
        let repeating = candidates.filter { name in
            guard let c = table.column(name) else { return false }
            return ((try? Table([("k", c)]).distinct().rowCount) ?? table.rowCount) < table.rowCount
        }
        return single(repeating)
    }

    func outputs(of result: Lifecycle.Result) -> [StatementOutput] {
        let german = language == .german
        var out: [StatementOutput] = []
        let asOf = CivilDate.format(Int(result.asOf))
        out.append(.message(german
            ? "Stand \(asOf): Nullkunde = letzter Kauf vor \(CivilDate.format(Int(result.lapsedBefore))); Neukunde = erster Kauf ab \(CivilDate.format(Int(result.newSince)))"
            : "as of \(asOf): lapsed = last purchase before \(CivilDate.format(Int(result.lapsedBefore))); new = first purchase on or after \(CivilDate.format(Int(result.newSince)))"))
        let skipped = result.skipped
        if skipped.nullKey + skipped.nullDate + skipped.future > 0 {
            var parts: [String] = []
            if skipped.nullKey > 0 { parts.append("\(Value.grouped(skipped.nullKey)) without a customer") }
            if skipped.nullDate > 0 { parts.append("\(Value.grouped(skipped.nullDate)) without a date") }
            if skipped.future > 0 { parts.append("\(Value.grouped(skipped.future)) after \(asOf)") }
            out.append(.message("note: orders left out: " + parts.joined(separator: ", ")))
        }
        out.append(.table(result.classes, totalRows: result.classes.rowCount))
        func rate(_ a: Int, _ b: Int) -> String { b == 0 ? "–" : Value.formatFloat((Double(a) * 1000 / Double(b)).rounded() / 10) + " %" }
        let since = CivilDate.format(Int(result.lapsedBefore))
        out.append(.text(german
            ? "Abwanderung: \(rate(result.churn.churned, result.churn.base)) der \(Value.grouped(result.churn.base)) Kunden, die am \(since) nicht Nullkunde waren, sind es jetzt."
            : "churn rate: \(rate(result.churn.churned, result.churn.base)) of the \(Value.grouped(result.churn.base)) customers who were not lapsed on \(since) are lapsed now."))
        out.append(.text(german
            ? "Reaktivierung: \(rate(result.reactivation.reactivated, result.reactivation.lapsedEver)) der \(Value.grouped(result.reactivation.lapsedEver)) Kunden, die zu Nullkunden wurden, haben wieder gekauft."
            : "reactivation rate: \(rate(result.reactivation.reactivated, result.reactivation.lapsedEver)) of the \(Value.grouped(result.reactivation.lapsedEver)) customers who had lapsed bought again."))
        out.append(.table(result.customers, totalRows: result.customers.rowCount))
        return out
    }
}

extension Session {
    /// `segment pareto`, `segment rfm` and `segment value`.
    func segmentation(_ kind: Segmentation, _ options: [SegmentOption], _ table: Table, at stage: SourceSpan, _ source: Source,
                      _ lowering: Lowering, schemaOnly: Bool) throws -> Table {
        var seen = Set<String>()
        for o in options where !seen.insert(o.name.name).inserted {
            throw Diagnostic("`\(o.name.name)` is given twice", at: o.name.span, in: source)
        }
        func option(_ name: String) -> SegmentOption? { options.first { $0.name.name == name } }
        /// A named column (checked), or the first present of the default names.
        func column(_ name: String, defaults: [String], what: String, required: Bool = true) throws -> String? {
            if let o = option(name), case .column(let id) = o.value {
                guard table.index(of: id.name) != nil else {
                    throw Diagnostic("no column `\(id.name)`", at: id.span, in: source,
                                     hint: NameSuggestion.nearest(to: id.name, in: table.names).map { "did you mean `\($0)`?" })
                }
                return id.name
            }
            if let found = defaults.first(where: { table.index(of: $0) != nil }) { return found }
            if !required { return nil }
            throw Diagnostic("cannot tell \(what): name it, as in \(name) \(defaults.first ?? "column")", at: stage, in: source,
                             hint: "columns: " + table.names.joined(separator: ", "))
        }
        func percent(_ name: String, _ fallback: Double) throws -> Double {
            guard let o = option(name), case .number(let x, let isPercent) = o.value else { return fallback }
            let value = isPercent ? x : x * 100
            guard value > 0, value <= 100 else {
                throw Diagnostic("`\(name)` must be a share between 0 and 100 %", at: o.span, in: source, hint: "e.g. \(name) 80%")
            }
            return value
        }
        /// The customer and order date columns of an order log: `by` and `on`, else guessed.
        func orderColumns() throws -> (String, String) {
            func named(_ word: String) -> Identifier? { option(word).flatMap { if case .column(let c) = $0.value { c } else { nil } } }
            let customer = try self.column(named("by"), in: table, named: "the input", at: stage, source, guess: Session.customerColumn,
                                           what: "the customer column", example: "by customer_id")
            let date = try self.column(named("on"), in: table, named: "the input", at: stage, source, guess: Session.dateColumn,
                                       what: "the order date", example: "on order_date")
            return (customer, date)
        }
        let run = schemaOnly ? Table.empty(table.schema) : table
        switch kind {
        case .pareto:
            let measure = try column("on", defaults: ["revenue", "umsatz", "amount", "value"], what: "the measure to rank by")!
            var input = run
            if let key = try column("by", defaults: [], what: "", required: false) {
                // per key first: the measure summed over its rows
                input = try engine(at: stage, source, lowering) {
                    try run.groupBy([NamedExpr(key, .col(key))], [Aggregate(.sum, .col(measure), as: measure)], context: context)
                }
            }
            var o = Pareto.Options(measure: measure)
            o.a = try percent("a", 80)
            o.b = try percent("b", 95)
            let result = try engine(at: stage, source, lowering) { try Pareto.run(input, options: o, cancellation: context.cancellation) }
            if !schemaOnly { lastAnalysis = .pareto(result, measure: measure) }
            return result.rows
        case .rfm:
            let (customer, date) = try orderColumns()
            let value = try column("value", defaults: ["revenue", "umsatz", "amount", "value"], what: "the order value")!
            var o = RFM.Options(customer: customer, date: date, value: value)
            o.language = language
            o.asOf = try referenceDay(option("as").flatMap { if case .expression(let e) = $0.value { e } else { nil } }, source, lowering)
            let result = try engine(at: stage, source, lowering) { try RFM.run(run, options: o, cancellation: context.cancellation) }
            if !schemaOnly { lastAnalysis = .rfm(result) }
            return result.customers
        case .value:
            var o = ContributionMargin.Options(revenue: try column("revenue", defaults: ["revenue", "umsatz"], what: "the revenue")!)
            o.cost = try column("cost", defaults: ["direct_cost", "cost", "kosten"], what: "", required: false)
            o.service = try column("service", defaults: ["service_cost", "servicekosten"], what: "", required: false)
            o.acquisition = try column("acquisition", defaults: ["acquisition_cost", "akquisitionskosten"], what: "", required: false)
            let result = try engine(at: stage, source, lowering) { try ContributionMargin.run(run, options: o) }
            if !schemaOnly { lastAnalysis = .value(result) }
            return result.rows
        case .clv:
            let (customer, date) = try orderColumns()
            var o = CLV.Options(customer: customer, date: date)
            o.value = try column("value", defaults: ["revenue", "umsatz", "amount", "value"], what: "", required: false)
            o.asOf = try referenceDay(option("as").flatMap { if case .expression(let e) = $0.value { e } else { nil } }, source, lowering)
            if let h = option("horizon"), case .expression(let e) = h.value {
                guard case .duration(let interval) = e.kind, interval.amount > 0, [.days, .weeks, .months, .years].contains(interval.unit) else {
                    throw Diagnostic("`horizon` is a period, as in horizon 12 months", at: e.span, in: source)
                }
                o.horizon = interval
            }
            if schemaOnly {
                var columns: [(String, Column)] = [(customer, Column.nulls(table.column(customer)!.type, count: 0)), ("frequency", .integers([])),
                                                   ("recency", .floats([])), ("T", .floats([]))]
                if o.value != nil { columns.append(("monetary", .floats([]))) }
                columns += [("p_alive", .floats([])), ("expected_purchases", .floats([]))]
                if o.value != nil { columns += [("expected_spend", .floats([])), ("expected_value", .floats([]))] }
                return try Table(columns)
            }
            let result = try engine(at: stage, source, lowering) { try CLV.run(run, options: o, cancellation: context.cancellation) }
            lastAnalysis = .clv(result)
            return result.customers
        case .cohort:
            let (customer, date) = try orderColumns()
            var o = Cohorts.Options(customer: customer, date: date)
            if let per = option("per"), case .column(let word) = per.value {
                guard let period = Cohorts.Period(rawValue: word.name.lowercased()) else {
                    throw Diagnostic("cohorts are per month, quarter or year", at: word.span, in: source, hint: "e.g. per quarter")
                }
                o.period = period
            }
            let result = try engine(at: stage, source, lowering) { try Cohorts.run(run, options: o, cancellation: context.cancellation) }
            if !schemaOnly { lastAnalysis = .cohort(result) }
            return result.table
        case .persona:
            var o = Persona.Options()
            // the margin before acquisition: the acquisition signal weighs that cost separately
            o.margin = try column("margin", defaults: ["db2", "db1", "margin", "deckungsbeitrag", "db3"], what: "", required: false)
            o.complaints = try column("complaints", defaults: ["complaints", "beschwerden"], what: "", required: false)
            o.purchases = try column("purchases", defaults: ["orders", "purchase_days", "purchases", "frequency"], what: "", required: false)
            o.acquisition = try column("acquisition", defaults: ["acquisition_cost", "akquisitionskosten"], what: "", required: false)
            o.earned = try column("earned", defaults: ["db2", "db1", "revenue"], what: "", required: false)
            o.rating = try column("rating", defaults: ["nps", "rating", "bewertung"], what: "", required: false)
            o.outcome = try column("outcome", defaults: ["status"], what: "", required: false)
            o.effort = try column("effort", defaults: ["effort", "sales_effort", "contacts", "meetings", "acquisition_cost"], what: "", required: false)
            if let t = option("threshold"), case .number(let x, _) = t.value {
                guard x >= 1, x == x.rounded() else {
                    throw Diagnostic("`threshold` is the whole number of signals that makes a customer negative", at: t.span, in: source, hint: "e.g. threshold 2")
                }
                o.negativeAt = Int(x)
            }
            let result = try engine(at: stage, source, lowering) { try Persona.run(run, options: o) }
            guard !schemaOnly else { return result.rows }
            // who the negative customers are: why-not over everything but the score's inputs
            var patterns: WhyNot.Result?
            let target = (0..<result.rows.rowCount).map { result.rows.column("negative")![$0] == .boolean(true) ? UInt8(1) : 0 }
            let negatives = target.reduce(0) { $0 + Int($1) }
            if negatives > 0, negatives < target.count {
                var w = WhyNot.Options()
                w.excluded = Set([o.margin, o.complaints, o.purchases, o.acquisition, o.earned, o.rating, o.outcome, o.effort].compactMap { $0 }
                                 + ["persona_score", "signals", "negative", "negative_margin", "db1", "db2", "db3", "revenue", "direct_cost", "service_cost"])
                w.sentences = 3
                patterns = try? WhyNot.run(result.rows, target: target,
                                           groups: WhyNot.Groups(target: "negative", verb: "be negative customers"), options: w,
                                           cancellation: context.cancellation)
            }
            lastAnalysis = .persona(result, patterns: patterns)
            return result.rows
        }
    }

    func outputs(of result: Pareto.Result, measure: String) -> [StatementOutput] {
        var out: [StatementOutput] = [.table(result.classes, totalRows: result.classes.rowCount)]
        let c = result.classes
        if let rows = c.column("share_rows")?[0].doubleValue, let share = c.column("share_\(measure)")?[0].doubleValue {
            let percent = { (x: Double) in Value.formatFloat((x * 10).rounded() / 10) + " %" }
            out.append(.text(language == .german
                ? "\(percent(rows)) der Zeilen (Klasse A) bringen \(percent(share)) von \(measure)."
                : "\(percent(rows)) of the rows (class A) bring \(percent(share)) of \(measure)."))
        }
        if result.unranked > 0 {
            out.append(.message("note: \(Value.grouped(result.unranked)) \(result.unranked == 1 ? "row" : "rows") without \(measure) \(result.unranked == 1 ? "has" : "have") no class"))
        }
        out.append(.table(result.rows, totalRows: result.rows.rowCount))
        return out
    }

    func outputs(of result: RFM.Result) -> [StatementOutput] {
        [.message((language == .german ? "Stand " : "as of ") + CivilDate.format(Int(result.asOf))),
         .table(result.segments, totalRows: result.segments.rowCount),
         .table(result.customers, totalRows: result.customers.rowCount)]
    }

    func outputs(of result: ContributionMargin.Result) -> [StatementOutput] {
        var out: [StatementOutput] = [.table(result.stages, totalRows: result.stages.rowCount)]
        for (column, rows) in result.missingCosts {
            out.append(.message("note: \(Value.grouped(rows)) \(rows == 1 ? "row" : "rows") without \(column): counted as 0"))
        }
        out.append(.table(result.rows, totalRows: result.rows.rowCount))
        return out
    }
}

extension Session {
    func outputs(of result: Persona.Result, patterns: WhyNot.Result?) -> [StatementOutput] {
        var out: [StatementOutput] = [.table(result.signals, totalRows: result.signals.rowCount)]
        if !result.unscored.isEmpty {
            out.append(.message("note: not scored for want of a column: " + result.unscored.map(\.rawValue).joined(separator: ", ")))
        }
        let negatives = (0..<result.rows.rowCount).filter { result.rows.column("negative")![$0] == .boolean(true) }.count
        out.append(.text(language == .german
            ? "\(Value.grouped(negatives)) von \(Value.grouped(result.rows.rowCount)) Kunden sind negative Kunden."
            : "\(Value.grouped(negatives)) of \(Value.grouped(result.rows.rowCount)) customers are negative customers."))
        if let patterns {
            out.append(.message("who they are (why-not negative):"))
            out.append(.table(patterns.patterns.head(10), totalRows: patterns.patterns.rowCount))
            out += patterns.findings.map { .text($0) }
        }
        out.append(.table(result.rows, totalRows: result.rows.rowCount))
        return out
    }
}
