import NKEngine

/// Judging the patterns found: their statistics, which survive, in which order they are shown,
/// which hold within the strongest other attribute, and the table and words that report them.
extension WhyNot {
    /// Every pattern's statistics and its Benjamini-Hochberg q-value.
    static func score(_ patterns: inout [Pattern], targetRows: Int, rows n: Int) {
        // on all cores (Fisher's test costs the most)
        let stats = Parallel.map(patterns.count, minimumWork: patterns.count * 20_000) { k in
            statistics(a: patterns[k].a, n1: patterns[k].n1, targetRows: targetRows, rows: n)
        }
        let q = StatTests.adjust(stats.map(\.p), .benjaminiHochberg)
        for k in patterns.indices { patterns[k].stats = stats[k]; patterns[k].q = q[k] }
    }

    /// Which survive: strong enough, significant, and stronger than their better parent; the
    /// note says why one does not.
    static func judge(_ patterns: inout [Pattern], _ attributes: [Attribute], options: Options) {
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
    }

    /// The patterns to show, strongest first (then most target rows, fewer values, key order).
    static func ordered(_ indices: [Int], _ patterns: [Pattern]) -> [Int] {
        var shown = indices
        shown.sort { x, y in
            let px = patterns[x], py = patterns[y]
            let rx = px.stats.ratio ?? -.infinity, ry = py.stats.ratio ?? -.infinity
            if rx != ry { return rx > ry }
            if px.a != py.a { return px.a > py.a }
            if px.order != py.order { return px.order < py.order }
            return px.key.lexicographicallyPrecedes(py.key)
        }
        return shown
    }

    /// Confounding: the strongest surviving patterns within the strata of the strongest other
    /// attribute; their notes say whether they hold. The results by pattern index.
    static func checkConfounding(_ shown: [Int], _ mined: inout Mining, _ attributes: [Attribute], counting: Counting,
                                 options: Options, cancellation: CancellationFlag) throws -> [Int: Confounding] {
        let tallies = mined.tallies, tallyIndex = mined.tallyIndex
        let strength = attributes.indices.map { i -> Double in
            let t = tallies[tallyIndex[[i]]!]
            let table = (0..<t.rows.count).filter { t.rows[$0] > 0 }.map { [Double(t.target[$0]), Double(t.rows[$0] - t.target[$0])] }
            return table.count < 2 ? 0 : StatTests.chiSquareIndependence(table).cramersV
        }
        let checked = Array(shown.filter { mined.patterns[$0].survives && mined.patterns[$0].stats.ratio.map { $0.isFinite } == true }.prefix(options.confoundingChecks))
        try cancellation.check()
        // a pair's patterns share their stratifying attribute: one count of the three
        // attributes over all rows serves every pattern of the pair
        var all = tallies, index = tallyIndex
        let triples = Set(checked.compactMap { k -> [Int]? in
            let p = mined.patterns[k]
            guard p.order == 2, let s = confounder(of: p, attributes, strength: strength) else { return nil }
            let set = (p.items.map(\.attribute) + [s]).sorted()
            return index[set] == nil && set.map({ attributes[$0].valueCount }).reduce(1, *) <= Tally.maximumCells ? set : nil
        }).sorted { $0.lexicographicallyPrecedes($1) }
        if !triples.isEmpty {
            for (set, t) in zip(triples, try counting.tally(attributes, triples, nil)) {
                index[set] = all.count
                all.append(t)
            }
        }
        try cancellation.check()
        let adjusted = try checked.map { k -> Confounding? in
            try confounding(of: mined.patterns[k], attributes, strength: strength, tallies: all, tallyIndex: index, counting: counting)
        }
        var confounders: [Int: Confounding] = [:]
        for (k, index) in checked.enumerated() {
            guard let c = adjusted[k] else { continue }
            confounders[index] = c
            let name = attributes[c.attribute].column
            if let mh = c.ratio {
                if mh.low <= 1 {
                    mined.patterns[index].explained = true
                    mined.patterns[index].note = "explained by \(name) (\(format(mh.ratio))× within)"
                } else if mh.ratio < options.minRatio {
                    mined.patterns[index].note = "weaker within \(name) (\(format(mh.ratio))×)"
                } else {
                    mined.patterns[index].note = "holds within \(name) (\(format(mh.ratio))×)"
                }
            } else {
                mined.patterns[index].note = "cannot be checked within \(name)"
            }
        }
        return confounders
    }

    /// The pattern table of the shown patterns.
    static func patternTable(_ shown: [Int], _ patterns: [Pattern], _ attributes: [Attribute], targetRows: Int) throws -> Table {
        try Table([
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
            ("note", .strings(shown.map { noteText(patterns[$0]) })),
        ])
    }

    /// A pattern's note, and `few rows (N)` when fewer than ``fewRows`` rows have it.
    static func noteText(_ p: Pattern) -> String {
        guard p.n1 < fewRows else { return p.note }
        return "few rows (\(p.n1))" + (p.note.isEmpty ? "" : "; " + p.note)
    }

    /// What was done, in words.
    static func summaryLines(_ attributes: [Attribute], skipped: [SkipReason], depth: Int, tested: Int, survived: Int,
                             targetRows: Int, referenceRows: Int, groups: Groups, options: Options) -> [String] {
        let n = targetRows + referenceRows
        var summary: [String] = []
        let described = attributes.map { a in a.binning.map { "\(a.column) (\($0))" } ?? a.column }
        summary.append("why-not \(groups.target): \(Value.grouped(targetRows)) target rows, \(Value.grouped(referenceRows)) others; "
                       + "looking at \(described.joined(separator: ", ")) (depth \(depth))")
        if !skipped.isEmpty { summary.append("left out: " + skipped.map(\.description).joined(separator: ", ")) }
        let least = options.minSupportPercent <= 0 ? 0 : Int((options.minSupportPercent * Double(targetRows) / 100).rounded(.up))
        summary.append("tested \(Value.grouped(tested)) pattern\(tested == 1 ? "" : "s") covering at least \(format(options.minSupportPercent)) % of the target rows "
                       + "(\(Value.grouped(least)) \(least == 1 ? "row" : "rows")); \(Value.grouped(survived)) survive\(survived == 1 ? "s" : "") "
                       + "(risk ratio ≥ \(format(options.minRatio)), q ≤ \(format(options.maxQ)), stronger than their parts)"
                       + (options.keepAll ? "; all \(Value.grouped(tested)) are listed, the note says why one would be dropped" : ""))
        if targetRows > referenceRows {
            summary.append("note: \(percent(Double(targetRows) / Double(n))) of the rows are in the target group, so no pattern can make it much likelier"
                           + (groups.mirror.map { "; the mirror question, what sets the others apart: \($0)" } ?? ""))
        }
        return summary
    }
}
