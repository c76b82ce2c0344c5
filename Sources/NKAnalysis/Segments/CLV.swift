import NKEngine

/// Customer lifetime value from an order log: each customer summarised as BG/NBD and
/// Gamma-Gamma need it, both models fitted by maximum likelihood, and per customer the
/// probability of being alive, the purchases expected within a horizon and their value.
///
/// Time is counted in weeks. Orders on one day are one purchase (their values summed); orders
/// after the reference day are left out (it ends the observation). frequency = purchase days
/// after the first; recency = weeks from the first to the last purchase; T = weeks from the
/// first purchase to the reference day; monetary = the mean value of the repeat purchase days.
public enum CLV {
    public struct Options: Sendable {
        public var customer: String
        public var date: String
        /// The order value; without it only purchases and P(alive) are estimated.
        public var value: String?
        public var asOf: Int32?
        public var horizon = Interval(12, .months)
        public init(customer: String, date: String) { self.customer = customer; self.date = date }
    }

    /// Per customer: the model inputs.
    public struct Summary: Sendable {
        public var keys: Column
        public var frequency: [Double]
        public var recency: [Double]
        public var age: [Double]
        public var monetary: [Double]
        public var asOf: Int32
        /// The customers' codes while the summary is made in pieces.
        var codes: [Int] = []
    }

    public struct Result: Sendable {
        /// key, frequency, recency, T, monetary, p_alive, expected_purchases, expected_value.
        public var customers: Table
        /// The fitted parameters.
        public var parameters: Table
        public var horizonWeeks: Double
    }

    static let week = 7.0

    /// Each customer's model inputs. The order rows are worked through in pieces of a million,
    /// on all cores, asking for Ctrl-C between them.
    public static func summary(_ orders: Table, options: Options, cancellation: CancellationFlag = .shared) throws -> Summary {
        try summary(orders, options: options, cancellation: cancellation, pieceSize: 1 << 20)
    }

    static func summary(_ orders: Table, options: Options, cancellation: CancellationFlag, pieceSize: Int) throws -> Summary {
        _ = try schema(orders.columnSchema, options: options)
        let keyColumn = orders.column(options.customer)!, dateColumn = orders.column(options.date)!
        guard case .date(let days) = dateColumn.storage else {
            throw EngineError.typeMismatch("\(options.date) holds \(dateColumn.type.withArticle) value, not a date", hint: "name the order date with `on`")
        }
        var values: [Double]?
        if let name = options.value {
            guard let c = orders.column(name) else { throw EngineError.unknownColumn(name, available: orders.names) }
            guard let amounts = c.amounts else { throw EngineError.typeMismatch("\(name) holds \(c.type.withArticle) value, not an amount") }
            try cancellation.check()
            values = amounts
        }
        let customers = try CustomerKeys(keyColumn, cancellation: cancellation)
        try cancellation.check()
        let usable = try Lifecycle.usableRows(keyColumn, dateColumn, days, asOf: options.asOf, cancellation: cancellation, pieceSize: pieceSize)
        let sorted = try Lifecycle.sortedDayKeys(days, usable, customers, withRows: values != nil, cancellation: cancellation,
                                                 pieceSize: pieceSize)
        let span = Int(usable.asOf) - Int(usable.earliest)
        let pieces = Lifecycle.customerPieces(sorted.keys, dayBits: sorted.dayBits, size: pieceSize)
        let parts = try sorted.keys.withUnsafeBufferPointer { keys in
            try sorted.rows.withUnsafeBufferPointer { rows in
                try Parallel.tryMap(pieces.count, minimumWork: keys.count) { p -> Summary in
                    try cancellation.check()
                    return summary(keys, rows, values, pieces[p], dayBits: sorted.dayBits, span: span)
                }
            }
        }
        try cancellation.check()
        var whole = Summary(keys: Column.nulls(.integer, count: 0), frequency: [], recency: [], age: [], monetary: [], asOf: usable.asOf)
        for part in parts {
            whole.codes += part.codes
            whole.frequency += part.frequency; whole.recency += part.recency; whole.age += part.age; whole.monetary += part.monetary
        }
        whole.keys = customers.column(whole.codes)
        return whole
    }

    /// The summaries of the customers whose sorted keys are `keys[piece]` (each customer whole
    /// in it); `rows` holds each key's row when there are `values`. `span` is the days from the
    /// earliest to the reference day.
    static func summary(_ keys: UnsafeBufferPointer<UInt64>, _ rows: UnsafeBufferPointer<Int32>, _ values: [Double]?,
                        _ piece: Range<Int>, dayBits: Int, span: Int) -> Summary {
        var s = Summary(keys: Column.nulls(.integer, count: 0), frequency: [], recency: [], age: [], monetary: [], asOf: 0)
        let mask = (UInt64(1) << UInt64(dayBits)) - 1
        var k = piece.lowerBound
        while k < piece.upperBound {
            let code = keys[k] >> UInt64(dayBits)
            // purchase days, the value of the day being read, the values of the days after the first
            var purchaseDays = 0, dayValue = 0.0, laterDays = 0.0
            var first = -1, last = -1
            while k < piece.upperBound, keys[k] >> UInt64(dayBits) == code {
                let day = Int(keys[k] & mask)
                let value = values?[Int(rows[k])] ?? 0
                if day != last {
                    if purchaseDays > 1 { laterDays += dayValue }
                    purchaseDays += 1
                    dayValue = value
                } else {
                    dayValue += value
                }
                if first < 0 { first = day }
                last = day
                k += 1
            }
            if purchaseDays > 1 { laterDays += dayValue }
            s.codes.append(Int(code))
            s.frequency.append(Double(purchaseDays - 1))
            s.recency.append(Double(last - first) / week)
            s.age.append(Double(span - first) / week)
            s.monetary.append(purchaseDays > 1 ? laterDays / Double(purchaseDays - 1) : 0)
        }
        return s
    }

    public static func run(_ orders: Table, options: Options, cancellation: CancellationFlag = .shared) throws -> Result {
        let s = try summary(orders, options: options, cancellation: cancellation)
        guard s.frequency.count >= 4, s.frequency.contains(where: { $0 > 0 }) else {
            throw EngineError.invalidInput("too few customers with repeat purchases to fit a lifetime model",
                                           hint: "the models need customers who bought on several days")
        }
        let bg = try CLVModels.fitBGNBD(x: s.frequency, tx: s.recency, T: s.age, cancellation: cancellation)
        let end = s.asOf
        let horizonEnd: Int32
        switch options.horizon.unit {
        case .months: horizonEnd = Int32(CivilDate.addMonths(Int(end), options.horizon.amount))
        case .years: horizonEnd = Int32(CivilDate.addMonths(Int(end), 12 * options.horizon.amount))
        case .weeks: horizonEnd = end + Int32(7 * options.horizon.amount)
        default: horizonEnd = end + Int32(options.horizon.amount)
        }
        let t = Double(horizonEnd - end) / week
        let n = s.frequency.count
        var alive = [Double](repeating: 0, count: n), purchases = [Double](repeating: 0, count: n)
        for i in 0..<n {
            if i & 0x3FFF == 0 { try cancellation.check() }
            alive[i] = CLVModels.probabilityAlive(bg, x: s.frequency[i], tx: s.recency[i], T: s.age[i])
            purchases[i] = CLVModels.expectedPurchases(bg, t: t, x: s.frequency[i], tx: s.recency[i], T: s.age[i])
        }
        var columns: [(String, Column)] = [
            (options.customer, s.keys),
            ("frequency", .integers(s.frequency.map { Int64($0) })),
            ("recency", .floats(s.recency)),
            ("T", .floats(s.age)),
            ("p_alive", .floats(alive)),
            ("expected_purchases", .floats(purchases)),
        ]
        var names = ["r", "alpha", "a", "b"], parameters = [bg.r, bg.alpha, bg.a, bg.b]
        var models = ["BG/NBD", "BG/NBD", "BG/NBD", "BG/NBD"]
        if options.value != nil {
            let repeaters = (0..<n).filter { s.frequency[$0] > 0 && s.monetary[$0] > 0 }
            let gg = try CLVModels.fitGammaGamma(x: repeaters.map { s.frequency[$0] }, m: repeaters.map { s.monetary[$0] },
                                                 cancellation: cancellation)
            try cancellation.check()
            let spend = (0..<n).map { CLVModels.expectedValue(gg, x: s.frequency[$0], m: s.monetary[$0]) }
            columns.insert(("monetary", .floats(s.monetary)), at: 4)
            columns.append(("expected_spend", .floats(spend)))
            columns.append(("expected_value", .floats((0..<n).map { purchases[$0] * spend[$0] })))
            names += ["p", "q", "v"]
            parameters += [gg.p, gg.q, gg.v]
            models += ["Gamma-Gamma", "Gamma-Gamma", "Gamma-Gamma"]
        }
        let table = try Table([("model", .strings(models)), ("parameter", .strings(names)), ("value", .floats(parameters))])
        return Result(customers: try Table(columns), parameters: table, horizonWeeks: t)
    }
}

extension CLV {
    /// The columns of the per-customer table `run` gives for an order log with these columns,
    /// after the checks it makes of them (the value columns only with `value`).
    public static func schema(_ orders: Schema, options: Options) throws -> Schema {
        guard let key = orders.field(options.customer) else { throw EngineError.unknownColumn(options.customer, available: orders.names) }
        guard let date = orders.field(options.date) else { throw EngineError.unknownColumn(options.date, available: orders.names) }
        guard date.type.isTemporal else {
            throw EngineError.typeMismatch("\(options.date) holds \(date.type.withArticle) value, not a date", hint: "the order date must be a date or a timestamp")
        }
        if let name = options.value {
            guard let value = orders.field(name) else { throw EngineError.unknownColumn(name, available: orders.names) }
            guard value.type.isNumeric else { throw EngineError.typeMismatch("\(name) holds \(value.type.withArticle) value, not an amount") }
        }
        var fields = [Field(options.customer, key.type), Field("frequency", .integer), Field("recency", .float), Field("T", .float)]
        if options.value != nil { fields.append(Field("monetary", .float)) }
        fields += [Field("p_alive", .float), Field("expected_purchases", .float)]
        if options.value != nil { fields += [Field("expected_spend", .float), Field("expected_value", .float)] }
        return Schema(fields)
    }
}
