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
    }

    public struct Result: Sendable {
        /// key, frequency, recency, T, monetary, p_alive, expected_purchases, expected_value.
        public var customers: Table
        /// The fitted parameters.
        public var parameters: Table
        public var horizonWeeks: Double
    }

    static let week = 7.0

    public static func summary(_ orders: Table, options: Options, cancellation: CancellationFlag = .shared) throws -> Summary {
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
        let n = orders.rowCount
        var rows: [Int32] = []
        var latest = Int32.min, earliest = Int32.max
        for i in 0..<n where !keyColumn.isNull(i) && !dateColumn.isNull(i) {
            if i & 0xFFFF == 0 { try cancellation.check() }
            rows.append(Int32(i))
            latest = max(latest, days[i]); earliest = min(earliest, days[i])
        }
        let asOf = options.asOf ?? (latest == Int32.min ? 0 : latest)
        rows.removeAll { days[Int($0)] > asOf }
        earliest = min(earliest, asOf)
        let dayBits = 64 - UInt64(max(0, Int(asOf) - Int(earliest))).leadingZeroBitCount
        let customerBits = 64 - UInt64(max(0, customers.count - 1)).leadingZeroBitCount
        var keys = rows.map { i -> UInt64 in
            let code: Int
            switch customers.kind {
            case .integers(let v, let low): code = Int(v[Int(i)] - low)
            case .text(let codes, _): code = Int(codes[Int(i)])
            case .grouped(let groups, _, _): code = Int(groups[Int(i)])
            }
            return UInt64(code) << UInt64(dayBits) | UInt64(Int(days[Int(i)]) - Int(earliest))
        }
        try cancellation.check()
        RadixSort.sort(&keys, carrying: &rows, bits: dayBits + customerBits, cancellation: cancellation)
        try cancellation.check()
        var codes: [Int] = [], frequency: [Double] = [], recency: [Double] = [], age: [Double] = [], monetary: [Double] = []
        let mask = (UInt64(1) << UInt64(dayBits)) - 1
        var k = 0
        while k < keys.count {
            if codes.count & 0xFFFF == 0 { try cancellation.check() }
            let code = keys[k] >> UInt64(dayBits)
            var dayValues: [Double] = []
            var first = -1, last = -1, previous = -1
            while k < keys.count, keys[k] >> UInt64(dayBits) == code {
                let day = Int(keys[k] & mask)
                let value = values?[Int(rows[k])] ?? 0
                if day != previous { dayValues.append(value); previous = day } else { dayValues[dayValues.count - 1] += value }
                if first < 0 { first = day }
                last = day
                k += 1
            }
            codes.append(Int(code))
            frequency.append(Double(dayValues.count - 1))
            recency.append(Double(last - first) / week)
            age.append(Double(Int(asOf) - Int(earliest) - first) / week)
            monetary.append(dayValues.count > 1 ? dayValues.dropFirst().reduce(0, +) / Double(dayValues.count - 1) : 0)
        }
        return Summary(keys: customers.column(codes), frequency: frequency, recency: recency, age: age, monetary: monetary, asOf: asOf)
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
