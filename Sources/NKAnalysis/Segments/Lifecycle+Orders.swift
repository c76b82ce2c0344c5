import NKEngine

extension Lifecycle {
    /// The customer table with `orders` and `recent_orders` counting the distinct values of
    /// `column` (an order number) per customer instead of rows: what an invoice export with one
    /// row per line needs. Rows count as in the classes: with a customer and a date, not after
    /// the reference day; recent ones on or after `lapsedBefore`.
    static func countingOrders(_ customers: Table, _ orders: Table, by column: String, options: Options, asOf: Int32,
                               lapsedBefore: Int32, cancellation: CancellationFlag) throws -> Table {
        guard orders.column(column) != nil else { throw EngineError.unknownColumn(column, available: orders.names) }
        let key = options.customer
        let day: Expr = .call("date", [.col(options.date)])
        let usable = !.isNull(.col(key)) && !.isNull(.col(column)) && (day <= .literal(.date(asOf)))
        let context = ExecutionContext(cancellation: cancellation)
        var out = customers
        for (name, condition) in [("orders", usable), ("recent_orders", usable && (day >= .literal(.date(lapsedBefore))))] {
            let counts = try orders.filter(condition, context: context)
                .groupBy([NamedExpr(key, .col(key))], [Aggregate(.countDistinct, .col(column), as: name)], context: context)
            let joined = try customers.join(counts, on: [(key, key)], kind: .left, context: context)
            out = try out.setting(name, joined.evaluate(.call("coalesce", [.col(name + "_right"), .lit(0)]), context: context))
        }
        return out
    }
}
