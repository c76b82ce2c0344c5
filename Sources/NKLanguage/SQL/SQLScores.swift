import NKAnalysis
import NKEngine

/// `segment rfm` followed by more stages inside the engine: each customer's scores as rows of
/// SQL, by the same rules as in memory (ranks with `rank()`, or `row_number()` in key order
/// with `ties first`; score ⌊5 (k − 1) / n⌋ + 1; the segment from the R and F scores), so that
/// `| segment by segment` sends back only its result. Monetary sums may differ from memory's
/// in the last bits (summed in another order), which can only reorder customers whose sums
/// are equal to the last digit.
extension RFMNode: SQLCompilable {
    func sql(_ compiler: SQLCompiler) throws -> SQLQuery {
        let log = try SQLOrderLog(compiler, input: input, customer: options.customer, date: options.date, at: self)
        let dialect = compiler.dialect, c = log.customer, n = { dialect.name($0) }
        let asOf = options.asOf.map(log.date) ?? "(SELECT max(last) FROM nk_c)"
        let key = dialect.orderKey(c, descending: false, isText: log.textKey)
        func score(_ order: String) -> String {
            let rank = options.tiesFirst ? "row_number() OVER (ORDER BY \(order), \(key))" : "rank() OVER (ORDER BY \(order))"
            return "CAST(" + dialect.wholeDivide("5 * (\(rank) - 1)", "count(*) OVER ()") + " + 1 AS BIGINT)"
        }
        let text = dialect.engine == .spark ? "STRING" : "TEXT"
        var segments: [String] = []
        for (row, scores) in RFM.grid.enumerated() {
            for (column, segment) in scores.enumerated() {
                segments.append("WHEN r = \(5 - row) AND f = \(column + 1) THEN \(dialect.text(segment.label(options.language)))")
            }
        }
        let scored = "SELECT \(c), recency, frequency, monetary, \(score("recency DESC")) AS r, \(score("frequency")) AS f, \(score("monetary")) AS m\n"
            + "FROM (\n  SELECT \(c), \(dialect.days(from: "last", to: asOf)) AS recency, CAST(frequency AS BIGINT) AS frequency, "
            + "coalesce(monetary, 0) AS monetary\n  FROM nk_c\n) AS nk_v"
        let body = "WITH nk_c AS (\n" + SQLCompiler.indented(RFMNode.perCustomer(log, options)) + "\n)\n"
            + "SELECT \(c), recency AS \(n("recency")), frequency AS \(n("frequency")), monetary AS \(n("monetary")), r AS \(n("r")), f AS \(n("f")), "
            + "m AS \(n("m")), concat(CAST(r AS \(text)), CAST(f AS \(text)), CAST(m AS \(text))) AS \(n("rfm")), CASE "
            + segments.joined(separator: " ") + " END AS \(n("segment"))\nFROM (\n" + SQLCompiler.indented(scored) + "\n) AS nk_s"
        return SQLQuery(body: body, order: [(options.customer, false, log.textKey)], schema: schema)
    }
}
