import NKEngine

/// Contribution margin per customer (Kundendeckungsbeitragsrechnung), in three stages:
/// DB I = revenue − direct cost, DB II = DB I − customer-specific service cost, DB III = DB II −
/// acquisition cost. A stage whose cost column is not given carries the one before it. A
/// missing cost counts as 0 (and is reported); a missing revenue leaves the margins empty.
public enum ContributionMargin {
    public struct Options: Sendable {
        public var revenue: String
        public var cost: String?
        public var service: String?
        public var acquisition: String?
        public init(revenue: String) { self.revenue = revenue }
    }

    public struct Result: Sendable {
        /// The input with db1, db2, db3 and negative_margin (DB III below 0).
        public var rows: Table
        /// Per stage: its total, and how many rows are below 0.
        public var stages: Table
        /// Per cost column, the rows where it was missing and counted as 0.
        public var missingCosts: [(column: String, rows: Int)]
        /// The revenue column and its total over the rows that have one (where DB I starts).
        public var revenue: (column: String, total: Double) = ("revenue", 0)
        /// The cost columns of the three stages, nil where a stage has none.
        public var costs: [String?] = [nil, nil, nil]
    }

    public static func run(_ table: Table, options: Options) throws -> Result {
        _ = try schema(table.columnSchema, options: options)
        let n = table.rowCount
        func numbers(_ name: String) throws -> [Double?] {
            guard let c = table.column(name) else { throw EngineError.unknownColumn(name, available: table.names) }
            guard c.type.isNumeric else {
                throw EngineError.typeMismatch("\(name) holds \(c.type.withArticle) value, not an amount")
            }
            return (0..<n).map { c[$0].doubleValue }
        }
        let revenue = try numbers(options.revenue)
        var missing: [(String, Int)] = []
        func costs(_ name: String?) throws -> [Double] {
            guard let name else { return [Double](repeating: 0, count: n) }
            let values = try numbers(name)
            let absent = values.filter { $0 == nil }.count
            if absent > 0 { missing.append((name, absent)) }
            return values.map { $0 ?? 0 }
        }
        let cost = try costs(options.cost), service = try costs(options.service), acquisition = try costs(options.acquisition)
        let db1 = (0..<n).map { i in revenue[i].map { $0 - cost[i] } }
        let db2 = (0..<n).map { i in db1[i].map { $0 - service[i] } }
        let db3 = (0..<n).map { i in db2[i].map { $0 - acquisition[i] } }
        var rows = try table.setting("db1", .floats(db1))
        rows = try rows.setting("db2", .floats(db2))
        rows = try rows.setting("db3", .floats(db3))
        rows = try rows.setting("negative_margin", .booleans(db3.map { $0.map { $0 < 0 } }))
        let stages = [db1, db2, db3]
        let table = try Table([
            ("stage", .strings(["DB I", "DB II", "DB III"])),
            ("total", .floats(stages.map { s in s.reduce(0) { $0 + ($1 ?? 0) } })),
            ("negative_rows", .integers(stages.map { s in Int64(s.filter { ($0 ?? 0) < 0 }.count) })),
            ("share_negative", .floats(stages.map { s in n == 0 ? 0 : Double(s.filter { ($0 ?? 0) < 0 }.count) * 100 / Double(n) })),
        ])
        var result = Result(rows: rows, stages: table, missingCosts: missing)
        result.revenue = (options.revenue, revenue.reduce(0) { $0 + ($1 ?? 0) })
        result.costs = [options.cost, options.service, options.acquisition]
        return result
    }
}

extension ContributionMargin {
    /// The columns of the rows `run` gives for a table with these columns, after the checks it
    /// makes of the revenue and cost columns.
    public static func schema(_ input: Schema, options: Options) throws -> Schema {
        for name in [options.revenue, options.cost, options.service, options.acquisition].compactMap({ $0 }) {
            guard let field = input.field(name) else { throw EngineError.unknownColumn(name, available: input.names) }
            guard field.type.isNumeric else { throw EngineError.typeMismatch("\(name) holds \(field.type.withArticle) value, not an amount") }
        }
        return ["db1", "db2", "db3"].reduce(input) { $0.setting(Field($1, .float)) }.setting(Field("negative_margin", .boolean))
    }
}
