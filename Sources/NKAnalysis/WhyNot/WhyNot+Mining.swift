import NKEngine

/// Finding the patterns: which columns to look at, and the patterns of one, two and three of
/// their values that cover enough of the target group, counted on all cores.
extension WhyNot {
    /// The patterns found, with the counts they came from.
    struct Mining {
        var patterns: [Pattern]
        var tallies: [Tally]
        var tallyIndex: [[Int]: Int]
    }

    /// The attributes to look at (named, or every suitable column), and the columns left out with why.
    static func chooseAttributes(_ table: Table, target: [UInt8], options: Options,
                                 cancellation: CancellationFlag) throws -> ([Attribute], [SkipReason]) {
        var attributes: [Attribute] = []
        var skipped: [SkipReason] = []
        let reasonSet = Set(options.reasons)
        if let named = options.columns {
            for name in named {
                guard let column = table.column(name) else { throw EngineError.unknownColumn(name, available: table.names) }
                // (binning a number column sorts it: about 0.1 s at 5 M rows)
                try cancellation.check()
                if case .success(let a) = try Attribute.make(name, column, automatic: false, bins: options.bins, cancellation: cancellation) { attributes.append(a) }
            }
        } else {
            for (name, column) in zip(table.names, table.columns) where !options.excluded.contains(name) && !reasonSet.contains(name) {
                try cancellation.check()
                switch try Attribute.make(name, column, automatic: true, bins: options.bins, cancellation: cancellation) {
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
        return (attributes, skipped)
    }

    /// Every pattern meeting the minimum support, grown level by level up to `depth` values.
    static func mine(_ attributes: [Attribute], depth: Int, counting: Counting, options: Options,
                     cancellation: CancellationFlag) throws -> Mining {
        let targetRows = counting.targetRows
        // counts: every attribute, then every pair (and triple) of attributes, on all cores
        var combinations: [[Int]] = attributes.indices.map { [$0] }
        if depth >= 2 {
            for i in attributes.indices { for j in (i + 1)..<attributes.count { combinations.append([i, j]) } }
        }
        let sizeOf = { (c: [Int]) in c.reduce(1) { $0 * attributes[$1].valueCount } }
        combinations.removeAll { sizeOf($0) > Tally.maximumCells }
        try cancellation.check()
        var tallies = try counting.tally(attributes, combinations, nil)
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
            try growTriples(&patterns, &tallies, &tallyIndex, &frequentKeys, attributes, counting: counting, frequent: frequent,
                            sizeOf: sizeOf, cancellation: cancellation)
        }
        return Mining(patterns: patterns, tallies: tallies, tallyIndex: tallyIndex)
    }

    /// Patterns of three values, counted only for triples of attributes whose pairs have frequent patterns.
    static func growTriples(_ patterns: inout [Pattern], _ tallies: inout [Tally], _ tallyIndex: inout [[Int]: Int],
                            _ frequentKeys: inout Set<[Int]>, _ attributes: [Attribute], counting: Counting,
                            frequent: (Int32) -> Bool, sizeOf: ([Int]) -> Int, cancellation: CancellationFlag) throws {
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
        let counted = triples.isEmpty ? [] : try counting.tally(attributes, triples, nil)
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
}
