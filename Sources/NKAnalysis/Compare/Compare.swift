import NKEngine

/// Puts two groups side by side over their columns: for a categorical column the share of
/// each value in either group (95 % Wilson intervals), Pearson's chi-square (Fisher's exact test
/// for a 2 × 2 table with an expected count below 5) and Cramér's V; for a numeric column n,
/// mean, median and standard deviation per group, Welch's t-test, Mann-Whitney U, Cohen's d and
/// Cliff's delta. p-values are adjusted with Holm across the columns of one comparison; the
/// summary is ordered by effect size (Cramér's V, |Cliff's delta|), largest first.
public enum Compare {
    /// Values beyond this many (by total count) are folded into `(other)`.
    public static let maximumValues = 10

    public struct Result: Sendable {
        /// One row per column: column, kind, test, statistic, p_value, p_adjusted, effect, effect_size.
        public var summary: Table
        /// Per column (in summary order): the per-value or per-group detail tables.
        public var details: [(column: String, tables: [Table])]
    }

    /// Compares group `a` with group `b` (tables with the named columns; default: every column
    /// both have, except identifiers, i.e. columns whose values are unique in every row).
    public static func run(_ a: Table, _ b: Table, labels: (String, String) = ("a", "b"), columns named: [String]? = nil) throws -> Result {
        let names = try named ?? defaultColumns(a, b)
        var rows: [Row] = []
        for name in names {
            guard let ca = a.column(name), let cb = b.column(name) else {
                let missing = a.column(name) == nil ? a : b
                throw EngineError.unknownColumn(name, available: missing.names)
            }
            if ca.type == .string || ca.type == .boolean {
                rows.append(categorical(name, ca, cb, labels))
            } else {
                rows.append(numeric(name, ca, cb, labels))
            }
        }
        let adjusted = StatTests.adjust(rows.map(\.p), .holm)
        for i in rows.indices { rows[i].pAdjusted = adjusted[i] }
        rows.sort { $0.effectSize > $1.effectSize }
        let summary = try Table([
            ("column", .strings(rows.map(\.column))), ("kind", .strings(rows.map(\.kind))), ("test", .strings(rows.map(\.test))),
            ("statistic", .floats(rows.map { $0.statistic.isFinite ? $0.statistic : nil })),
            ("p_value", .floats(rows.map(\.p))), ("p_adjusted", .floats(rows.map(\.pAdjusted))),
            ("effect", .strings(rows.map(\.effect))), ("effect_size", .floats(rows.map(\.effectSize))),
        ])
        return Result(summary: summary, details: rows.map { ($0.column, $0.details) })
    }

    struct Row {
        var column: String
        var kind: String
        var test: String
        var statistic: Double
        var p: Double
        var pAdjusted = 1.0
        var effect: String
        var effectSize: Double
        var details: [Table]
    }

    /// Columns both tables have, without identifiers (unique per row with more than one row).
    static func defaultColumns(_ a: Table, _ b: Table) throws -> [String] {
        try a.names.filter { name in
            guard let column = a.column(name), b.column(name) != nil else { return false }
            guard column.type == .string || column.type == .integer, a.rowCount > 1 else { return true }
            let distinct = try Table([("v", column)]).distinct().rowCount
            return distinct < a.rowCount
        }
    }

    static func categorical(_ name: String, _ a: Column, _ b: Column, _ labels: (String, String)) -> Row {
        // counts per value (null is a value) in either group, most frequent first
        func counts(_ c: Column) -> [String: Int] {
            var out: [String: Int] = [:]
            for i in 0..<c.count { out[c.isNull(i) ? "(null)" : c[i].description, default: 0] += 1 }
            return out
        }
        let ca = counts(a), cb = counts(b)
        var values = Set(ca.keys).union(cb.keys).sorted { (ca[$0, default: 0] + cb[$0, default: 0], $1) > (ca[$1, default: 0] + cb[$1, default: 0], $0) }
        if values.count > maximumValues + 1 {
            let kept = Array(values.prefix(maximumValues))
            let folded = Set(values.dropFirst(maximumValues))
            var fa = ca.filter { !folded.contains($0.key) }, fb = cb.filter { !folded.contains($0.key) }
            fa["(other)"] = folded.reduce(0) { $0 + ca[$1, default: 0] }
            fb["(other)"] = folded.reduce(0) { $0 + cb[$1, default: 0] }
            values = kept + ["(other)"]
            return categoricalRow(name, values, fa, fb, a.count, b.count, labels)
        }
        return categoricalRow(name, values, ca, cb, a.count, b.count, labels)
    }

    static func categoricalRow(_ name: String, _ values: [String], _ ca: [String: Int], _ cb: [String: Int], _ na: Int, _ nb: Int,
                               _ labels: (String, String)) -> Row {
        let table = values.map { [Double(ca[$0, default: 0]), Double(cb[$0, default: 0])] }
        let chi = StatTests.chiSquareIndependence(table)
        var test = "chi-square", statistic = chi.statistic, p = chi.pValue
        if values.count == 2 {
            // Fisher's exact test when a 2 × 2 table has an expected count below 5
            let n = Double(na + nb), groups = [Double(na), Double(nb)]
            let expected = table.flatMap { row in groups.map { row.reduce(0, +) * $0 / n } }
            if expected.min() ?? 0 < 5 {
                let f = StatTests.fisherExact(Int(table[0][0]), Int(table[0][1]), Int(table[1][0]), Int(table[1][1]))
                test = "fisher exact"
                statistic = f.oddsRatio
                p = f.pValue
            }
        }
        func share(_ k: Int, _ n: Int) -> Double? { n == 0 ? nil : Double(k) * 100 / Double(n) }
        let wa = values.map { StatTests.wilson(ca[$0, default: 0], na) }, wb = values.map { StatTests.wilson(cb[$0, default: 0], nb) }
        let detail = (try? Table([
            ("value", .strings(values)),
            ("count_\(labels.0)", .integers(values.map { Int64(ca[$0, default: 0]) })),
            ("share_\(labels.0)", .floats(values.map { share(ca[$0, default: 0], na) })),
            ("low_\(labels.0)", .floats(wa.map { $0.low * 100 })), ("high_\(labels.0)", .floats(wa.map { $0.high * 100 })),
            ("count_\(labels.1)", .integers(values.map { Int64(cb[$0, default: 0]) })),
            ("share_\(labels.1)", .floats(values.map { share(cb[$0, default: 0], nb) })),
            ("low_\(labels.1)", .floats(wb.map { $0.low * 100 })), ("high_\(labels.1)", .floats(wb.map { $0.high * 100 })),
            ("difference_pp", .floats(values.map { v in
                guard let x = share(ca[v, default: 0], na), let y = share(cb[v, default: 0], nb) else { return nil }
                return x - y
            })),
        ])) ?? Table(rowCount: 0)
        return Row(column: name, kind: "categorical", test: test, statistic: statistic, p: p, effect: "cramers_v",
                   effectSize: chi.cramersV, details: [detail])
    }

    static func numeric(_ name: String, _ a: Column, _ b: Column, _ labels: (String, String)) -> Row {
        func values(_ c: Column) -> [Double] {
            (0..<c.count).compactMap { i -> Double? in
                switch c[i] {
                case .integer(let v): return Double(v)
                case .float(let v): return v.isFinite ? v : nil
                case .date(let d): return Double(d)
                case .timestamp(let t): return Double(t) / 1_000_000
                default: return nil
                }
            }
        }
        let xa = values(a), xb = values(b)
        func sd(_ x: [Double]) -> Double? {
            guard x.count > 1 else { return nil }
            let m = x.reduce(0, +) / Double(x.count)
            return (x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1)).squareRoot()
        }
        func mean(_ x: [Double]) -> Double? { x.isEmpty ? nil : x.reduce(0, +) / Double(x.count) }
        let detail = (try? Table([
            ("group", .strings([labels.0, labels.1])),
            ("n", .integers([Int64(xa.count), Int64(xb.count)])),
            ("mean", .floats([mean(xa), mean(xb)])),
            ("median", .floats([Quantile.of(xa, 0.5), Quantile.of(xb, 0.5)])),
            ("sd", .floats([sd(xa), sd(xb)])),
        ])) ?? Table(rowCount: 0)
        guard xa.count >= 2, xb.count >= 2 else {
            return Row(column: name, kind: "numeric", test: "welch t", statistic: .nan, p: 1, effect: "cliffs_delta", effectSize: 0, details: [detail])
        }
        let r = StatTests.twoSample(xa, xb)
        let p = r.welchP.isFinite ? r.welchP : 1
        let tests = (try? Table([
            ("measure", .strings(["welch t", "mann-whitney u", "cohens_d", "cliffs_delta"])),
            ("value", .floats([r.welchT, r.mannWhitneyU1, r.cohensD, r.cliffsDelta])),
            ("df", .floats([r.welchDF, nil, nil, nil])),
            ("p_value", .floats([r.welchP, r.mannWhitneyP, nil, nil])),
        ])) ?? Table(rowCount: 0)
        return Row(column: name, kind: "numeric", test: "welch t", statistic: r.welchT, p: p, effect: "cliffs_delta",
                   effectSize: abs(r.cliffsDelta), details: [detail, tests])
    }
}
