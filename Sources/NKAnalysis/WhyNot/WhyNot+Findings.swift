import NKEngine

/// The parts of why-not that explain its patterns: the confounding check, the sentences and
/// the reasons the target group states.
extension WhyNot {
    /// A pattern's risk ratio within the strata of another attribute.
    struct Confounding {
        var attribute: Int
        var ratio: (ratio: Double, low: Double, high: Double)?
    }

    /// Calls `body(row)` for every row that has the pattern.
    @inline(__always)
    static func forEachRow(with p: Pattern, _ attributes: [Attribute], _ body: (Int) -> Void) {
        let n = attributes[p.items[0].attribute].codes.count
        let columns = p.items.map { attributes[$0.attribute].codes }
        let wanted = p.items.map { UInt16($0.code) }
        columns[0].withUnsafeBufferPointer { c0 in
            if columns.count == 1 {
                for i in 0..<n where c0[i] == wanted[0] { body(i) }
                return
            }
            columns[1].withUnsafeBufferPointer { c1 in
                if columns.count == 2 {
                    for i in 0..<n where c0[i] == wanted[0] && c1[i] == wanted[1] { body(i) }
                    return
                }
                columns[2].withUnsafeBufferPointer { c2 in
                    for i in 0..<n where c0[i] == wanted[0] && c1[i] == wanted[1] && c2[i] == wanted[2] { body(i) }
                }
            }
        }
    }

    /// The Mantel-Haenszel risk ratio of `p` within the values of the most strongly associated
    /// attribute (Cramér's V with the target) that is not part of the pattern.
    static func confounding(of p: Pattern, _ attributes: [Attribute], strength: [Double], tallies: [Tally],
                            tallyIndex: [[Int]: Int], counting: Counting) throws -> Confounding? {
        guard let s = confounder(of: p, attributes, strength: strength),
              let overall = tallyIndex[[s]].map({ tallies[$0] }) else { return nil }
        let k = attributes[s].valueCount
        var a = [Int](repeating: 0, count: k), n1 = [Int](repeating: 0, count: k)
        let i = p.items[0].attribute, v = p.items[0].code
        if p.order == 1, let index = tallyIndex[[min(i, s), max(i, s)]] {
            // a single value: read from the pair counts already made
            let t = tallies[index]
            for w in 0..<k {
                let cell = i < s ? t.cell([v, w]) : t.cell([w, v])
                a[w] = Int(t.target[cell]); n1[w] = Int(t.rows[cell])
            }
        } else if let index = tallyIndex[(p.items.map(\.attribute) + [s]).sorted()] {
            // read from the counts of the pattern's attributes with the stratum's
            let t = tallies[index]
            for w in 0..<k {
                let codes = t.attributes.map { a in a == s ? w : p.items.first { $0.attribute == a }!.code }
                let cell = t.cell(codes)
                a[w] = Int(t.target[cell]); n1[w] = Int(t.rows[cell])
            }
        } else {
            // the stratum's values among the rows with the pattern
            let t = try counting.tally(attributes, [[s]], p)[0]
            for w in 0..<k { a[w] = Int(t.target[w]); n1[w] = Int(t.rows[w]) }
        }
        let strata = (0..<k).map { w -> StatTests.Stratum in
            let targetInStratum = Int(overall.target[w]), rowsInStratum = Int(overall.rows[w])
            return StatTests.Stratum(Double(a[w]), Double(n1[w] - a[w]), Double(targetInStratum - a[w]),
                                     Double(rowsInStratum - n1[w] - (targetInStratum - a[w])))
        }
        return Confounding(attribute: s, ratio: StatTests.mantelHaenszelRiskRatio(strata))
    }

    /// The attribute a pattern is stratified by: the one most strongly associated with the
    /// target (Cramér's V) that the pattern does not use.
    static func confounder(of p: Pattern, _ attributes: [Attribute], strength: [Double]) -> Int? {
        let used = Set(p.items.map(\.attribute))
        return attributes.indices.filter { !used.contains($0) && strength[$0] > 0 }.max { strength[$0] < strength[$1] }
    }

    /// A risk ratio for prose: one decimal ("3.1×", "2.0×"), two close to 1.
    static func ratioText(_ x: Double) -> String {
        fixed(x, x < 1.095 ? 2 : 1) + "×"
    }

    /// An interval for prose, with as many decimals as it takes to tell its ends apart.
    static func intervalText(_ low: Double, _ high: Double) -> String {
        for digits in 1...3 where fixed(low, digits) != fixed(high, digits) || digits == 3 {
            return "\(fixed(low, digits))–\(fixed(high, digits))"
        }
        return ""
    }

    /// `x` with exactly `digits` decimals.
    static func fixed(_ x: Double, _ digits: Int) -> String {
        let text = trim(x, digits)
        let decimals = text.firstIndex(of: ".").map { text.distance(from: $0, to: text.endIndex) - 1 } ?? 0
        if decimals == digits { return text }
        return text + (decimals == 0 ? "." : "") + String(repeating: "0", count: digits - decimals)
    }

    /// The top findings as sentences.
    static func sentences(_ top: [Pattern], confounders: [Confounding?], _ attributes: [Attribute], groups: Groups,
                          targetRows: Int, referenceRows: Int, adds: [Int]) -> [String] {
        var out: [String] = []
        for (k, (p, c)) in zip(top, confounders).enumerated() {
            // what the finding adds to those above it
            let added = k == 0 ? " It covers \(Value.grouped(p.a)) of the \(Value.grouped(targetRows)) target rows."
                : " It adds \(Value.grouped(adds[k])) target rows the findings above do not cover."
            let before = out.count
            defer { if out.count > before { out[out.count - 1] += added } }
            let s = p.stats
            let pattern = conditionText(p, attributes)
            let few = p.n1 < fewRows ? " It rests on only \(p.n1) rows." : ""
            if s.ratio == .infinity {
                out.append("Rows with \(pattern) are the only ones to \(groups.verb) (\(percent(s.targetRate)) of them; none of the rest)." + few)
                continue
            }
            guard let ratio = s.ratio, ratio.isFinite, let rest = s.restRate else { continue }
            let interval = s.low.flatMap { low in s.high.map { "; 95 % CI " + intervalText(low, $0) } } ?? ""
            var sentence = "Rows with \(pattern) are \(ratioText(ratio)) as likely to \(groups.verb) "
                + "(\(percent(s.targetRate)) of them against \(percent(rest)) of the rest\(interval))."
            if let c, let mh = c.ratio {
                let name = attributes[c.attribute].column
                if mh.low <= 1 {
                    sentence += " Within each value of \(name) the ratio is \(ratioText(mh.ratio)) (95 % CI \(intervalText(mh.low, mh.high))): \(name) explains it."
                } else if mh.ratio < ratio / 1.25 {
                    sentence += " Part of it comes from \(name): within each value of \(name) the ratio is \(ratioText(mh.ratio))."
                }
            }
            out.append(sentence + few)
        }
        return out
    }

    /// What the target group says: for each reasons column, every stated value's count and
    /// share among the target rows, and for the top patterns the value they state most over
    /// the other target rows.
    static func statedReasons(_ reasons: [Attribute], counting: Counting, top: [Pattern],
                              _ attributes: [Attribute], groups: Groups, minRatio: Double) throws -> (tables: [(String, Table)], sentences: [String]) {
        var tables: [(String, Table)] = []
        var sentences: [String] = []
        let targetRows = counting.targetRows
        for reason in reasons {
            let name = reason.column
            let k = reason.valueCount
            let all = attributes + [reason]
            let overall = try counting.tally(all, [[attributes.count]], nil)[0]
            let stated = overall.target.map { Int($0) }
            let order = (0..<k).filter { stated[$0] > 0 }.sorted { x, y in
                let nx = reason.values[x] == nil, ny = reason.values[y] == nil
                if nx != ny { return ny }
                return (stated[x], y) > (stated[y], x)
            }
            tables.append((name, try Table([
                (name, .strings(order.map { reason.values[$0] })),
                ("count", .integers(order.map { Int64(stated[$0]) })),
                ("share", .floats(order.map { Double(stated[$0]) / Double(targetRows) })),
            ])))
            for p in top where p.a < targetRows {
                let within = try counting.tally(all, [[attributes.count]], p)[0].target.map { Int($0) }
                var best: (code: Int, ratio: Double, inside: Double, outside: Double)?
                for code in 0..<k where reason.values[code] != nil && within[code] >= 5 && stated[code] > within[code] {
                    let inside = Double(within[code]) / Double(p.a)
                    let outside = Double(stated[code] - within[code]) / Double(targetRows - p.a)
                    let ratio = inside / outside
                    if ratio >= minRatio, best == nil || ratio > best!.ratio { best = (code, ratio, inside, outside) }
                }
                if let best {
                    sentences.append("Of the target rows, those with \(conditionText(p, attributes)) name \(Attribute.quotedName(name)) "
                                     + "\(Attribute.quoted(reason.values[best.code]!)) \(ratioText(best.ratio)) as often as the others "
                                     + "(\(percent(best.inside)) against \(percent(best.outside))).")
                }
            }
        }
        return (tables, sentences)
    }
}
