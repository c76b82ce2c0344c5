import NKEngine

/// The one rule every analysis of an order log follows about its input: a row counts when it
/// has a customer (and, where the analysis needs one, a date); a timestamp counts as its date.
/// Rows left out are counted, and the note says how many, so no empty customer is ranked and no
/// row vanishes silently.
public struct OrderLog: Sendable {
    /// The usable rows, the date column (when named) as dates.
    public var table: Table
    public var withoutCustomer = 0
    public var withoutDate = 0
    let customer: String
    let dateName: String?

    /// The rows of `table` with a customer and a date (when `date` is named), timestamps turned
    /// into their dates. The table itself when nothing needs leaving out or turning.
    public init(_ table: Table, customer: String, date: String?, cancellation: CancellationFlag = .shared) throws {
        guard let key = table.column(customer) else { throw EngineError.unknownColumn(customer, available: table.names) }
        self.customer = customer
        self.dateName = date
        let day = try date.map { name -> Column in
            guard let c = table.column(name) else { throw EngineError.unknownColumn(name, available: table.names) }
            guard c.type.isTemporal else {
                throw EngineError.typeMismatch("\(name) holds \(c.type.withArticle) value, not a date", hint: "the order date must be a date or a timestamp")
            }
            return c
        }
        var usable: [Int32] = []
        if key.nullCount + (day?.nullCount ?? 0) > 0 {
            usable.reserveCapacity(table.rowCount)
            for i in 0..<table.rowCount {
                if key.isNull(i) { withoutCustomer += 1 } else if day?.isNull(i) == true { withoutDate += 1 } else { usable.append(Int32(i)) }
            }
            try cancellation.check()
        }
        var rows = withoutCustomer + withoutDate > 0 ? table.gather(usable) : table
        if let date, day?.type == .timestamp {
            rows = try rows.setting(rows.names[rows.index(of: date)!], rows.evaluate(.call("date", [.col(date)]), context: ExecutionContext(cancellation: cancellation)))
        }
        self.table = rows
    }

    /// A note when rows count as orders but customers have several rows a day (invoice lines):
    /// judged on the first 100,000 rows, noted when rows outnumber customer-days by more than a fifth.
    public func linesNote(counted what: String) throws -> String? {
        guard let date = dateName else { return nil }
        let sample = table.head(100_000)
        let days = try sample.distinct([customer, date]).rowCount
        return OrderLog.linesNote(counted: what, rows: sample.rowCount, days: days,
                                  scope: sample.rowCount < table.rowCount ? "in the first \(Value.grouped(sample.rowCount)) rows, " : "")
    }

    /// The note when `rows` fall on more than a fifth fewer `days` (customer-days), else nil.
    public static func linesNote(counted what: String, rows: Int, days: Int, scope: String = "") -> String? {
        guard rows * 5 > days * 6 else { return nil }
        return "\(what) counts rows: \(scope)\(Value.grouped(rows)) rows fall on \(Value.grouped(days)) customer-days "
            + "(several rows per order, as invoice lines are?); orders by <order number column> counts orders"
    }

    /// The note on rows left out for want of a customer or a date; nil when none were.
    public static func note(withoutCustomer: Int, withoutDate: Int) -> String? {
        var parts: [String] = []
        if withoutCustomer > 0 { parts.append("\(Value.grouped(withoutCustomer)) without a customer") }
        if withoutDate > 0 { parts.append("\(Value.grouped(withoutDate)) without a date") }
        return parts.isEmpty ? nil : "orders left out: " + parts.joined(separator: ", ")
    }

    /// What was left out, as a note; nil when nothing was.
    public var note: String? { OrderLog.note(withoutCustomer: withoutCustomer, withoutDate: withoutDate) }
}
