import NKEngine

/// The language segment labels are written in (`.set lang de`).
public enum LabelLanguage: String, Sendable, CaseIterable {
    case english = "en"
    case german = "de"
}

/// Lifecycle classes of an order log: every customer is, as of a reference date,
/// lapsed (Nullkunde), new (Neukunde), reactivated (Reaktiviert) or active (Aktivkunde) — the
/// first rule that matches wins — and, joined with a customer table, a customer without any
/// order is a prospect (Nicht-Kunde).
///
/// With L the `lapsed after` period and N the `new within` period, as of day D:
/// 1. lapsed: the last purchase is before D − L (no purchase for more than L);
/// 2. new: the first purchase is on or after D − N;
/// 3. reactivated: the first purchase on or after D − L came more than L after the purchase day
///    before it (a gap longer than L that ended within the last L);
/// 4. active: everyone else.
/// "Before D − 12 months" is calendar arithmetic (12 months before 2025-06-30 is 2024-06-30, and
/// month ends clamp: 2024-02-29 − 12 months = 2023-02-28); days are exact day counts. A purchase
/// exactly on D − L counts as within the period. Orders after D are not yet made and are left out.
public enum Lifecycle {
    public enum Class: Int, Sendable, CaseIterable {
        case active, new, reactivated, lapsed, prospect

        public func label(_ language: LabelLanguage) -> String {
            switch (self, language) {
            case (.active, .english): return "active"
            case (.new, .english): return "new"
            case (.reactivated, .english): return "reactivated"
            case (.lapsed, .english): return "lapsed"
            case (.prospect, .english): return "prospect"
            case (.active, .german): return "Aktivkunde"
            case (.new, .german): return "Neukunde"
            case (.reactivated, .german): return "Reaktiviert"
            case (.lapsed, .german): return "Nullkunde"
            case (.prospect, .german): return "Nicht-Kunde"
            }
        }
    }

    public struct Options: Sendable {
        /// The column naming the customer of an order.
        public var customer: String
        /// The order's date (a date or timestamp column).
        public var date: String
        /// The reference day; nil: the latest order date.
        public var asOf: Int32?
        public var lapsedAfter = Interval(12, .months)
        public var newWithin = Interval(3, .months)
        public var language = LabelLanguage.english
        /// Also count the classes at every month end up to the reference day.
        public var history = false
        /// The column that numbers orders (an invoice number): `orders` and `recent_orders`
        /// count its distinct values per customer instead of rows.
        public var ordersBy: String?
        public init(customer: String, date: String) { self.customer = customer; self.date = date }
    }

    public struct Result: Sendable {
        /// Per customer: the key, first_purchase, last_purchase, purchase_days, orders,
        /// recent_orders (orders on or after D − L), class.
        public var customers: Table
        /// Per class: customers and share (percent), in the order active, new, reactivated,
        /// lapsed (and prospect).
        public var classes: Table
        public var asOf: Int32
        /// D − L: purchases before it are more than L ago.
        public var lapsedBefore: Int32
        public var newSince: Int32
        /// Customers not lapsed at D − L who are lapsed at D, over those not lapsed at D − L.
        public var churn: (churned: Int, base: Int)
        /// Reactivated customers over reactivated and lapsed ones.
        public var reactivation: (reactivated: Int, lapsedEver: Int)
        /// Rows left out (null customer or date, orders after D).
        public var skipped: (nullKey: Int, nullDate: Int, future: Int)
        /// With `history`: per month end (and D), the customers in each class.
        public var history: Table?
        /// What the classes rest on that a reader should know: a history too short to tell
        /// lapsed customers, orders counted as rows where customers have several a day.
        public var notes: [String] = []
    }

    /// `day` moved back by `period`: calendar months and years clamp at month ends.
    public static func subtract(_ period: Interval, from day: Int32) -> Int32 {
        switch period.unit {
        case .months: return Int32(CivilDate.addMonths(Int(day), -period.amount))
        case .years: return Int32(CivilDate.addMonths(Int(day), -12 * period.amount))
        case .weeks: return day - Int32(7 * period.amount)
        default: return day - Int32(period.amount)
        }
    }

    /// Whether purchase day `later` came more than `period` after purchase day `earlier`.
    static func gapExceeds(_ earlier: Int32, _ later: Int32, _ period: Interval) -> Bool {
        earlier < subtract(period, from: later)
    }

    public static func run(_ orders: Table, options: Options, cancellation: CancellationFlag = .shared) throws -> Result {
        _ = try schema(orders.columnSchema, options: options)
        let keyColumn = orders.column(options.customer)!, dateColumn = orders.column(options.date)!
        let days = orderDays(dateColumn)
        // each row's customer as a small number: integers relative to the smallest, text by code
        let customers = try CustomerKeys(keyColumn, cancellation: cancellation)
        try cancellation.check()
        let rows = try usableRows(keyColumn, dateColumn, days, asOf: options.asOf, cancellation: cancellation)
        let (keys, dayBits) = try sortedKeys(days, rows, customers, cancellation: cancellation)
        let lapsedBefore = subtract(options.lapsedAfter, from: rows.asOf)
        let newSince = subtract(options.newWithin, from: rows.asOf)
        let counted = try classifyAll(keys, dayBits: dayBits, earliest: rows.earliest, lapsedBefore: lapsedBefore, newSince: newSince,
                                      options: options, cancellation: cancellation)
        var table = try counted.out.table(keyName: options.customer, keys: customers, language: options.language)
        // customers in key order: whole numbers come so; text and other keys are sorted (by bytes)
        if case .integers = customers.kind {} else {
            table = try table.sorted(by: [.asc(options.customer)], context: ExecutionContext(cancellation: cancellation))
        }
        if let column = options.ordersBy {
            table = try countingOrders(table, orders, by: column, options: options, asOf: rows.asOf, lapsedBefore: lapsedBefore, cancellation: cancellation)
        }
        let history = options.history && !keys.isEmpty
            ? try historyTable(keys, dayBits: dayBits, earliest: rows.earliest, asOf: rows.asOf, options: options, cancellation: cancellation) : nil
        return Result(customers: table, classes: try classTable(counted.out.classes, language: options.language), asOf: rows.asOf,
                      lapsedBefore: lapsedBefore, newSince: newSince, churn: (counted.churned, counted.base),
                      reactivation: (counted.reactivated, counted.reactivated + counted.lapsed),
                      skipped: (rows.nullKey, rows.nullDate, rows.future), history: history,
                      notes: notes(!keys.isEmpty, counted, earliest: rows.earliest, asOf: rows.asOf, lapsedBefore: lapsedBefore, options: options))
    }

    /// A history shorter than the lapse window plus the new window cannot tell lapsed and
    /// reactivated customers; orders counted as rows overcount where a customer has several
    /// rows a day (invoice lines: noted when rows outnumber customer-days by more than a fifth).
    static func notes(_ any: Bool, _ counted: Classified, earliest: Int32, asOf: Int32, lapsedBefore: Int32, options: Options) -> [String] {
        var notes: [String] = []
        if any, earliest > subtract(options.newWithin, from: lapsedBefore) {
            notes.append("the orders cover \(CivilDate.format(Int(earliest))) to \(CivilDate.format(Int(asOf))), less than lapsed after "
                         + "\(options.lapsedAfter) plus new within \(options.newWithin): lapsed and reactivated customers cannot be told yet, "
                         + "so the classes cannot be trusted")
        }
        if options.ordersBy == nil, counted.rows * 5 > counted.days * 6 {
            notes.append("orders counts rows: \(Value.grouped(counted.rows)) rows fall on \(Value.grouped(counted.days)) customer-days "
                         + "(several rows per order, as invoice lines are?); orders by <order number column> counts orders")
        }
        return notes
    }

    /// The order days of a date or timestamp column (a timestamp's day).
    static func orderDays(_ dateColumn: Column) -> [Int32] {
        switch dateColumn.storage {
        case .date(let d): return d
        case .timestamp(let t): return t.map { Int32(($0 >= 0 ? $0 : $0 - 86_399_999_999) / 86_400_000_000) }
        default: return [Int32](repeating: 0, count: dateColumn.count)
        }
    }

    /// The class of a customer with the given sorted purchase days (only those up to `day`
    /// matter) as of `day`, or nil when the first purchase is later.
    static func classify(_ days: UnsafeBufferPointer<Int32>, asOf day: Int32, _ options: Options) -> Class? {
        // purchase days up to the day: days[0..<upTo]
        var lo = 0, hi = days.count
        while lo < hi { let mid = (lo + hi) / 2; if days[mid] <= day { lo = mid + 1 } else { hi = mid } }
        let upTo = lo
        guard upTo > 0 else { return nil }
        let lapsedBefore = subtract(options.lapsedAfter, from: day)
        if days[upTo - 1] < lapsedBefore { return .lapsed }
        if days[0] >= subtract(options.newWithin, from: day) { return .new }
        // the first purchase day on or after D − L, and the one before it
        lo = 0; hi = upTo
        while lo < hi { let mid = (lo + hi) / 2; if days[mid] < lapsedBefore { lo = mid + 1 } else { hi = mid } }
        if lo > 0, lo < upTo, gapExceeds(days[lo - 1], days[lo], options.lapsedAfter) { return .reactivated }
        return .active
    }

    /// Customers per class at each month end before the reference day, and at the reference day.
    static func historyTable(_ keys: [UInt64], dayBits: Int, earliest: Int32, asOf: Int32, options: Options,
                             cancellation: CancellationFlag) throws -> Table {
        // the month ends from the first order's month on, then the reference day
        var points: [Int32] = []
        let first = CivilDate.civil(Int(earliest))
        var monthEnd = Int32(CivilDate.days(year: first.year, month: first.month, day: CivilDate.daysInMonth(year: first.year, month: first.month)))
        while monthEnd < asOf {
            points.append(monthEnd)
            monthEnd = Int32(CivilDate.addMonths(Int(monthEnd) + 1, 1) - 1)
        }
        points.append(asOf)
        var counts = [[Int]](repeating: [Int](repeating: 0, count: 4), count: points.count)
        let dayMask = (UInt64(1) << UInt64(dayBits)) - 1
        var days: [Int32] = []
        var k = 0
        while k < keys.count {
            if k & 0xFFFF == 0 { try cancellation.check() }
            let code = keys[k] >> UInt64(dayBits)
            days.removeAll(keepingCapacity: true)
            while k < keys.count, keys[k] >> UInt64(dayBits) == code {
                let day = Int32(Int(keys[k] & dayMask) + Int(earliest))
                if days.last != day { days.append(day) }
                k += 1
            }
            days.withUnsafeBufferPointer { d in
                for (j, point) in points.enumerated() where point >= d[0] {
                    if let c = classify(d, asOf: point, options) { counts[j][c.rawValue] += 1 }
                }
            }
        }
        let classes: [Class] = [.active, .new, .reactivated, .lapsed]
        var columns: [(String, Column)] = [("day", Column(.date(points)))]
        for c in classes { columns.append((c.label(options.language), .integers(counts.map { Int64($0[c.rawValue]) }))) }
        return try Table(columns)
    }

    /// The customer table with each customer's lifecycle columns: customers without an order
    /// are prospects (the class counts then include them).
    public static func withProspects(_ customers: Table, _ result: Result, key: String, language: LabelLanguage) throws -> Result {
        let joined = try customers.join(result.customers, on: [(key, key)], kind: .left)
        guard let classColumn = joined.column("class"), case .string(let codes, _) = classColumn.storage else { return result }
        // the class dictionary lists every class in order: a missing match is the prospect code
        var filled = codes
        for i in 0..<filled.count where classColumn.isNull(i) { filled[i] = Int32(Class.prospect.rawValue) }
        let labels = Class.allCases.map { $0.label(language) }
        let complete = try joined.setting("class", Column(.string(filled, StringDictionary(labels))))
        var out = result
        out.customers = complete
        out.classes = try classTable(filled.map { Class(rawValue: Int($0))! }, language: language)
        return out
    }

    /// Customers and share per class, in class order (classes nobody is in are left out,
    /// except the four of an order log).
    static func classTable(_ classes: [Class], language: LabelLanguage) throws -> Table {
        var counts = [Int](repeating: 0, count: Class.allCases.count)
        for c in classes { counts[c.rawValue] += 1 }
        let shown = Class.allCases.filter { $0 != .prospect || counts[$0.rawValue] > 0 }
        let total = Double(max(1, classes.count))
        return try Table([
            ("class", .strings(shown.map { $0.label(language) })),
            ("customers", .integers(shown.map { Int64(counts[$0.rawValue]) })),
            ("share", .floats(shown.map { Double(counts[$0.rawValue]) * 100 / total })),
        ])
    }

    /// The per-customer columns as they are filled.
    struct PerCustomer: Equatable {
        var codes: [Int] = []
        var first: [Int32] = [], last: [Int32] = []
        var days: [Int64] = [], orders: [Int64] = [], recent: [Int64] = []
        var classes: [Class] = []

        mutating func append(code: Int, first f: Int32, last l: Int32, days d: Int, orders o: Int, recent r: Int, cls: Class) {
            codes.append(code); first.append(f); last.append(l)
            days.append(Int64(d)); orders.append(Int64(o)); recent.append(Int64(r)); classes.append(cls)
        }

        /// Appends the customers of another set after these.
        mutating func append(_ other: PerCustomer) {
            codes += other.codes; first += other.first; last += other.last
            days += other.days; orders += other.orders; recent += other.recent; classes += other.classes
        }

        func table(keyName: String, keys: CustomerKeys, language: LabelLanguage) throws -> Table {
            try table(keyName: keyName, key: keys.column(codes), language: language)
        }

        func table(keyName: String, key: Column, language: LabelLanguage) throws -> Table {
            let labels = Class.allCases.map { $0.label(language) }
            return try Table([
                (keyName, key),
                ("first_purchase", Column(.date(first))),
                ("last_purchase", Column(.date(last))),
                ("purchase_days", Column(.integer(days))),
                ("orders", Column(.integer(orders))),
                ("recent_orders", Column(.integer(recent))),
                ("class", Column(.string(classes.map { Int32($0.rawValue) }, StringDictionary(labels)))),
            ])
        }
    }
}

/// Customer keys as small numbers: whole numbers relative to the smallest (when their range is
/// not much larger than the row count), text by dictionary code, anything else by hashing.
struct CustomerKeys {
    enum Kind {
        case integers(values: [Int64], low: Int64)
        case text(codes: [Int32], dictionary: StringDictionary)
        case grouped(groupOfRow: [Int32], firstRows: [Int32], column: Column)
    }
    let kind: Kind
    let validity: Validity?
    /// One more than the largest code.
    let count: Int

    init(_ column: Column, cancellation: CancellationFlag) throws {
        validity = column.validity
        switch column.storage {
        case .integer(let values):
            var low = Int64.max, high = Int64.min
            for i in 0..<values.count where column.validity?.isValid(i) ?? true { low = min(low, values[i]); high = max(high, values[i]) }
            if low > high { low = 0; high = 0 }
            if high &- low >= 0, high - low < Int64(4 * values.count + 65_536) {
                kind = .integers(values: values, low: low)
                count = Int(high - low) + 1
                return
            }
        case .string(let codes, let dictionary):
            kind = .text(codes: codes, dictionary: dictionary)
            count = max(1, dictionary.count)
            return
        default: break
        }
        let groups = try Table([("k", column)]).groupNumbers(of: ["k"], cancellation: cancellation)
        kind = .grouped(groupOfRow: groups.groupOfRow, firstRows: groups.firstRows, column: column)
        count = max(1, groups.firstRows.count)
    }

    /// The key values of the given codes.
    func column(_ codes: [Int]) -> Column {
        switch kind {
        case .integers(_, let low): return Column(.integer(codes.map { Int64($0) + low }))
        case .text(_, let dictionary): return Column(.string(codes.map { Int32($0) }, dictionary))
        case .grouped(_, let firstRows, let column): return column.gather(codes.map { firstRows[$0] })
        }
    }
}

extension Lifecycle {
    /// The columns of the customer table `run` makes from an order log with these columns (with
    /// `history`, of the trend table), after the checks `run` makes of the columns.
    public static func schema(_ orders: Schema, options: Options) throws -> Schema {
        guard let key = orders.field(options.customer) else { throw EngineError.unknownColumn(options.customer, available: orders.names) }
        guard let date = orders.field(options.date) else { throw EngineError.unknownColumn(options.date, available: orders.names) }
        guard options.lapsedAfter.amount > 0, options.newWithin.amount >= 0 else {
            throw EngineError.invalidInput("the lapsed period must be longer than nothing", hint: "e.g. lapsed after 12 months")
        }
        if [.seconds, .minutes, .hours].contains(options.lapsedAfter.unit) || [.seconds, .minutes, .hours].contains(options.newWithin.unit) {
            throw EngineError.invalidInput("lifecycle periods are days, weeks, months or years", hint: "e.g. lapsed after 365 days")
        }
        guard date.type.isTemporal else {
            throw EngineError.typeMismatch("\(options.date) holds \(date.type.withArticle) value, not a date",
                                           hint: "name the order date with `on`, e.g. on order_date")
        }
        if options.history {
            let classes: [Class] = [.active, .new, .reactivated, .lapsed]
            return Schema([Field("day", .date)] + classes.map { Field($0.label(options.language), .integer) })
        }
        return Schema([Field(options.customer, key.type), Field("first_purchase", .date), Field("last_purchase", .date),
                       Field("purchase_days", .integer), Field("orders", .integer), Field("recent_orders", .integer), Field("class", .string)])
    }

    /// The columns of ``withProspects(_:_:key:language:)``: the customer table with the lifecycle columns.
    public static func schemaWithProspects(_ customers: Schema, _ lifecycle: Schema, key: String) throws -> Schema {
        try customers.joining(lifecycle, on: [(key, key)]).setting(Field("class", .string))
    }
}
