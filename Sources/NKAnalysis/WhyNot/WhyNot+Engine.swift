import NKEngine

/// why-not counted by an engine where the data is: the columns are chosen and cut by the
/// engine's counts (the same rules as in memory), and every tally is a grouped query.
extension WhyNot {
    /// Runs the analysis on an engine's table. `columns` are its columns and their nk types.
    public static func run(counter: any WhyNotCounter, columns: [(name: String, type: DataType)], groups: Groups, options: Options,
                           cancellation: CancellationFlag = .shared) throws -> Result {
        let types = Dictionary(columns.map { ($0.name, $0.type) }, uniquingKeysWith: { a, _ in a })
        func type(_ name: String) throws -> DataType {
            guard let t = types[name] else { throw EngineError.unknownColumn(name, available: columns.map(\.name)) }
            return t
        }
        let reasonSet = Set(options.reasons)
        let candidates: [(name: String, type: DataType, automatic: Bool)] = try options.columns.map { named in
            try named.map { ($0, try type($0), false) }
        } ?? columns.filter { !options.excluded.contains($0.name) && !reasonSet.contains($0.name) }.map { ($0.name, $0.type, true) }
        for c in candidates where !c.automatic && (c.type == .date || c.type == .timestamp) {
            throw EngineError.invalidInput("why-not cannot cut the date column \(c.name) into ranges inside the engine yet",
                                           hint: "set pushdown = off runs it in memory, or derive a number from it first (derive year = year(\(c.name)))")
        }
        let reasons = try options.reasons.map { ($0, try type($0)) }
        let counted = candidates.filter { $0.type != .date && $0.type != .timestamp }.map(\.name) + reasons.map(\.0)
        let overview = try counter.overview(counted)
        try checkGroups(rows: overview.rows, targetRows: overview.targetRows, groups)
        try cancellation.check()
        var facts: [String: ColumnOverview] = [:]
        for (name, o) in zip(counted, overview.columns) { facts[name] = o }
        let rows = overview.rows

        // the values of the text and true/false columns that may be used
        var wanted: [String] = []
        for c in candidates where c.type == .string || c.type == .boolean {
            let o = facts[c.name]!
            let distinct = o.distinct + (o.filled < rows ? 1 : 0)
            if c.type == .string, !c.automatic, distinct > Attribute.maximumValues {
                throw EngineError.invalidInput("\(c.name) has \(Value.grouped(distinct)) different values; why-not looks for values many rows share",
                                               hint: "group them first, e.g. derive \(c.name)_group = left(\(c.name), 2), and use that column")
            }
            if c.type == .boolean || !c.automatic || (distinct >= 2 && distinct <= 50) { wanted.append(c.name) }
        }
        wanted += reasons.filter { $0.1 == .string || $0.1 == .boolean }.map(\.0)
        var valueLists: [String: [(value: String?, rows: Int, target: Int)]] = [:]
        for (name, list) in zip(wanted, wanted.isEmpty ? [] : try counter.values(wanted)) { valueLists[name] = list }

        var attributes: [Attribute] = []
        var skipped: [SkipReason] = []
        for c in candidates {
            try cancellation.check()
            if c.type == .date || c.type == .timestamp { skipped.append(SkipReason(c.name, .dateOrTime)); continue }
            let o = facts[c.name]!
            switch try engineAttribute(c.name, c.type, o, rows: rows, values: valueLists[c.name], automatic: c.automatic,
                                       bins: options.bins, counter: counter) {
            case .success(let a):
                let inTarget = o.filledTarget > 0, outside = o.filled - o.filledTarget > 0
                if c.automatic, o.filled < rows, inTarget != outside {
                    skipped.append(SkipReason(c.name, .filledOnlyIn(target: inTarget)))
                } else {
                    attributes.append(a)
                }
            case .failure(let why): skipped.append(why)
            }
        }
        if options.columns == nil, attributes.isEmpty {
            throw EngineError.invalidInput("no column to look at: " + (skipped.isEmpty ? "the table has no other columns" : "left out " + skipped.map(\.description).joined(separator: ", ")),
                                           hint: "name columns with `by`, e.g. why-not … by region")
        }
        var reasonAttributes: [Attribute] = []
        for (name, t) in reasons {
            if case .success(let a) = try engineAttribute(name, t, facts[name]!, rows: rows, values: valueLists[name], automatic: false,
                                                          bins: 5, counter: counter) { reasonAttributes.append(a) }
        }
        return try analyse(attributes, skipped: skipped, reasons: reasonAttributes,
                           counting: .engine(counter, rows: rows, targetRows: overview.targetRows),
                           groups: groups, options: options, cancellation: cancellation)
    }

    /// A column as an attribute from the engine's counts, by the rules of ``Attribute/make``.
    static func engineAttribute(_ name: String, _ type: DataType, _ o: ColumnOverview, rows: Int, values: [(value: String?, rows: Int, target: Int)]?,
                                automatic: Bool, bins: Int, counter: any WhyNotCounter) throws -> Swift.Result<Attribute, SkipReason> {
        let label = Attribute.quotedName(name)
        let hasNull = o.filled < rows
        switch type {
        case .string:
            let distinct = o.distinct + (hasNull ? 1 : 0)
            if automatic, distinct < 2 { return .failure(SkipReason(name, .oneValue)) }
            if automatic, distinct > 50 { return .failure(SkipReason(name, distinct == rows ? .identifier : .tooManyValues(distinct))) }
            let texts = (values ?? []).compactMap(\.value).sorted(by: Attribute.before)
            let (conditions, plain) = Attribute.textConditions(label, texts, hasNull: hasNull)
            return .success(Attribute(column: name, conditions: conditions, values: plain, codes: [], binning: nil,
                                      coding: Coding(column: name, kind: .values(plain))))
        case .boolean:
            let seen = Set((values ?? []).map { $0.value.map { $0 == "true" ? 1 : 0 } ?? 2 })
            let kept = (0..<3).filter { seen.contains($0) }
            if automatic, kept.count < 2 { return .failure(SkipReason(name, .oneValue)) }
            let all = ["\(label) = false", "\(label) = true", "\(label) is null"]
            let plain: [String?] = ["false", "true", nil]
            return .success(Attribute(column: name, conditions: kept.map { all[$0] }, values: kept.map { plain[$0] }, codes: [], binning: nil,
                                      coding: Coding(column: name, kind: .booleans(kept.map { [false, true, nil][$0] }))))
        default:
            if automatic, type == .integer, Attribute.looksLikeIdentifier(name, distinct: o.distinct, count: o.filled) {
                return .failure(SkipReason(name, .identifier))
            }
            var smallest: [Double] = [], at: [Double] = []
            let positions = (1..<max(bins, 1)).map { $0 * o.filled / bins }
            if o.filled > 0 { (smallest, at) = try counter.numbers(name, smallest: bins + 1, positions: positions) }
            let (cuts, exact) = Attribute.cutPoints(smallest: smallest, count: o.filled, bins: bins) { position in
                positions.firstIndex(of: position).map { at[$0] } ?? smallest[0]
            }
            let attribute = Attribute.binnedAttribute(name, label, type: type, cuts: cuts, exact: exact, hasNull: hasNull)
            if automatic, attribute.valueCount < 2 { return .failure(SkipReason(name, o.filled == 0 ? .emptyColumn : .oneValue)) }
            return .success(attribute)
        }
    }
}
