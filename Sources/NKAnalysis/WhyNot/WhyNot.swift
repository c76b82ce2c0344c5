import NKEngine

/// What the rows of a target group (the non-buyers) have in common that the other rows have
/// less often: patterns of one, two or three attribute values, each with its risk ratio, a
/// Katz interval, Fisher's exact p-value and a Benjamini-Hochberg q-value; patterns that are
/// no stronger than a simpler one are dropped, and the strongest are checked for confounding
/// (Mantel-Haenszel within the strongest other attribute).
///
/// For a pattern, a = target rows with it, n1 = rows with it, c = target rows without it,
/// n2 = rows without it: support = a / target rows, target_rate = a / n1, rest_rate = c / n2,
/// risk_ratio = target_rate / rest_rate.
public enum WhyNot {
    public struct Options: Sendable {
        /// The columns to look at; nil: every suitable column (text and true/false columns with
        /// 2–50 values, numbers cut into quantile bins), except `excluded`.
        public var columns: [String]?
        /// Columns never chosen automatically (those that define the groups).
        public var excluded: Set<String> = []
        /// Most values in one pattern (1, 2 or 3).
        public var depth = 2
        /// Least share of the target group a pattern must cover, in percent.
        public var minSupportPercent = 1.0
        /// Least risk ratio of a pattern that is reported.
        public var minRatio = 1.5
        /// Largest q-value of a pattern that is reported.
        public var maxQ = 0.05
        /// Report every pattern tested, with a note on why it would have been dropped.
        public var keepAll = false
        /// Text columns holding what the target group says (a lost reason, a competitor).
        public var reasons: [String] = []
        /// Quantile bins for number columns.
        public var bins = 5
        /// Findings told as sentences.
        public var sentences = 5
        /// Patterns checked for confounding.
        public var confoundingChecks = 10
        public init() {}
    }

    /// How the two groups are named in sentences.
    public struct Groups: Sendable {
        /// The target group as a condition or name: `status != "customer"`.
        public var target: String
        /// What rows of the target group do: "match status != \"customer\"", "are in lost".
        public var verb: String
        /// The statement asking the mirror question, when there is one.
        public var mirror: String?
        public init(target: String, verb: String, mirror: String? = nil) {
            self.target = target; self.verb = verb; self.mirror = mirror
        }
    }

    public struct Result: Sendable {
        /// pattern, order, target_count, reference_count, support, target_rate, rest_rate,
        /// risk_ratio, rr_low, rr_high, p_value, q_value, note.
        public var patterns: Table
        /// What was looked at and how many patterns were tested and survive.
        public var summary: [String]
        /// The top findings, one sentence each.
        public var findings: [String]
        /// Per `reasons` column: each stated value's count and share in the target group.
        public var reasons: [(column: String, table: Table)]
        public var tested: Int
        public var survived: Int
    }

    /// The columns of the pattern table.
    public static let schema: [Field] = [
        Field("pattern", .string), Field("order", .integer), Field("target_count", .integer), Field("reference_count", .integer),
        Field("support", .float), Field("target_rate", .float), Field("rest_rate", .float), Field("risk_ratio", .float),
        Field("rr_low", .float), Field("rr_high", .float), Field("p_value", .float), Field("q_value", .float), Field("note", .string),
    ]

    struct Pattern {
        var items: [(attribute: Int, code: Int)]
        var a: Int
        var n1: Int
        var stats = Stats()
        var q = 1.0
        var note = ""
        var survives = false
        /// Index of the better parent when no stronger than it.
        var notStrongerThan: Int?
        var order: Int { items.count }
        var key: [Int] { items.flatMap { [$0.attribute, $0.code] } }
    }

    struct Stats {
        var targetRate = 0.0
        var restRate: Double?
        /// nil: undefined (the pattern covers every row); +∞: no target row lacks it.
        var ratio: Double?
        var low: Double?
        var high: Double?
        var p = 1.0
    }

    /// Runs the analysis. `target[i]` is 1 for a row of the target group, 0 for the reference.
    public static func run(_ table: Table, target: [UInt8], groups: Groups, options: Options,
                           cancellation: CancellationFlag = .shared) throws -> Result {
        let n = table.rowCount
        let targetRows = target.reduce(0) { $0 + Int($1) }
        let referenceRows = n - targetRows
        if targetRows == 0 {
            throw EngineError.invalidInput("no rows \(groups.verb): the target group is empty",
                                           hint: "check the condition on its own, e.g. filter … | count")
        }
        if referenceRows == 0 {
            throw EngineError.invalidInput("every row \(groups.verb): there are no other rows to compare with",
                                           hint: "why-not needs rows outside the target group")
        }
        // attributes
        var attributes: [Attribute] = []
        var skipped: [SkipReason] = []
        let reasonSet = Set(options.reasons)
        if let named = options.columns {
            for name in named {
                guard let column = table.column(name) else { throw EngineError.unknownColumn(name, available: table.names) }
                if case .success(let a) = try Attribute.make(name, column, automatic: false, bins: options.bins) { attributes.append(a) }
            }
        } else {
            for (name, column) in zip(table.names, table.columns) where !options.excluded.contains(name) && !reasonSet.contains(name) {
                try cancellation.check()
                switch try Attribute.make(name, column, automatic: true, bins: options.bins) {
                case .success(let a):
                    if let side = a.filledOnlyIn(target) {
                        skipped.append(SkipReason(name, .filledOnlyIn(target: side == 1)))
                    } else {
                        attributes.append(a)
                    }
                case .failure(let why): skipped.append(why)
                }
            }
            if attributes.isEmpty {
                throw EngineError.invalidInput("no column to look at: " + (skipped.isEmpty ? "the table has no other columns" : "left out " + skipped.map(\.description).joined(separator: ", ")),
                                               hint: "name columns with `by`, e.g. why-not … by region")
            }
        }
        let depth = max(1, min(options.depth, 3, attributes.count))

        // counts: every attribute, then every pair (and triple) of attributes, on all cores
        var combinations: [[Int]] = attributes.indices.map { [$0] }
        if depth >= 2 {
            for i in attributes.indices { for j in (i + 1)..<attributes.count { combinations.append([i, j]) } }
        }
        let sizeOf = { (c: [Int]) in c.reduce(1) { $0 * attributes[$1].valueCount } }
        combinations.removeAll { sizeOf($0) > Tally.maximumCells }
        try cancellation.check()
        var tallies = Parallel.map(combinations.count, minimumWork: n * combinations.count) {
            Tally.count(attributes, combinations[$0], target: target)
        }
        var tallyIndex: [[Int]: Int] = [:]
        for (k, t) in tallies.enumerated() { tallyIndex[t.attributes] = k }

        // patterns meeting the minimum support, grown level by level
        func frequent(_ a: Int32) -> Bool { Double(a) * 100 >= options.minSupportPercent * Double(targetRows) && a > 0 || options.minSupportPercent <= 0 }
        var patterns: [Pattern] = []
        var frequentKeys = Set<[Int]>()
        for (i, a) in attributes.enumerated() {
            let t = tallies[tallyIndex[[i]]!]
            for v in 0..<a.valueCount where t.rows[v] > 0 && frequent(t.target[v]) {
                patterns.append(Pattern(items: [(i, v)], a: Int(t.target[v]), n1: Int(t.rows[v])))
                frequentKeys.insert([i, v])
            }
        }
        if depth >= 2 {
            for i in attributes.indices {
                for j in (i + 1)..<attributes.count {
                    guard let k = tallyIndex[[i, j]] else { continue }
                    let t = tallies[k]
                    for v in 0..<attributes[i].valueCount where frequentKeys.contains([i, v]) {
                        for w in 0..<attributes[j].valueCount where frequentKeys.contains([j, w]) {
                            let cell = v * t.sizes[1] + w
                            guard t.rows[cell] > 0, frequent(t.target[cell]) else { continue }
                            patterns.append(Pattern(items: [(i, v), (j, w)], a: Int(t.target[cell]), n1: Int(t.rows[cell])))
                            frequentKeys.insert([i, v, j, w])
                        }
                    }
                }
            }
        }
        if depth >= 3 {
            // only triples of attributes whose pairs have frequent patterns are counted
            let pairs = patterns.filter { $0.order == 2 }
            var triples: [[Int]] = []
            for i in attributes.indices {
                for j in (i + 1)..<attributes.count {
                    for l in (j + 1)..<attributes.count where sizeOf([i, j, l]) <= Tally.maximumCells {
                        let has = { (x: Int, y: Int) in pairs.contains { $0.items[0].attribute == x && $0.items[1].attribute == y } }
                        if has(i, j) && has(i, l) && has(j, l) { triples.append([i, j, l]) }
                    }
                }
            }
            try cancellation.check()
            let counted = Parallel.map(triples.count, minimumWork: n * triples.count) { Tally.count(attributes, triples[$0], target: target) }
            for t in counted {
                tallyIndex[t.attributes] = tallies.count
                tallies.append(t)
                let (i, j, l) = (t.attributes[0], t.attributes[1], t.attributes[2])
                for v in 0..<t.sizes[0] {
                    for w in 0..<t.sizes[1] where frequentKeys.contains([i, v, j, w]) {
                        for x in 0..<t.sizes[2] where frequentKeys.contains([i, v, l, x]) && frequentKeys.contains([j, w, l, x]) {
                            let cell = t.cell([v, w, x])
                            guard t.rows[cell] > 0, frequent(t.target[cell]) else { continue }
                            patterns.append(Pattern(items: [(i, v), (j, w), (l, x)], a: Int(t.target[cell]), n1: Int(t.rows[cell])))
                        }
                    }
                }
            }
        }
        try cancellation.check()

        // statistics of every pattern tested, on all cores (Fisher's test costs the most)
        let stats = Parallel.map(patterns.count, minimumWork: patterns.count * 20_000) { k in
            statistics(a: patterns[k].a, n1: patterns[k].n1, targetRows: targetRows, rows: n)
        }
        let q = StatTests.adjust(stats.map(\.p), .benjaminiHochberg)
        for k in patterns.indices { patterns[k].stats = stats[k]; patterns[k].q = q[k] }

        // which survive: strong enough, significant, and stronger than their better parent
        var byKey: [[Int]: Int] = [:]
        for (k, p) in patterns.enumerated() { byKey[p.key] = k }
        for k in patterns.indices {
            let p = patterns[k]
            var reasons: [String] = []
            guard let ratio = p.stats.ratio else {
                patterns[k].note = "risk ratio undefined: the pattern covers every row"
                continue
            }
            if ratio < options.minRatio { reasons.append("risk ratio below \(format(options.minRatio))") }
            if p.q > options.maxQ { reasons.append("q above \(format(options.maxQ))") }
            if p.order >= 2 {
                var best: Int?
                for drop in p.items.indices {
                    var items = p.items
                    items.remove(at: drop)
                    guard let parent = byKey[items.flatMap { [$0.attribute, $0.code] }] else { continue }
                    let r = patterns[parent].stats.ratio ?? -.infinity
                    if best == nil || r > (patterns[best!].stats.ratio ?? -.infinity) { best = parent }
                }
                if let best {
                    let parent = patterns[best].stats
                    let bar = parent.high ?? parent.ratio ?? -.infinity
                    if !(ratio > bar) {
                        patterns[k].notStrongerThan = best
                        reasons.append("no stronger than \(conditionText(patterns[best], attributes))")
                    }
                }
            }
            patterns[k].survives = reasons.isEmpty
            patterns[k].note = reasons.joined(separator: "; ")
            if ratio == .infinity && reasons.isEmpty { patterns[k].note = "every target row has it" }
        }
        let survivors = patterns.indices.filter { patterns[$0].survives }
        var shown = options.keepAll ? Array(patterns.indices) : survivors
        shown.sort { x, y in
            let px = patterns[x], py = patterns[y]
            let rx = px.stats.ratio ?? -.infinity, ry = py.stats.ratio ?? -.infinity
            if rx != ry { return rx > ry }
            if px.a != py.a { return px.a > py.a }
            if px.order != py.order { return px.order < py.order }
            return px.key.lexicographicallyPrecedes(py.key)
        }

        // confounding: the strongest surviving patterns within the strata of the strongest
        // other attribute
        let strength = attributes.indices.map { i -> Double in
            let t = tallies[tallyIndex[[i]]!]
            let table = (0..<t.rows.count).filter { t.rows[$0] > 0 }.map { [Double(t.target[$0]), Double(t.rows[$0] - t.target[$0])] }
            return table.count < 2 ? 0 : StatTests.chiSquareIndependence(table).cramersV
        }
        let checked = Array(shown.filter { patterns[$0].survives && patterns[$0].stats.ratio.map { $0.isFinite } == true }.prefix(options.confoundingChecks))
        try cancellation.check()
        let adjusted = Parallel.map(checked.count, minimumWork: n * checked.count) { k -> Confounding? in
            confounding(of: patterns[checked[k]], attributes, strength: strength, tallies: tallies, tallyIndex: tallyIndex,
                        target: target, targetRows: targetRows)
        }
        var confounders: [Int: Confounding] = [:]
        for (k, index) in checked.enumerated() {
            guard let c = adjusted[k] else { continue }
            confounders[index] = c
            let name = attributes[c.attribute].column
            if let mh = c.ratio {
                if mh.low <= 1 {
                    patterns[index].note = "explained by \(name) (\(format(mh.ratio))× within)"
                } else if mh.ratio < options.minRatio {
                    patterns[index].note = "weaker within \(name) (\(format(mh.ratio))×)"
                } else {
                    patterns[index].note = "holds within \(name) (\(format(mh.ratio))×)"
                }
            } else {
                patterns[index].note = "cannot be checked within \(name)"
            }
        }

        let result = try Table([
            ("pattern", .strings(shown.map { conditionText(patterns[$0], attributes) })),
            ("order", .integers(shown.map { Int64(patterns[$0].order) })),
            ("target_count", .integers(shown.map { Int64(patterns[$0].a) })),
            ("reference_count", .integers(shown.map { Int64(patterns[$0].n1 - patterns[$0].a) })),
            ("support", .floats(shown.map { Double(patterns[$0].a) / Double(targetRows) })),
            ("target_rate", .floats(shown.map { patterns[$0].stats.targetRate })),
            ("rest_rate", .floats(shown.map { patterns[$0].stats.restRate })),
            ("risk_ratio", .floats(shown.map { patterns[$0].stats.ratio.flatMap { $0.isFinite ? $0 : nil } })),
            ("rr_low", .floats(shown.map { patterns[$0].stats.low })),
            ("rr_high", .floats(shown.map { patterns[$0].stats.high })),
            ("p_value", .floats(shown.map { patterns[$0].stats.p })),
            ("q_value", .floats(shown.map { patterns[$0].q })),
            ("note", .strings(shown.map { patterns[$0].note })),
        ])

        // what was done, in words
        var summary: [String] = []
        let described = attributes.map { a in a.binning.map { "\(a.column) (\($0))" } ?? a.column }
        summary.append("why-not \(groups.target): \(Value.grouped(targetRows)) target rows, \(Value.grouped(referenceRows)) others; "
                       + "looking at \(described.joined(separator: ", ")) (depth \(depth))")
        if !skipped.isEmpty { summary.append("left out: " + skipped.map(\.description).joined(separator: ", ")) }
        let least = options.minSupportPercent <= 0 ? 0 : Int((options.minSupportPercent * Double(targetRows) / 100).rounded(.up))
        summary.append("tested \(Value.grouped(patterns.count)) pattern\(patterns.count == 1 ? "" : "s") covering at least \(format(options.minSupportPercent)) % of the target rows "
                       + "(\(Value.grouped(least)) \(least == 1 ? "row" : "rows")); \(Value.grouped(survivors.count)) survive\(survivors.count == 1 ? "s" : "") "
                       + "(risk ratio ≥ \(format(options.minRatio)), q ≤ \(format(options.maxQ)), stronger than their parts)"
                       + (options.keepAll ? "; all \(Value.grouped(patterns.count)) are listed, the note says why one would be dropped" : ""))
        if targetRows > referenceRows {
            summary.append("note: \(percent(Double(targetRows) / Double(n))) of the rows are in the target group, so no pattern can make it much likelier"
                           + (groups.mirror.map { "; the mirror question, what sets the others apart: \($0)" } ?? ""))
        }

        var findings = sentences(shown.filter { patterns[$0].survives }.prefix(options.sentences).map { patterns[$0] },
                                 confounders: shown.filter { patterns[$0].survives }.prefix(options.sentences).map { confounders[$0] },
                                 attributes, groups: groups, targetRows: targetRows, referenceRows: referenceRows)
        var reasonTables: [(String, Table)] = []
        if !options.reasons.isEmpty {
            let told = try statedReasons(table, options.reasons, target: target, targetRows: targetRows,
                                         top: shown.filter { patterns[$0].survives && !patterns[$0].note.hasPrefix("explained") }.prefix(3).map { patterns[$0] },
                                         attributes, groups: groups, minRatio: max(1.2, options.minRatio))
            reasonTables = told.tables
            findings += told.sentences
        }
        return Result(patterns: result, summary: summary, findings: findings, reasons: reasonTables,
                      tested: patterns.count, survived: survivors.count)
    }

    /// Counts, rates, risk ratio with Katz's interval, and Fisher's two-sided p-value.
    static func statistics(a: Int, n1: Int, targetRows: Int, rows: Int) -> Stats {
        let b = n1 - a, c = targetRows - a, n2 = rows - n1, d = n2 - c
        var s = Stats()
        s.targetRate = Double(a) / Double(n1)
        s.p = StatTests.fisherExact(a, b, c, d).pValue
        guard n2 > 0 else { return s }
        s.restRate = Double(c) / Double(n2)
        if c == 0 {
            s.ratio = .infinity
            return s
        }
        let rr = StatTests.riskRatio(Double(a), Double(b), Double(c), Double(d))
        s.ratio = rr.ratio
        if a > 0 { s.low = rr.low; s.high = rr.high }
        return s
    }

    static func conditionText(_ p: Pattern, _ attributes: [Attribute]) -> String {
        p.items.map { attributes[$0.attribute].conditions[$0.code] }.joined(separator: " and ")
    }

    /// A number for prose: whole numbers as they are, others with two decimals at most
    /// (three below 1), trailing zeros dropped: 1.5, 0.05, 2.06.
    static func format(_ x: Double) -> String {
        trim(x, abs(x) >= 1 ? 2 : 3)
    }

    static func pow10(_ k: Int) -> Double { (0..<k).reduce(1.0) { r, _ in r * 10 } }
    /// `x` with exactly `digits` decimals, trailing zeros dropped.
    static func trim(_ x: Double, _ digits: Int) -> String {
        let scaled = Int64((abs(x) * pow10(digits)).rounded())
        let whole = scaled / Int64(pow10(digits)), fraction = scaled % Int64(pow10(digits))
        var text = String(whole)
        if fraction != 0 {
            var f = String(fraction)
            f = String(repeating: "0", count: digits - f.count) + f
            while f.hasSuffix("0") { f.removeLast() }
            text += "." + f
        }
        return (x < 0 && scaled != 0 ? "-" : "") + text
    }

    /// A share as a percentage for prose: "41 %", "4.2 %", "0.35 %".
    static func percent(_ share: Double) -> String {
        let x = share * 100
        if x >= 9.5 { return trim(x, 0) + " %" }
        if x >= 0.95 { return trim(x, 1) + " %" }
        return trim(x, 2) + " %"
    }
}
