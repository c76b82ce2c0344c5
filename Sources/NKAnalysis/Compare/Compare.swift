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
    /// Values of a column beyond `maximumValues` are folded into `(other)`; nil keeps them all.
    public static func run(_ a: Table, _ b: Table, labels: (String, String) = ("a", "b"), columns named: [String]? = nil,
                           maximumValues: Int? = Compare.maximumValues) throws -> Result {
        let names = try named ?? defaultColumns(a, b)
        for name in names where a.column(name) == nil || b.column(name) == nil {
            let missing = a.column(name) == nil ? a : b
            throw EngineError.unknownColumn(name, available: missing.names)
        }
        // columns are independent: compared on all cores
        var rows = Parallel.map(names.count, minimumWork: (a.rowCount + b.rowCount) * names.count) { k -> Row in
            let name = names[k]
            let ca = a.column(name)!, cb = b.column(name)!
            return ca.type == .string || ca.type == .boolean ? categorical(name, ca, cb, labels, maximumValues) : numeric(name, ca, cb, labels)
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

    static func categorical(_ name: String, _ a: Column, _ b: Column, _ labels: (String, String), _ maximumValues: Int?) -> Row {
        // counts per value (null is a value) in either group, most frequent first; text is
        // counted by dictionary code, never by string
        func counts(_ c: Column) -> [String: Int] {
            var perCode: [Int] = []
            var labels: [String] = []
            var nulls = 0
            switch c.storage {
            case .string(let codes, let dict):
                perCode = [Int](repeating: 0, count: dict.count)
                codes.withUnsafeBufferPointer { p in
                    if let v = c.validity {
                        for i in 0..<p.count { if v.isValid(i) { perCode[Int(p[i])] += 1 } else { nulls += 1 } }
                    } else {
                        for i in 0..<p.count { perCode[Int(p[i])] += 1 }
                    }
                }
                labels = dict.strings
            case .boolean(let values):
                perCode = [0, 0]
                for i in 0..<values.count { if c.isNull(i) { nulls += 1 } else { perCode[values[i] ? 1 : 0] += 1 } }
                labels = ["false", "true"]
            default:
                for i in 0..<c.count { labels.append(c[i].description) }
            }
            var out: [String: Int] = [:]
            if perCode.isEmpty {
                for i in 0..<c.count { out[c.isNull(i) ? "(null)" : labels[i], default: 0] += 1 }
                return out
            }
            for (code, k) in perCode.enumerated() where k > 0 { out[labels[code], default: 0] += k }
            if nulls > 0 { out["(null)"] = nulls }
            return out
        }
        let ca = counts(a), cb = counts(b)
        var values = Set(ca.keys).union(cb.keys).sorted { (ca[$0, default: 0] + cb[$0, default: 0], $1) > (ca[$1, default: 0] + cb[$1, default: 0], $0) }
        if let maximumValues, values.count > maximumValues + 1 {
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

    static func finite(_ x: Double) -> Double? { x.isFinite ? x : nil }

    static func numeric(_ name: String, _ a: Column, _ b: Column, _ labels: (String, String)) -> Row {
        // the non-null values as Doubles, read straight from the column's array
        func values(_ c: Column) -> [Double] {
            var out: [Double] = []
            out.reserveCapacity(c.count - c.nullCount)
            func take<T>(_ a: [T], _ convert: (T) -> Double) {
                a.withUnsafeBufferPointer { p in
                    if let v = c.validity {
                        for i in 0..<p.count where v.isValid(i) { out.append(convert(p[i])) }
                    } else {
                        for i in 0..<p.count { out.append(convert(p[i])) }
                    }
                }
            }
            switch c.storage {
            case .integer(let a): take(a) { Double($0) }
            case .float(let a): take(a) { $0 }; out.removeAll { !$0.isFinite }
            case .date(let a): take(a) { Double($0) }
            case .timestamp(let a): take(a) { Double($0) / 1_000_000 }
            default: break
            }
            return out
        }
        // sorted once: medians read from them, and the rank test's sorts are then linear
        let xa = values(a).sorted(), xb = values(b).sorted()
        func median(_ x: [Double]) -> Double? { x.isEmpty ? nil : x.withUnsafeBufferPointer { Quantile.sorted($0, 0.5) } }
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
            ("median", .floats([median(xa), median(xb)])),
            ("sd", .floats([sd(xa), sd(xb)])),
        ])) ?? Table(rowCount: 0)
        guard xa.count >= 2, xb.count >= 2 else {
            return Row(column: name, kind: "numeric", test: "welch t", statistic: .nan, p: 1, effect: "cliffs_delta", effectSize: 0, details: [detail])
        }
        let r = StatTests.twoSample(xa, xb)
        let p = r.welchP.isFinite ? r.welchP : 1
        let tests = (try? Table([
            ("measure", .strings(["welch t", "mann-whitney u", "cohens_d", "cliffs_delta"])),
            // undefined statistics (both groups constant) are null, never a printed NaN
            ("value", .floats([r.welchT, r.mannWhitneyU1, r.cohensD, r.cliffsDelta].map(finite))),
            ("df", .floats([finite(r.welchDF), nil, nil, nil])),
            ("p_value", .floats([finite(r.welchP), finite(r.mannWhitneyP), nil, nil])),
        ])) ?? Table(rowCount: 0)
        return Row(column: name, kind: "numeric", test: "welch t", statistic: r.welchT, p: p, effect: "cliffs_delta",
                   effectSize: abs(r.cliffsDelta), details: [detail, tests])
    }
}
