import NKAnalysis
import NKEngine
import NKSources

/// why-not's counting written as SQL and run by the attached engine: an overview of the
/// columns, the values of the text columns, a number column's cut points, and the tallies
/// of one depth of patterns as one query with grouping sets. Only counts come back.
struct SQLWhyNotCounter: WhyNotCounter {
    /// Where the statements run (or, for `explain sql`, are only written down).
    let statements: SQLStatements
    let dialect: SQLDialect
    /// The input rows, with the target flag `nk_t` (1 in the target group, else 0).
    let base: String

    init(statements: SQLStatements, dialect: SQLDialect, input: String, target: String) {
        self.statements = statements
        self.dialect = dialect
        base = "SELECT *, CASE WHEN \(target) THEN 1 ELSE 0 END AS nk_t\nFROM (\n" + SQLCompiler.indented(input) + "\n) AS nk_in"
    }

    private func from(_ alias: String = "nk_b") -> String { "FROM (\n" + SQLCompiler.indented(base) + "\n) AS \(alias)" }
    private func name(_ column: String) -> String { dialect.name(column) }

    /// A statement's answer; written down only, the counting stops here.
    private func query(_ sql: String) throws -> Table {
        guard let t = try statements.table(sql) else { throw CancellationError() }
        return t
    }

    func overview(_ columns: [String]) throws -> (rows: Int, targetRows: Int, columns: [WhyNot.ColumnOverview]) {
        var list = ["count(*) AS n", "sum(nk_t) AS t"]
        for (k, c) in columns.enumerated() {
            list += ["count(\(name(c))) AS f\(k)", "sum(CASE WHEN \(name(c)) IS NOT NULL THEN nk_t ELSE 0 END) AS ft\(k)",
                     "count(DISTINCT \(name(c))) AS d\(k)"]
        }
        let t = try query("SELECT " + list.joined(separator: ", ") + "\n" + from())
        guard t.rowCount == 1 else { throw EngineError.internalError("why-not's overview came back with \(t.rowCount) rows") }
        let v = t.row(0).map(SQLStatements.int)
        return (v[0], v[1], columns.indices.map { WhyNot.ColumnOverview(filled: v[2 + 3 * $0], filledTarget: v[3 + 3 * $0], distinct: v[4 + 3 * $0]) })
    }

    func values(_ columns: [String]) throws -> [[(value: String?, rows: Int, target: Int)]] {
        let grouping = columns.enumerated().map { "grouping(\(name($1))) AS g\($0)" }
        let values = columns.enumerated().map { "\(name($1)) AS v\($0)" }
        let sets = columns.map { "(\(name($0)))" }.joined(separator: ", ")
        let t = try query("SELECT " + (grouping + values + ["count(*) AS n", "sum(nk_t) AS t"]).joined(separator: ", ") + "\n" + from()
                          + "\nGROUP BY GROUPING SETS (\(sets))")
        var out = [[(value: String?, rows: Int, target: Int)]](repeating: [], count: columns.count)
        let k = columns.count
        for r in 0..<t.rowCount {
            let row = t.row(r)
            guard let which = (0..<k).first(where: { SQLStatements.int(row[$0]) == 0 }) else { continue }
            let value: String?
            switch row[k + which] {
            case .null: value = nil
            case .string(let s): value = s
            case .boolean(let b): value = b ? "true" : "false"
            case let other: value = other.description
            }
            out[which].append((value, SQLStatements.int(row[2 * k]), SQLStatements.int(row[2 * k + 1])))
        }
        return out
    }

    func numbers(_ column: String, smallest: Int, positions: [Int]) throws -> (smallest: [Double], at: [Double]) {
        let c = name(column)
        let low = try query("SELECT DISTINCT \(c) AS v\n" + from() + "\nWHERE \(c) IS NOT NULL\nORDER BY v\nLIMIT \(smallest)")
        let wanted = Array(Set(positions)).sorted()
        let ranked = try query("SELECT nk_k, v FROM (\n  SELECT \(c) AS v, row_number() OVER (ORDER BY \(c)) - 1 AS nk_k\n"
                               + SQLCompiler.indented(from()) + "\n  WHERE \(c) IS NOT NULL\n) AS nk_r\nWHERE nk_k IN ("
                               + wanted.map(String.init).joined(separator: ", ") + ")")
        var at: [Int: Double] = [:]
        for r in 0..<ranked.rowCount { at[SQLStatements.int(ranked.columns[0][r])] = SQLStatements.double(ranked.columns[1][r]) }
        return ((0..<low.rowCount).compactMap { SQLStatements.double(low.columns[0][$0]) }, positions.map { at[$0] ?? .nan })
    }

    func tallies(_ codings: [WhyNot.Coding], _ sets: [[Int]], within: [(attribute: Int, code: Int)]) throws -> [[WhyNot.Cell]] {
        let used = Array(Set(sets.flatMap { $0 })).sorted()
        let inner = used.map { "\(code(codings[$0])) AS a\($0)" } + ["nk_t"]
        let filter = within.map { "\(code(codings[$0.attribute])) = \($0.code)" }
        let innerSQL = "SELECT " + inner.joined(separator: ", ") + "\n" + from() + (filter.isEmpty ? "" : "\nWHERE " + filter.joined(separator: " AND "))
        let groups = sets.map { "(" + $0.map { "a\($0)" }.joined(separator: ", ") + ")" }.joined(separator: ", ")
        let t = try query("SELECT " + (used.map { "a\($0)" } + ["count(*) AS n", "sum(nk_t) AS t"]).joined(separator: ", ")
                          + "\nFROM (\n" + SQLCompiler.indented(innerSQL) + "\n) AS nk_c\nGROUP BY GROUPING SETS (\(groups))")
        var setIndex: [[Int]: Int] = [:]
        for (k, s) in sets.enumerated() { setIndex[s.sorted()] = k }
        var out = [[WhyNot.Cell]](repeating: [], count: sets.count)
        for r in 0..<t.rowCount {
            let row = t.row(r)
            let present = used.indices.filter { row[$0] != .null }
            guard let k = setIndex[present.map { used[$0] }] else { continue }
            let byAttribute = Dictionary(uniqueKeysWithValues: present.map { (used[$0], SQLStatements.int(row[$0])) })
            out[k].append(WhyNot.Cell(codes: sets[k].map { byAttribute[$0] ?? -1 }, rows: SQLStatements.int(row[used.count]), target: SQLStatements.int(row[used.count + 1])))
        }
        return out
    }

    func coverage(_ codings: [WhyNot.Coding], _ patterns: [[(attribute: Int, code: Int)]]) throws -> [(bits: UInt64, rows: Int, target: Int)] {
        guard !patterns.isEmpty else { return [] }
        // one bit per pattern, summed into one whole number per row
        let bits = patterns.enumerated().map { k, items in
            "CASE WHEN " + items.map { "\(code(codings[$0.attribute])) = \($0.code)" }.joined(separator: " AND ") + " THEN \(UInt64(1) << UInt64(k)) ELSE 0 END"
        }.joined(separator: "\n    + ")
        let inner = "SELECT " + bits + " AS nk_bits, nk_t\n" + from()
        let t = try query("SELECT nk_bits, count(*) AS n, sum(nk_t) AS t\nFROM (\n" + SQLCompiler.indented(inner) + "\n) AS nk_c\nGROUP BY nk_bits")
        return (0..<t.rowCount).map { r in
            let row = t.row(r)
            return (UInt64(SQLStatements.int(row[0])), SQLStatements.int(row[1]), SQLStatements.int(row[2]))
        }
    }

    /// The SQL of a column's code (see ``WhyNot/Coding``).
    func code(_ coding: WhyNot.Coding) -> String {
        let c = name(coding.column)
        var cases: [String] = []
        var otherwise = "-1"
        switch coding.kind {
        case .values(let values):
            for (k, v) in values.enumerated() {
                cases.append(v.map { "WHEN \(c) = \(dialect.text($0)) THEN \(k)" } ?? "WHEN \(c) IS NULL THEN \(k)")
            }
        case .booleans(let values):
            for (k, v) in values.enumerated() {
                cases.append(v.map { "WHEN \($0 ? c : "NOT \(c)") THEN \(k)" } ?? "WHEN \(c) IS NULL THEN \(k)")
            }
        case .bins(let cuts, let exact):
            cases.append("WHEN \(c) IS NULL THEN \(exact ? cuts.count : cuts.count + 1)")
            for (k, x) in cuts.enumerated() { cases.append("WHEN \(c) \(exact ? "=" : "<") \(Self.literal(x)) THEN \(k)") }
            if !exact { otherwise = String(cuts.count) }
        }
        return "CASE " + cases.joined(separator: " ") + " ELSE \(otherwise) END"
    }

    /// A number as a SQL literal that reads back as the same Double.
    static func literal(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }
}
