import NKAnalysis
import NKEngine

/// compare's counting written as SQL: the input with each row's group (`nk_g`: 0 the first,
/// 1 the second, 2 neither), an overview that finds identifiers and constant columns, every
/// categorical column's counts per group and value in one query with grouping sets, every
/// numeric column's size, mean, median and variance per group in one query, and per numeric
/// column the pooled rank sum and tie term from its distinct values. Only counts come back.
struct SQLCompare: Sendable {
    let dialect: SQLDialect
    /// The rows with `nk_g`.
    let base: String
    let schema: Schema
    /// The columns named, or nil for every column but identifiers, constants and `excluded`.
    let named: [String]?
    let excluded: Set<String>
    /// The rows identifiers are judged on: every row, or the first table's.
    let identifierScope: String
    let maximumValues: Int?

    private var from: String { "FROM (\n" + SQLCompiler.indented(base) + "\n) AS nk_b" }
    private func name(_ c: String) -> String { dialect.name(c) }

    /// A column's value as the comparison counts it: dates as days since 1970-01-01.
    private func number(_ c: String) -> String {
        let x = name(c)
        switch schema.field(c)?.type {
        case .date?:
            switch dialect.engine {
            case .postgresql: return "(\(x) - DATE '1970-01-01')"
            case .duckdb: return "datediff('day', DATE '1970-01-01', \(x))"
            case .spark: return "datediff(\(x), DATE '1970-01-01')"
            }
        case .float?: return "CASE WHEN \(dialect.finite(x)) THEN \(x) END"
        default: return x
        }
    }

    func run(_ s: SQLStatements, labels: (String, String)) throws -> CompareResult? {
        var names = named ?? schema.names.filter { !excluded.contains($0) }
        var constant: [String] = []
        if named == nil {
            guard let chosen = try columns(names, s) else { return nil }
            (names, constant) = chosen
        }
        let categorical = names.filter { [.string, .boolean].contains(schema.field($0)!.type) }
        let numeric = names.filter { !categorical.contains($0) }
        let counts = try values(categorical, s)
        let description = try describe(numeric, s)
        var ranked: [(rankSum: Double, tieTerm: Double)] = []
        for c in numeric {
            guard let r = try ranks(c, s) else { break }
            ranked.append(r)
        }
        guard let counts, let (described, spreads) = description, ranked.count == numeric.count else { return nil }
        let counted = names.map { c -> (name: String, counted: Compare.Counted) in
            if let k = categorical.firstIndex(of: c) { return (c, .values(counts[k])) }
            let k = numeric.firstIndex(of: c)!
            return (c, .numbers(described[k], rankSum: ranked[k].rankSum, tieTerm: ranked[k].tieTerm, spread: spreads[k]))
        }
        return CompareResult(analysis: try Compare.run(counted: counted, labels: labels, constant: constant, maximumValues: maximumValues))
    }

    /// The columns compared by default: identifiers (text or whole numbers with a distinct
    /// value in every row) and columns with one value in both groups are left out.
    private func columns(_ names: [String], _ s: SQLStatements) throws -> (names: [String], constant: [String])? {
        var list = ["sum(CASE WHEN \(identifierScope) THEN 1 ELSE 0 END) AS n"]
        for (k, c) in names.enumerated() {
            let x = name(c)
            list += ["count(DISTINCT CASE WHEN \(identifierScope) THEN \(x) END) AS d\(k)",
                     "sum(CASE WHEN \(identifierScope) AND \(x) IS NULL THEN 1 ELSE 0 END) AS z\(k)",
                     "count(DISTINCT CASE WHEN nk_g < 2 THEN \(x) END) AS gd\(k)",
                     "sum(CASE WHEN nk_g < 2 AND \(x) IS NULL THEN 1 ELSE 0 END) AS gz\(k)"]
        }
        guard let v = try s.counts("SELECT " + list.joined(separator: ",\n  ") + "\n" + from) else { return nil }
        let rows = v[0]
        let kept = names.enumerated().filter { k, c in
            guard [.string, .integer].contains(schema.field(c)!.type), rows > 1 else { return true }
            return v[1 + 4 * k] + (v[2 + 4 * k] > 0 ? 1 : 0) < rows
        }
        let constant = kept.filter { k, _ in v[3 + 4 * k] + (v[4 + 4 * k] > 0 ? 1 : 0) <= 1 }.map(\.element)
        return (kept.map(\.element).filter { !constant.contains($0) }, constant)
    }

    /// Per categorical column, either group's rows per value.
    private func values(_ columns: [String], _ s: SQLStatements) throws -> [[[String: Int]]]? {
        guard !columns.isEmpty else { return [] }
        let grouping = columns.enumerated().map { "grouping(\(name($1))) AS g\($0)" }
        let values = columns.enumerated().map { "\(name($1)) AS v\($0)" }
        let sets = columns.map { "(nk_g, \(name($0)))" }.joined(separator: ", ")
        guard let t = try s.table("SELECT " + (grouping + values + ["nk_g", "count(*) AS n"]).joined(separator: ", ") + "\n" + from
                                  + "\nWHERE nk_g < 2\nGROUP BY GROUPING SETS (\(sets))") else { return nil }
        var out = [[[String: Int]]](repeating: [[:], [:]], count: columns.count)
        let k = columns.count
        for r in 0..<t.rowCount {
            let row = t.row(r)
            guard let which = (0..<k).first(where: { SQLStatements.int(row[$0]) == 0 }) else { continue }
            let value: String
            switch row[k + which] {
            case .null: value = "(null)"
            case .string(let text): value = text
            case .boolean(let b): value = b ? "true" : "false"
            case let other: value = other.description
            }
            out[which][SQLStatements.int(row[2 * k])][value, default: 0] += SQLStatements.int(row[2 * k + 1])
        }
        return out
    }

    /// Per numeric column and group: size, mean, median and variance of the finite values, and
    /// their spread (the 5th to 95th percentiles).
    private func describe(_ columns: [String], _ s: SQLStatements) throws
        -> (described: [[(n: Int, mean: Double?, median: Double?, variance: Double?)]], spreads: [[Compare.Spread?]])? {
        guard !columns.isEmpty else { return ([], []) }
        let d = dialect.double
        let width = 3 + Compare.Spread.probabilities.count
        let list = columns.enumerated().flatMap { k, c -> [String] in
            let x = number(c)
            return ["count(\(x)) AS n\(k)", "CAST(avg(\(x)) AS \(d)) AS a\(k)", "CAST(var_samp(\(x)) AS \(d)) AS v\(k)"]
                + Compare.Spread.probabilities.enumerated().map { j, q in "CAST(\(dialect.quantile(x, q)) AS \(d)) AS q\(j)_\(k)" }
        }
        guard let t = try s.table("SELECT nk_g, " + list.joined(separator: ",\n  ") + "\n" + from + "\nWHERE nk_g < 2\nGROUP BY nk_g") else { return nil }
        var out = [[(n: Int, mean: Double?, median: Double?, variance: Double?)]](repeating: [(0, nil, nil, nil), (0, nil, nil, nil)], count: columns.count)
        var spreads = [[Compare.Spread?]](repeating: [nil, nil], count: columns.count)
        for r in 0..<t.rowCount {
            let row = t.row(r)
            let g = SQLStatements.int(row[0])
            for k in columns.indices {
                let at = 1 + width * k
                let n = SQLStatements.int(row[at])
                guard n > 0 else { continue }
                let q = (0..<Compare.Spread.probabilities.count).map { SQLStatements.double(row[at + 3 + $0]) ?? .nan }
                out[k][g] = (n, SQLStatements.double(row[at + 1]), q[2], n > 1 ? SQLStatements.double(row[at + 2]) : nil)
                spreads[k][g] = Compare.Spread(p5: q[0], q1: q[1], median: q[2], q3: q[3], p95: q[4])
            }
        }
        return (out, spreads)
    }

    /// A numeric column's first-group rank sum in the pooled values (ties averaged) and
    /// Σ (t³ − t), from its distinct values and their rows.
    private func ranks(_ column: String, _ s: SQLStatements) throws -> (rankSum: Double, tieTerm: Double)? {
        let d = dialect.double, x = number(column)
        let values = "SELECT \(x) AS v, sum(CASE WHEN nk_g = 0 THEN 1 ELSE 0 END) AS a, count(*) AS t\n" + from
            + "\nWHERE nk_g < 2 AND \(x) IS NOT NULL\nGROUP BY \(x)"
        let below = "SELECT a, t, sum(t) OVER (ORDER BY v ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) - t AS below FROM nk_v"
        guard let t = try s.table("WITH nk_v AS (\n" + SQLCompiler.indented(values) + "\n)\n"
                                  + "SELECT sum(CAST(a AS \(d)) * (CAST(below AS \(d)) + (CAST(t AS \(d)) + 1) / 2)) AS rank_sum,\n"
                                  + "  sum(CAST(t AS \(d)) * t * t - t) AS tie_term\nFROM (\n" + SQLCompiler.indented(below) + "\n) AS nk_r") else { return nil }
        guard t.rowCount == 1 else { throw EngineError.internalError("compare's ranks came back with \(t.rowCount) rows") }
        return (SQLStatements.double(t.columns[0][0]) ?? 0, SQLStatements.double(t.columns[1][0]) ?? 0)
    }
}

extension CompareNode: SQLCounting {
    func pushed(_ compiler: SQLCompiler, database: String) throws -> PushedAnalysisNode {
        let input = try compiler.compile(inputs[0])
        let dialect = compiler.dialect
        let inputSQL = input.text(dialect)
        try checkTypes(input.schema)
        let maximum = allValues ? nil : Compare.maximumValues
        let based: @Sendable (String) -> String = { group in "SELECT *, \(group) AS nk_g\nFROM (\n" + SQLCompiler.indented(inputSQL) + "\n) AS nk_in" }
        switch split {
        case .condition(let predicate, let used, let labels):
            let condition = try compiler.expression(predicate, over: input.schema, at: self)
            let counting = SQLCompare(dialect: dialect, base: based("CASE WHEN \(condition) THEN 0 ELSE 1 END"), schema: input.schema, named: columns,
                                      excluded: used, identifierScope: "1 = 1", maximumValues: maximum)
            return PushedAnalysisNode(database: database, schema: schema, label: label, span: span, later: "") { s in
                try counting.run(s, labels: labels)
            }
        case .values(let key, let text, let keySpan, let used):
            let k = try compiler.expression(key, over: input.schema, at: self)
            let isText = input.schema.bindType(key) == .string, trueFirst = input.schema.bindType(key) == .boolean
            let schema = input.schema, columns = self.columns, label = self.label, span = self.span, context = compiler.context
            return PushedAnalysisNode(database: database, schema: self.schema, label: label, span: span,
                                      later: "then: the comparison of the rows of its two values, as for compare where") { s in
                let distinct = "SELECT DISTINCT \(k) AS k\nFROM (\n" + SQLCompiler.indented(inputSQL) + "\n) AS nk_in\nWHERE \(k) IS NOT NULL"
                guard let two = try s.table("SELECT k FROM (\n" + SQLCompiler.indented(distinct) + "\n) AS nk_k\nORDER BY "
                                            + dialect.orderKey("k", descending: trueFirst, isText: isText) + "\nLIMIT 3") else {
                    s.stopped = true
                    return nil
                }
                guard two.rowCount == 2 else {
                    let n = two.rowCount < 3 ? two.rowCount : try s.counts("SELECT count(*) FROM (\n" + SQLCompiler.indented(distinct) + "\n) AS nk_k")?.first ?? 3
                    guard n > 0 else { return try SQLCompare(dialect: dialect, base: based("2"), schema: schema, named: columns, excluded: used,
                                                             identifierScope: "1 = 1", maximumValues: maximum).run(s, labels: ("a", "b")) }
                    throw s.error("`compare by` needs exactly two values, \(text) has \(n)", at: keySpan,
                                  hint: "compare where \(text) = … compares one value with the rest")
                }
                let first = two.columns[0][0], second = two.columns[0][1]
                let literal = { (v: Value) in try SQLExpressionWriter(dialect: dialect, schema: schema, context: context).write(.literal(v)) }
                let group = "CASE WHEN \(k) = \(try literal(first)) THEN 0 WHEN \(k) = \(try literal(second)) THEN 1 ELSE 2 END"
                return try SQLCompare(dialect: dialect, base: based(group), schema: schema, named: columns, excluded: used,
                                      identifierScope: "1 = 1", maximumValues: maximum).run(s, labels: (first.description, second.description))
            }
        case .tables:
            throw CannotPushError(self, "compare A vs B runs inside the engine only when both are tables of it")
        }
    }

    /// `compare A vs B` with both run inside one engine: their common columns as one input, the
    /// first table's rows in group 0.
    func pushed(a: PushedNode, b: PushedNode, labels: (String, String), dialect: SQLDialect) throws -> PushedAnalysisNode {
        let common = a.schema.names.filter { b.schema.index(of: $0) != nil }
        let schema = Schema(common.compactMap { a.schema.field($0) })
        try checkTypes(schema)
        let counting = SQLCompare(dialect: dialect, base: a.union(b, columns: common, flag: "nk_g", values: (0, 1), dialect), schema: schema, named: columns,
                                  excluded: [], identifierScope: "nk_g = 0", maximumValues: allValues ? nil : Compare.maximumValues)
        return PushedAnalysisNode(database: a.database, schema: self.schema, label: label, span: span, later: "") { s in
            try counting.run(s, labels: labels)
        }
    }

    /// Timestamps are not compared inside an engine yet.
    private func checkTypes(_ schema: Schema) throws {
        for field in schema.fields where field.type == .timestamp && (columns?.contains(field.name) ?? true) {
            throw CannotPushError(self, "comparing the timestamp column \(field.name) cannot run inside the engine yet")
        }
    }
}
