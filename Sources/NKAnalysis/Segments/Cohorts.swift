import NKEngine

/// Cohort retention: customers grouped by the month (quarter, year) of their first
/// purchase, and for each period since then the share of the cohort that bought in it. Period 0
/// is the first purchase's own period (always 100 %); a period after the last order day is
/// unknown (null).
public enum Cohorts {
    public enum Period: String, Sendable {
        case month, quarter, year

        /// The prefix of the period columns: m0, q0, y0.
        var prefix: String { String(rawValue.prefix(1)) }
    }

    public struct Options: Sendable {
        public var customer: String
        public var date: String
        public var period = Period.month
        public init(customer: String, date: String) { self.customer = customer; self.date = date }
    }

    public struct Result: Sendable {
        /// cohort ("2024-01", "2024-Q1"), customers, then one column per period since the first
        /// purchase (m0, m1, …, q0, q1, … or y0, y1, …) holding the percent who bought in it.
        public var table: Table
    }

    /// The period number of a day: months, quarters or years since year 0.
    static func periodIndex(_ day: Int32, _ period: Period) -> Int {
        let c = CivilDate.civil(Int(day))
        switch period {
        case .month: return c.year * 12 + c.month - 1
        case .quarter: return c.year * 4 + (c.month - 1) / 3
        case .year: return c.year
        }
    }

    static func periodName(_ index: Int, _ period: Period) -> String {
        switch period {
        case .month:
            let month = index % 12 + 1
            return "\(index / 12)-\(month < 10 ? "0" : "")\(month)"
        case .quarter: return "\(index / 4)-Q\(index % 4 + 1)"
        case .year: return String(index)
        }
    }

    public static func run(_ orders: Table, options: Options, cancellation: CancellationFlag = .shared) throws -> Result {
        _ = try schema(orders.columnSchema, options: options)
        let keyColumn = orders.column(options.customer)!, dateColumn = orders.column(options.date)!
        let n = orders.rowCount
        var days = [Int32](repeating: 0, count: n)
        switch dateColumn.storage {
        case .date(let d): days = d
        case .timestamp(let t): for i in 0..<n { days[i] = Int32((t[i] >= 0 ? t[i] : t[i] - 86_399_999_999) / 86_400_000_000) }
        default:
            throw EngineError.typeMismatch("\(options.date) holds \(dateColumn.type.withArticle) value, not a date", hint: "name the order date with `on`")
        }
        let customers = try CustomerKeys(keyColumn, cancellation: cancellation)
        // (customer, period) pairs, sorted: each customer's periods in order
        let keyWords = keyColumn.validity?.words, dateWords = dateColumn.validity?.words
        func valid(_ words: [UInt64]?, _ i: Int) -> Bool { words.map { ($0[i >> 6] >> UInt64(i & 63)) & 1 != 0 } ?? true }
        var rows: [Int] = []
        rows.reserveCapacity(n)
        var firstDay = Int32.max, lastDay = Int32.min
        for i in 0..<n where valid(keyWords, i) && valid(dateWords, i) {
            rows.append(i)
            firstDay = min(firstDay, days[i]); lastDay = max(lastDay, days[i])
        }
        guard !rows.isEmpty else {
            return Result(table: try Table([("cohort", .strings([])), ("customers", .integers([]))]))
        }
        // the period of every day in the range, looked up instead of computed per order
        let low = periodIndex(firstDay, options.period), high = periodIndex(lastDay, options.period)
        let periodOfDay = (Int(firstDay)...Int(lastDay)).map { periodIndex(Int32($0), options.period) - low }
        let periodBits = 64 - UInt64(high - low).leadingZeroBitCount
        let customerBits = 64 - UInt64(max(0, customers.count - 1)).leadingZeroBitCount
        var keys = [UInt64](repeating: 0, count: rows.count)
        keys.withUnsafeMutableBufferPointer { out in
            func fill(_ code: (Int) -> Int) {
                for (k, i) in rows.enumerated() {
                    out[k] = UInt64(code(i)) << UInt64(periodBits) | UInt64(periodOfDay[Int(days[i] - firstDay)])
                }
            }
            switch customers.kind {
            case .integers(let values, let base): fill { Int(values[$0] - base) }
            case .text(let codes, _): fill { Int(codes[$0]) }
            case .grouped(let groups, _, _): fill { Int(groups[$0]) }
            }
        }
        try cancellation.check()
        RadixSort.sort(&keys, bits: periodBits + customerBits, cancellation: cancellation)
        try cancellation.check()
        let span = high - low + 1
        // counts[cohort][since]: customers of the cohort who bought `since` periods later
        var counts = [[Int]](repeating: [Int](repeating: 0, count: span), count: span)
        let mask = (UInt64(1) << UInt64(periodBits)) - 1
        var k = 0
        while k < keys.count {
            let customer = keys[k] >> UInt64(periodBits)
            let cohort = Int(keys[k] & mask)
            var previous = -1
            while k < keys.count, keys[k] >> UInt64(periodBits) == customer {
                let p = Int(keys[k] & mask)
                if p != previous { counts[cohort][p - cohort] += 1; previous = p }
                k += 1
            }
        }
        return try retention(counts, low: low, period: options.period)
    }

    /// The retention table of customer counts: `counts[c][s]` customers of cohort `low + c`
    /// bought `s` periods after their first; a period past the last one is unknown.
    static func retention(_ counts: [[Int]], low: Int, period: Period) throws -> Result {
        let span = counts.count
        let cohorts = (0..<span).filter { counts[$0][0] > 0 }
        let prefix = period.prefix
        var columns: [(String, Column)] = [
            ("cohort", .strings(cohorts.map { periodName($0 + low, period) })),
            ("customers", .integers(cohorts.map { Int64(counts[$0][0]) })),
        ]
        for since in 0..<span {
            columns.append(("\(prefix)\(since)", .floats(cohorts.map { c -> Double? in
                c + since < span ? Double(counts[c][since]) * 100 / Double(counts[c][0]) : nil
            })))
        }
        return Result(table: try Table(columns))
    }

    /// The retention table from customers counted elsewhere (an engine's grouped query): per
    /// cohort and period (period numbers as ``periodIndex``: months, quarters or years since
    /// year 0), the customers of the cohort who bought in the period.
    public static func run(counted: [(cohort: Int, period: Int, customers: Int)], period: Period) throws -> Result {
        guard let low = counted.map(\.cohort).min(), let high = counted.map(\.period).max(), high >= low else {
            return Result(table: try Table([("cohort", .strings([])), ("customers", .integers([]))]))
        }
        guard high - low < 100_000 else { throw EngineError.invalidInput("the order dates span more than 100,000 \(period.rawValue)s") }
        let span = high - low + 1
        var counts = [[Int]](repeating: [Int](repeating: 0, count: span), count: span)
        for c in counted where c.period >= c.cohort { counts[c.cohort - low][c.period - c.cohort] += c.customers }
        return try retention(counts, low: low, period: period)
    }

    /// A heat strip per cohort, under a legend: one character per period after the first,
    /// darker for a larger share (four shades, each a quarter of the highest share shown).
    public static func strips(_ table: Table) -> [String] {
        let shades = [" ", "░", "▒", "▓", "█"]
        guard table.rowCount > 0 else { return [] }
        let periods = table.names.dropFirst(2)
        let width = (0..<table.rowCount).map { table.columns[0][$0].description.count }.max() ?? 0
        let top = (0..<table.rowCount).flatMap { r in periods.dropFirst().compactMap { table.column($0)![r].doubleValue } }.max() ?? 100
        let unit = ["q": "quarter", "y": "year"][periods.first?.prefix(1) ?? ""] ?? "month"
        let highest = Value.formatFloat((top * 10).rounded() / 10)
        let legend = "one mark per \(unit) after the first: █ up to \(highest) % of the cohort bought, ▓ up to ¾ of that, "
            + "▒ up to ½, ░ up to ¼, blank nobody"
        return [legend] + (0..<table.rowCount).map { r in
            let name = table.columns[0][r].description
            var line = name + String(repeating: " ", count: width - name.count) + "  "
            for p in periods.dropFirst() {
                guard let share = table.column(p)![r].doubleValue else { break }
                line += shades[share <= 0 ? 0 : min(4, 1 + Int(share / max(top, 1e-9) * 3.999))]
            }
            return line
        }
    }
}

extension Cohorts {
    /// The columns of the retention table for an order log with these columns: cohort and
    /// customers, then one share per period since the first, as many as the data spans (open
    /// at the end).
    public static func schema(_ orders: Schema, options: Options) throws -> Schema {
        guard orders.field(options.customer) != nil else { throw EngineError.unknownColumn(options.customer, available: orders.names) }
        guard let date = orders.field(options.date) else { throw EngineError.unknownColumn(options.date, available: orders.names) }
        guard date.type.isTemporal else {
            throw EngineError.typeMismatch("\(options.date) holds \(date.type.withArticle) value, not a date", hint: "name the order date with `on`")
        }
        return Schema([Field("cohort", .string), Field("customers", .integer)], openAt: 2)
    }
}
