import NKEngine

extension Lifecycle {
    /// One customer's purchases up to the reference day D, as far as the classes need them.
    public struct Purchases: Sendable {
        public var first: Int32, last: Int32
        /// Distinct purchase days, orders (rows, or distinct order numbers), orders on or after D − L.
        public var days = 0, orders = 0, recent = 0
        /// The last purchase day before D − L, the first on or after it, the last on or before it.
        public var before: Int32?, since: Int32?, atStart: Int32?

        public init(first: Int32, last: Int32, days: Int = 0, orders: Int = 0, recent: Int = 0,
                    before: Int32? = nil, since: Int32? = nil, atStart: Int32? = nil) {
            self.first = first; self.last = last; self.days = days; self.orders = orders; self.recent = recent
            self.before = before; self.since = since; self.atStart = atStart
        }
    }

    /// The days the rules compare purchases with.
    struct Lines {
        /// D − L, D − N, and (D − L) − L: before it a customer was already lapsed at D − L.
        var lapsedBefore: Int32, newSince: Int32, earlierLine: Int32
        var lapsedAfter: Interval

        init(lapsedBefore: Int32, newSince: Int32, options: Options) {
            self.lapsedBefore = lapsedBefore
            self.newSince = newSince
            earlierLine = subtract(options.lapsedAfter, from: lapsedBefore)
            lapsedAfter = options.lapsedAfter
        }

        /// The first rule that matches: lapsed, new, reactivated, else active.
        func classOf(_ p: Purchases) -> Class {
            if p.last < lapsedBefore { return .lapsed }
            if p.first >= newSince { return .new }
            if let before = p.before, let since = p.since, gapExceeds(before, since, lapsedAfter) { return .reactivated }
            return .active
        }
    }

    /// The classes from each customer's purchases counted elsewhere (an engine's grouped
    /// query), by the same rules as ``run(_:options:cancellation:)``: `keys[i]` is the customer
    /// of `purchases[i]`, and the customers keep that order. `earliest` is the first usable
    /// order day (nil without orders); `skipped` the rows left out.
    public static func run(purchases: [Purchases], keys: Column, earliest: Int32?, asOf: Int32,
                           skipped: (nullKey: Int, nullDate: Int, future: Int), options: Options) throws -> Result {
        guard asOf > Int32.min / 2, asOf < Int32.max / 2, (earliest ?? 0) > Int32.min / 2 else {
            throw EngineError.invalidInput("the reference day \(CivilDate.format(Int(asOf))) is out of range")
        }
        let lapsedBefore = subtract(options.lapsedAfter, from: asOf)
        let newSince = subtract(options.newWithin, from: asOf)
        let lines = Lines(lapsedBefore: lapsedBefore, newSince: newSince, options: options)
        var counted = Classified()
        for (k, p) in purchases.enumerated() { counted.add(code: k, p, lines) }
        let table = try counted.out.table(keyName: options.customer, key: keys, language: options.language)
        let first = min(earliest ?? asOf, asOf)
        return Result(customers: table, classes: try classTable(counted.out.classes, language: options.language), asOf: asOf,
                      lapsedBefore: lapsedBefore, newSince: newSince, churn: (counted.churned, counted.base),
                      reactivation: (counted.reactivated, counted.reactivated + counted.lapsed), skipped: skipped, history: nil,
                      notes: notes(!purchases.isEmpty, counted, earliest: first, asOf: asOf, lapsedBefore: lapsedBefore, options: options))
    }
}
