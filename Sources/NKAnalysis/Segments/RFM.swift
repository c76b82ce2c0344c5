import NKEngine

/// RFM scoring of an order log: per customer recency (days since the last order, as of a
/// reference day), frequency (orders) and monetary value (the sum of a value column), each
/// scored 1–5 by quintiles of the customers' ranks — the most recent, most frequent and highest
/// spending fifth score 5 — and named by the segment of its R and F scores.
///
/// Customers come in key order (whole numbers ascending, text by its bytes), counted in memory
/// or by an engine alike. Ranks are ordinal, and with `ties first` ties go in that order, so
/// equal values never pile into one bin: with n customers the one of rank k (1 = lowest value;
/// for recency 1 = longest ago) scores ⌊5 (k − 1) / n⌋ + 1.
public enum RFM {
    /// The classic segment names, by R score (rows, 5 down to 1) and F score (columns, 1 to 5).
    public enum Segment: Int, Sendable, CaseIterable {
        case champions, loyal, potentialLoyalists, new, promising, needAttention, aboutToSleep, atRisk, cantLoseThem, hibernating, lost

        public func label(_ language: LabelLanguage) -> String {
            let english = ["Champions", "Loyal", "Potential loyalists", "New", "Promising", "Need attention", "About to sleep",
                           "At risk", "Can't lose them", "Hibernating", "Lost"]
            let german = ["Champions", "Treue Kunden", "Potenziell treu", "Neue Kunden", "Vielversprechend", "Brauchen Aufmerksamkeit",
                          "Drohen einzuschlafen", "Gefährdet", "Nicht verlieren", "Schlafend", "Verloren"]
            return (language == .german ? german : english)[rawValue]
        }
    }

    /// The score table, kept as data: `grid[5 − r][f − 1]`.
    public static let grid: [[Segment]] = [
        [.new, .potentialLoyalists, .potentialLoyalists, .champions, .champions],          // R 5
        [.promising, .potentialLoyalists, .potentialLoyalists, .loyal, .loyal],            // R 4
        [.aboutToSleep, .aboutToSleep, .needAttention, .loyal, .loyal],                    // R 3
        [.hibernating, .hibernating, .atRisk, .atRisk, .cantLoseThem],                     // R 2
        [.lost, .hibernating, .atRisk, .atRisk, .cantLoseThem],                            // R 1
    ]

    public struct Options: Sendable {
        public var customer: String
        public var date: String
        public var value: String
        public var asOf: Int32?
        public var language = LabelLanguage.english
        /// Break ties in customer key order (each quintile band then holds a fifth of the
        /// customers); by default equal values share the band of the lowest rank among them.
        public var tiesFirst = false
        /// The column that numbers orders: frequency counts its distinct values, not rows.
        public var ordersBy: String?
        public init(customer: String, date: String, value: String) { self.customer = customer; self.date = date; self.value = value }
    }

    public struct Result: Sendable {
        /// Per customer: key, recency, frequency, monetary, r, f, m, rfm ("545"), segment.
        public var customers: Table
        /// Per segment (in table order): customers and share (percent).
        public var segments: Table
        public var asOf: Int32
        /// Where ties made the bands uneven.
        public var notes: [String] = []
    }

    public static func run(_ orders: Table, options: Options, cancellation: CancellationFlag = .shared) throws -> Result {
        _ = try schema(orders.columnSchema, options: options)
        let dateType = orders.column(options.date)!.type
        let day: Expr = dateType == .date ? .col(options.date) : .call("date", [.col(options.date)])
        let hasNulls = orders.column(options.customer)!.nullCount + orders.column(options.date)!.nullCount > 0
        let known = hasNulls ? try orders.filter(!.isNull(.col(options.customer)) && !.isNull(.col(options.date))) : orders
        // frequency: rows, or with `orders by` the distinct order numbers
        let counting = options.ordersBy.map { Aggregate(.countDistinct, .col($0), as: "frequency") } ?? Aggregate(.count, as: "frequency")
        let fast = options.ordersBy == nil ? try direct(orders, options, cancellation) : nil
        let grouped = try fast ?? known.groupBy([NamedExpr(options.customer, .col(options.customer))], [
            Aggregate(.max, day, as: "last"), counting, Aggregate(.sum, .col(options.value), as: "monetary"),
        ], context: ExecutionContext(cancellation: cancellation))
        try cancellation.check()
        // customers in key order (whole numbers ascending, text by its bytes), however they were counted
        let keyOrdered = fast != nil && grouped.column(options.customer)!.type == .integer
        let perCustomer = keyOrdered ? grouped : try grouped.sorted(by: [.asc(options.customer)], context: ExecutionContext(cancellation: cancellation))
        return try run(perCustomer: perCustomer, options: options)
    }

    /// The scores from each customer's last order day (`last`, a date), `frequency` and
    /// `monetary`, counted elsewhere (an engine's grouped query); customers keep their order.
    public static func run(perCustomer: Table, options: Options) throws -> Result {
        for name in [options.customer, "last", "frequency", "monetary"] where perCustomer.column(name) == nil {
            throw EngineError.unknownColumn(name, available: perCustomer.names)
        }
        let n = perCustomer.rowCount
        var latest = Int32.min
        let last = perCustomer.column("last")!
        var lastDays = [Int32](repeating: 0, count: n)
        if case .date(let d) = last.storage {
            for i in 0..<n where !last.isNull(i) { lastDays[i] = d[i]; latest = max(latest, d[i]) }
        }
        let asOf = options.asOf ?? (latest == Int32.min ? 0 : latest)
        let recency = lastDays.map { Int64(asOf) - Int64($0) }
        var frequency = [Int64](repeating: 0, count: n)
        if case .integer(let f) = perCustomer.column("frequency")!.storage { frequency = f }
        let money = perCustomer.column("monetary")!
        var monetary = [Double](repeating: 0, count: n)
        switch money.storage {
        case .float(let v): for i in 0..<n where !money.isNull(i) { monetary[i] = v[i] }
        case .integer(let v): for i in 0..<n where !money.isNull(i) { monetary[i] = Double(v[i]) }
        default: break
        }

        // ranks (equal values share the lowest, unless ties go first come first); recency ranks longest-ago first
        let shared = !options.tiesFirst
        let r = scores(ranks(recency.map { -Double($0) }, sharingTies: shared), n)
        let f = scores(ranks(frequency.map(Double.init), sharingTies: shared), n), m = scores(ranks(monetary, sharingTies: shared), n)
        let segmentOf = (0..<n).map { grid[5 - Int(r[$0])][Int(f[$0]) - 1] }
        let labels = Segment.allCases.map { $0.label(options.language) }
        // the 125 score triples as one dictionary, "111" to "555"
        let tripleNames = StringDictionary((0..<125).map { (k: Int) -> String in "\(k / 25 + 1)\(k / 5 % 5 + 1)\(k % 5 + 1)" })
        var tripleCodes = [Int32](repeating: 0, count: n)
        for i in 0..<n { tripleCodes[i] = Int32((r[i] - 1) * 25 + (f[i] - 1) * 5 + (m[i] - 1)) }
        let customers = try Table([
            (options.customer, perCustomer.column(options.customer)!),
            ("recency", Column(.integer(recency))),
            ("frequency", Column(.integer(frequency))),
            ("monetary", Column(.float(monetary))),
            ("r", Column(.integer(r))), ("f", Column(.integer(f))), ("m", Column(.integer(m))),
            ("rfm", Column(.string(tripleCodes, tripleNames))),
            ("segment", Column(.string(segmentOf.map { Int32($0.rawValue) }, StringDictionary(labels)))),
        ])
        var counts = [Int](repeating: 0, count: Segment.allCases.count)
        for s in segmentOf { counts[s.rawValue] += 1 }
        let segments = try Table([
            ("segment", .strings(labels)),
            ("customers", .integers(counts.map { Int64($0) })),
            ("share", .floats(counts.map { n == 0 ? 0 : Double($0) * 100 / Double(n) })),
        ])
        let notes = [("R", r), ("F", f), ("M", m)].compactMap { unevenBands($0.0, $0.1) }
        return Result(customers: customers, segments: segments, asOf: asOf, notes: notes)
    }

    /// A note when ties put far more than a fifth of the customers into one band.
    static func unevenBands(_ letter: String, _ scores: [Int64]) -> String? {
        guard scores.count >= 10 else { return nil }
        var counts = [Int](repeating: 0, count: 6)
        for s in scores { counts[Int(s)] += 1 }
        guard let band = (1...5).max(by: { counts[$0] < counts[$1] }), counts[band] * 10 > scores.count * 3 else { return nil }
        let share = Int((Double(counts[band]) * 100 / Double(scores.count)).rounded())
        return "ties make the \(letter) bands uneven: \(letter)\(band) holds \(share) % of the customers (ties first splits ties in key order instead)"
    }

    /// Last order day, orders and value per customer in one pass over the orders, split over
    /// the cores, when the customer is a small whole number or text without nulls, the date a
    /// date and the value a number (customers then come in key order); nil otherwise.
    static func direct(_ orders: Table, _ options: Options, _ cancellation: CancellationFlag) throws -> Table? {
        let key = orders.column(options.customer)!, date = orders.column(options.date)!, value = orders.column(options.value)!
        guard orders.rowCount > 0, key.nullCount == 0, date.nullCount == 0, case .date(let days) = date.storage else { return nil }
        let customers = try CustomerKeys(key, cancellation: cancellation)
        let codes: [Int32]
        switch customers.kind {
        case .integers(let v, let low): codes = v.map { Int32(truncatingIfNeeded: $0 - low) }
        case .text(let c, _): codes = c
        case .grouped: return nil
        }
        guard let amounts = value.amounts else { return nil }
        let slots = customers.count, n = orders.rowCount
        let parts = Parallel.split(n, parts: Parallel.workers)
        // one record per customer, so that a row touches one place, not three
        let partials = Parallel.map(parts.count, minimumWork: n) { p -> [CustomerTotals] in
            var totals = [CustomerTotals](repeating: CustomerTotals(), count: slots)
            codes.withUnsafeBufferPointer { c in
                days.withUnsafeBufferPointer { d in
                    amounts.withUnsafeBufferPointer { a in
                        totals.withUnsafeMutableBufferPointer { t in
                            for piece in Parallel.pieces(of: parts[p]) where !cancellation.isCancelled {
                                for i in piece {
                                    let k = Int(c[i])
                                    t[k].last = max(t[k].last, d[i])
                                    t[k].count &+= 1
                                    t[k].sum += a[i]
                                }
                            }
                        }
                    }
                }
            }
            return totals
        }
        // (a part stopped by Ctrl-C holds short totals)
        try cancellation.check()
        var totals = partials[0]
        var count = totals.map { Int64($0.count) }
        for later in partials.dropFirst() {
            for k in 0..<slots {
                totals[k].last = max(totals[k].last, later[k].last); count[k] += Int64(later[k].count); totals[k].sum += later[k].sum
            }
        }
        let used = (0..<slots).filter { count[$0] > 0 }
        return try Table([
            (options.customer, customers.column(used)),
            ("last", Column(.date(used.map { totals[$0].last }))),
            ("frequency", Column(.integer(used.map { count[$0] }))),
            ("monetary", Column(.float(used.map { totals[$0].sum }))),
        ])
    }

    /// One customer's last order day, orders and their sum, as `direct` adds them up: 16
    /// bytes, four to a cache line. (A part's count stays below its rows, which a table
    /// numbers with 32 bits.)
    struct CustomerTotals {
        var sum = 0.0
        var count: Int32 = 0
        var last = Int32.min
    }

    /// Ordinal ranks (1 = smallest), ties in index order.
    static func ranks(_ values: [Double], sharingTies: Bool) -> [Int] {
        let order = NumericSample.stableOrder(values)
        var rank = [Int](repeating: 0, count: values.count)
        for (k, i) in order.enumerated() {
            let tied = sharingTies && k > 0 && values[Int(order[k - 1])] == values[Int(i)]
            rank[Int(i)] = tied ? rank[Int(order[k - 1])] : k + 1
        }
        return rank
    }

    /// Quintile scores 1–5 of ordinal ranks among n.
    static func scores(_ ranks: [Int], _ n: Int) -> [Int64] {
        ranks.map { Int64(5 * ($0 - 1) / max(1, n)) + 1 }
    }
}

extension RFM {
    /// The columns of the per-customer table `run` gives for an order log with these columns,
    /// after the checks `run` makes of them.
    public static func schema(_ orders: Schema, options: Options) throws -> Schema {
        for name in [options.customer, options.date, options.value] where orders.field(name) == nil {
            throw EngineError.unknownColumn(name, available: orders.names)
        }
        let dateType = orders.field(options.date)!.type
        guard dateType.isTemporal else {
            throw EngineError.typeMismatch("\(options.date) holds \(dateType.withArticle) value, not a date", hint: "name the order date with `on`")
        }
        let valueType = orders.field(options.value)!.type
        guard valueType.isNumeric else {
            throw EngineError.typeMismatch("\(options.value) holds \(valueType.withArticle) value, not an amount",
                                           hint: "name the amount with `value`, e.g. value revenue")
        }
        return Schema([Field(options.customer, orders.field(options.customer)!.type), Field("recency", .integer), Field("frequency", .integer),
                       Field("monetary", .float), Field("r", .integer), Field("f", .integer), Field("m", .integer),
                       Field("rfm", .string), Field("segment", .string)])
    }
}
