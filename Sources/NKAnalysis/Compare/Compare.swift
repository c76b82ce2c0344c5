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

    /// The columns of the summary table.
    public static let schema = Schema([
        Field("column", .string), Field("kind", .string), Field("test", .string), Field("statistic", .float),
        Field("p_value", .float), Field("p_adjusted", .float), Field("effect", .string), Field("effect_size", .float),
    ])

    public struct Result: Sendable {
        /// One row per column: column, kind, test, statistic, p_value, p_adjusted, effect, effect_size.
        public var summary: Table
        /// Per column (in summary order): the per-value or per-group detail tables.
        public var details: [(column: String, tables: [Table])]
        /// Columns left out because they hold one value in both groups (only when no columns were named).
        public var constant: [String] = []
        /// The strongest differences, one sentence each.
        public var findings: [String] = []
        /// Per numeric column, each group's spread (for its box in a chart), nil for a group
        /// without values.
        public var spreads: [String: [Spread?]] = [:]
    }

    /// How a group's values spread: the 5th, 25th, 50th, 75th and 95th percentiles (type 7).
    public struct Spread: Sendable, Equatable {
        public var p5: Double, q1: Double, median: Double, q3: Double, p95: Double
        public init(p5: Double, q1: Double, median: Double, q3: Double, p95: Double) {
            self.p5 = p5; self.q1 = q1; self.median = median; self.q3 = q3; self.p95 = p95
        }
        /// The spread of sorted values, by the quantile they give for each probability.
        public init(_ quantile: (Double) -> Double) {
            self.init(p5: quantile(0.05), q1: quantile(0.25), median: quantile(0.5), q3: quantile(0.75), p95: quantile(0.95))
        }
        public static let probabilities = [0.05, 0.25, 0.5, 0.75, 0.95]
    }

    /// Compares group `a` with group `b` (tables with the named columns; default: every column
    /// both have, except identifiers, i.e. columns whose values are unique in every row).
    /// Values of a column beyond `maximumValues` are folded into `(other)`; nil keeps them all.
    public static func run(_ a: Table, _ b: Table, labels: (String, String) = ("a", "b"), columns named: [String]? = nil,
                           maximumValues: Int? = Compare.maximumValues) throws -> Result {
        var names = try named ?? defaultColumns(a, b)
        for name in names where a.column(name) == nil || b.column(name) == nil {
            let missing = a.column(name) == nil ? a : b
            throw EngineError.unknownColumn(name, available: missing.names)
        }
        let constant = named == nil ? names.filter { oneValue([(a.column($0)!, { _ in true }), (b.column($0)!, { _ in true })]) } : []
        names.removeAll { constant.contains($0) }
        var result = try run(names, rows: a.rowCount + b.rowCount, labels: labels, maximumValues: maximumValues) { name in
            [Part(column: a.column(name)!, membership: .whole(0)), Part(column: b.column(name)!, membership: .whole(1))]
        }
        result.constant = constant
        result.findings = findings(result, labels: labels)
        return result
    }

    /// Compares two groups of one table without copying them: `groups[i]` is 0 for a row of
    /// the first group, 1 for the second, anything else for neither.
    public static func run(_ table: Table, groups: [UInt8], labels: (String, String), columns named: [String]? = nil,
                           excluding excluded: Set<String> = [], maximumValues: Int? = Compare.maximumValues) throws -> Result {
        var names = try named ?? defaultColumns(table, table).filter { !excluded.contains($0) }
        for name in names where table.column(name) == nil { throw EngineError.unknownColumn(name, available: table.names) }
        // a column with one value in the rows of both groups tells them apart by nothing
        let constant = named == nil ? names.filter { oneValue([(table.column($0)!, { groups[$0] <= 1 })]) } : []
        names.removeAll { constant.contains($0) }
        var result = try run(names, rows: table.rowCount, labels: labels, maximumValues: maximumValues) { name in
            [Part(column: table.column(name)!, membership: .mask(groups))]
        }
        result.constant = constant
        result.findings = findings(result, labels: labels)
        return result
    }

    /// Whether the rows of the parts (those `include` takes) hold one value, null included. A
    /// column that is not constant is told after a few rows.
    static func oneValue(_ parts: [(column: Column, include: (Int) -> Bool)]) -> Bool {
        var first: Value?
        for (column, include) in parts {
            for i in 0..<column.count where include(i) {
                let v = column[i]
                if let f = first { if v != f { return false } } else { first = v }
            }
        }
        return true
    }

    /// Which rows of a column belong to which group.
    enum Membership {
        /// Every row is in group 0 or 1.
        case whole(Int)
        /// 0: the first group, 1: the second, anything else: neither.
        case mask([UInt8])
    }

    /// A column, or the part of one, that feeds the two groups.
    struct Part {
        var column: Column
        var membership: Membership
    }

    static func run(_ names: [String], rows: Int, labels: (String, String), maximumValues: Int?, parts: (String) -> [Part]) throws -> Result {
        // columns are independent: compared on all cores
        let rows = Parallel.map(names.count, minimumWork: rows * names.count) { k -> Row in
            let name = names[k]
            let columnParts = parts(name)
            let type = columnParts[0].column.type
            return type == .string || type == .boolean ? categorical(name, columnParts, labels, maximumValues) : numeric(name, columnParts, labels)
        }
        return try assemble(rows)
    }

    /// What a column's rows come to, counted elsewhere (an engine's grouped queries).
    public enum Counted: Sendable {
        /// Per group (first, second), the rows of each value, null as "(null)".
        case values([[String: Int]])
        /// Per group: size, mean, median (type 7) and variance (ddof 1) of the finite values,
        /// nil where undefined; the first group's rank sum in the pooled sample (ties
        /// averaged) and Σ (t³ − t) over the tied runs; each group's spread.
        case numbers([(n: Int, mean: Double?, median: Double?, variance: Double?)], rankSum: Double, tieTerm: Double, spread: [Spread?] = [nil, nil])
    }

    /// The comparison from what each column's rows come to, as ``run(_:groups:labels:columns:excluding:maximumValues:)``
    /// would find it; `constant` lists the columns left out for holding one value.
    public static func run(counted: [(name: String, counted: Counted)], labels: (String, String), constant: [String] = [],
                           maximumValues: Int? = Compare.maximumValues) throws -> Result {
        var result = try assemble(counted.map { name, c in
            switch c {
            case .values(let counts): return categorical(name, counts: counts, labels, maximumValues)
            case .numbers(let described, let rankSum, let tieTerm, let spread):
                let summary = described[0].n >= 2 && described[1].n >= 2
                    ? StatTests.TwoSampleSummary(n1: Double(described[0].n), n2: Double(described[1].n), mean1: described[0].mean ?? .nan,
                                                 mean2: described[1].mean ?? .nan, variance1: described[0].variance ?? .nan,
                                                 variance2: described[1].variance ?? .nan, rankSum1: rankSum, tieTerm: tieTerm)
                    : nil
                var row = numericRow(name, described, summary, labels)
                row.spread = spread
                return row
            }
        })
        result.constant = constant
        result.findings = findings(result, labels: labels)
        return result
    }

    /// The summary of the columns' rows: p-values adjusted (Holm), largest effect first.
    static func assemble(_ columns: [Row]) throws -> Result {
        var rows = columns
        let adjusted = StatTests.adjust(rows.map(\.p), .holm)
        for i in rows.indices { rows[i].pAdjusted = adjusted[i] }
        rows.sort { $0.effectSize > $1.effectSize }
        let summary = try Table([
            ("column", .strings(rows.map(\.column))), ("kind", .strings(rows.map(\.kind))), ("test", .strings(rows.map(\.test))),
            ("statistic", .floats(rows.map { $0.statistic.isFinite ? $0.statistic : nil })),
            ("p_value", .floats(rows.map(\.p))), ("p_adjusted", .floats(rows.map(\.pAdjusted))),
            ("effect", .strings(rows.map(\.effect))), ("effect_size", .floats(rows.map(\.effectSize))),
        ])
        var result = Result(summary: summary, details: rows.map { ($0.column, $0.details) })
        for row in rows where !row.spread.isEmpty { result.spreads[row.column] = row.spread }
        return result
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
        /// A numeric column's spread per group.
        var spread: [Spread?] = []
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

    static func categorical(_ name: String, _ parts: [Part], _ labels: (String, String), _ maximumValues: Int?) -> Row {
        // counts per value (null is a value) in either group, most frequent first; text is
        // counted by dictionary code, never by string
        var counts: [[String: Int]] = [[:], [:]]
        for part in parts { add(part, into: &counts) }
        return categorical(name, counts: counts, labels, maximumValues)
    }

    /// A categorical column's row from its counts per value in either group.
    static func categorical(_ name: String, counts: [[String: Int]], _ labels: (String, String), _ maximumValues: Int?) -> Row {
        let ca = counts[0], cb = counts[1]
        let na = ca.values.reduce(0, +), nb = cb.values.reduce(0, +)
        var values = Set(ca.keys).union(cb.keys).sorted { (ca[$0, default: 0] + cb[$0, default: 0], $1) > (ca[$1, default: 0] + cb[$1, default: 0], $0) }
        if let maximumValues, values.count > maximumValues + 1 {
            let kept = Array(values.prefix(maximumValues))
            let folded = Set(values.dropFirst(maximumValues))
            var fa = ca.filter { !folded.contains($0.key) }, fb = cb.filter { !folded.contains($0.key) }
            fa["(other)"] = folded.reduce(0) { $0 + ca[$1, default: 0] }
            fb["(other)"] = folded.reduce(0) { $0 + cb[$1, default: 0] }
            values = kept + ["(other)"]
            return categoricalRow(name, values, fa, fb, na, nb, labels)
        }
        return categoricalRow(name, values, ca, cb, na, nb, labels)
    }

    /// Adds the value counts of one part to either group's counts.
    static func add(_ part: Part, into counts: inout [[String: Int]]) {
        let c = part.column
        var labels: [String] = []
        var perCode: [Int] = []   // group-major: group * codes + code; the last code is null
        switch c.storage {
        case .string(_, let dict): labels = dict.strings
        case .boolean: labels = ["false", "true"]
        default:
            for i in 0..<c.count {
                switch part.membership {
                case .whole(let g): counts[g][c.isNull(i) ? "(null)" : c[i].description, default: 0] += 1
                case .mask(let m): if m[i] < 2 { counts[Int(m[i])][c.isNull(i) ? "(null)" : c[i].description, default: 0] += 1 }
                }
            }
            return
        }
        let k = labels.count + 1
        perCode = [Int](repeating: 0, count: 2 * k)
        func tally(_ code: (Int) -> Int) {
            perCode.withUnsafeMutableBufferPointer { out in
                let v = c.validity
                switch part.membership {
                case .whole(let g):
                    let base = g * k
                    if let v { for i in 0..<c.count { out[base + (v.isValid(i) ? code(i) : k - 1)] += 1 } }
                    else { for i in 0..<c.count { out[base + code(i)] += 1 } }
                case .mask(let m):
                    m.withUnsafeBufferPointer { m in
                        for i in 0..<c.count where m[i] < 2 {
                            out[Int(m[i]) * k + (v.map { $0.isValid(i) } ?? true ? code(i) : k - 1)] += 1
                        }
                    }
                }
            }
        }
        switch c.storage {
        case .string(let codes, _): codes.withUnsafeBufferPointer { p in tally { Int(p[$0]) } }
        case .boolean(let values): tally { values[$0] ? 1 : 0 }
        default: break
        }
        for g in 0..<2 {
            for code in 0..<k where perCode[g * k + code] > 0 {
                counts[g][code == k - 1 ? "(null)" : labels[code], default: 0] += perCode[g * k + code]
            }
        }
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

    static func numeric(_ name: String, _ parts: [Part], _ labels: (String, String)) -> Row {
        let described: [(n: Int, mean: Double?, median: Double?, variance: Double?)]
        let summary: StatTests.TwoSampleSummary?
        let spread: [Spread?]
        if let histogram = IntegerHistogram(parts) {
            // whole numbers in a small range: everything from one histogram
            described = [histogram.describe(0), histogram.describe(1)]
            spread = [histogram.spread(0), histogram.spread(1)]
            let ranks = histogram.ranks()
            summary = StatTests.TwoSampleSummary(
                n1: Double(described[0].n), n2: Double(described[1].n), mean1: described[0].mean ?? .nan, mean2: described[1].mean ?? .nan,
                variance1: described[0].variance ?? .nan, variance2: described[1].variance ?? .nan,
                rankSum1: ranks.rankSum, tieTerm: ranks.tieTerm)
        } else {
            // the non-null values of either group, sorted once: medians read from them, and the
            // pooled ranks found by merging
            var groups: [[Double]] = [[], []]
            for part in parts { NumericSample.collect(part, into: &groups) }
            let integral: Bool
            switch parts[0].column.storage {
            case .integer, .date: integral = true
            default: integral = false
            }
            let sorted = Parallel.map(2, minimumWork: groups[0].count + groups[1].count) { NumericSample.sorted(groups[$0], integral: integral) }
            let both = StatTests.summary(sorted[0], sorted[1], sorted: true)
            described = (0..<2).map { g in
                let x = sorted[g]
                guard !x.isEmpty else { return (0, nil, nil, nil) }
                return (x.count, g == 0 ? both.mean1 : both.mean2, x.withUnsafeBufferPointer { Quantile.sorted($0, 0.5) },
                        x.count > 1 ? (g == 0 ? both.variance1 : both.variance2) : nil)
            }
            summary = sorted[0].count >= 2 && sorted[1].count >= 2 ? both : nil
            spread = sorted.map { x in x.isEmpty ? nil : x.withUnsafeBufferPointer { b in Spread { Quantile.sorted(b, $0) } } }
        }
        var row = numericRow(name, described, summary, labels)
        row.spread = spread
        return row
    }

    /// A numeric column's row from its groups' descriptions and the tests' summary (nil when a
    /// group has fewer than two values).
    static func numericRow(_ name: String, _ described: [(n: Int, mean: Double?, median: Double?, variance: Double?)],
                           _ summary: StatTests.TwoSampleSummary?, _ labels: (String, String)) -> Row {
        let detail = (try? Table([
            ("group", .strings([labels.0, labels.1])),
            ("n", .integers(described.map { Int64($0.n) })),
            ("mean", .floats(described.map(\.mean))),
            ("median", .floats(described.map(\.median))),
            ("sd", .floats(described.map { $0.variance?.squareRoot() })),
        ])) ?? Table(rowCount: 0)
        guard let summary, described[0].n >= 2, described[1].n >= 2 else {
            return Row(column: name, kind: "numeric", test: "welch t", statistic: .nan, p: 1, effect: "cliffs_delta", effectSize: 0, details: [detail])
        }
        let r = StatTests.twoSample(summary)
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
