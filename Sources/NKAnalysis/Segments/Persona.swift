import NKEngine

/// Negative buyer personas: a score of the warning signs a customer shows, one point
/// each, from columns the user maps:
///
/// | signal | fires when |
/// | --- | --- |
/// | margin | the contribution margin (by default DB II, before acquisition) is below 0 |
/// | complaints | the customer complained at least `complaints-at` times (default 3) |
/// | one-time | the customer bought exactly once |
/// | acquisition | acquiring the customer cost more than the margin it earned before that cost |
/// | rating | the NPS is below 0 (a rating on a 1–5 scale: 2 or less) |
/// | effort | the outcome is lost after an effort in the top quarter of all rows |
///
/// A signal whose column is absent is not scored (and said so). A customer is `negative` at
/// `negative-at` points or more (default 2).
public enum Persona {
    public enum Signal: String, Sendable, CaseIterable {
        case margin, complaints, oneTime = "one-time", acquisition, rating, effort
    }

    public struct Options: Sendable {
        /// The column each signal reads (the effort signal reads `outcome` and `effort`).
        public var margin: String?
        public var complaints: String?
        public var purchases: String?
        public var acquisition: String?
        /// The margin before acquisition that the acquisition cost is weighed against.
        public var earned: String?
        public var rating: String?
        public var outcome: String?
        public var effort: String?
        public var complaintsAt = 3.0
        public var negativeAt = 2
        /// Values of the outcome column that mean lost.
        public var lostValues: Set<String> = ["lost", "verloren", "Lost", "Verloren"]
        public init() {}
    }

    public struct Result: Sendable {
        /// The input with persona_score, signals (the names that fired) and negative.
        public var rows: Table
        /// Per signal: its column(s), how many rows it fired for, and their share.
        public var signals: Table
        /// Signals not scored for want of a column.
        public var unscored: [Signal]
        /// The score from which a row is negative.
        public var negativeAt = 2
    }

    public static func run(_ table: Table, options o: Options) throws -> Result {
        _ = try schema(table.columnSchema, options: o)
        let n = table.rowCount
        func numbers(_ name: String?) throws -> [Double?]? {
            guard let name else { return nil }
            guard let c = table.column(name) else { throw EngineError.unknownColumn(name, available: table.names) }
            guard c.type.isNumeric else { throw EngineError.typeMismatch("\(name) holds \(c.type.withArticle) value, not a number") }
            return (0..<n).map { c[$0].doubleValue }
        }
        var fired = [[Bool]](repeating: [Bool](repeating: false, count: n), count: Signal.allCases.count)
        var sources = [String](repeating: "", count: Signal.allCases.count)
        var unscored: [Signal] = []
        func score(_ signal: Signal, _ columns: [String?], _ test: (Int) throws -> Bool) rethrows {
            guard columns.allSatisfy({ $0 != nil }) else { unscored.append(signal); return }
            sources[Signal.allCases.firstIndex(of: signal)!] = columns.compactMap { $0 }.joined(separator: ", ")
            let k = Signal.allCases.firstIndex(of: signal)!
            for i in 0..<n { fired[k][i] = try test(i) }
        }
        let margin = try numbers(o.margin), complaints = try numbers(o.complaints), purchases = try numbers(o.purchases)
        let acquisition = try numbers(o.acquisition), earned = try numbers(o.earned), rating = try numbers(o.rating)
        let effort = try numbers(o.effort)
        score(.margin, [o.margin]) { (margin![$0] ?? 0) < 0 }
        score(.complaints, [o.complaints]) { (complaints![$0] ?? 0) >= o.complaintsAt }
        score(.oneTime, [o.purchases]) { purchases![$0] == 1 }
        score(.acquisition, [o.acquisition, o.earned]) { i in
            guard let cost = acquisition![i], cost > 0 else { return false }
            return cost > (earned![i] ?? 0)
        }
        // NPS runs from −100 to 100; a 1–5 rating has no value above 5
        let isScale = (rating?.compactMap { $0 }.max() ?? 0) <= 5 && (rating?.compactMap { $0 }.min() ?? 0) >= 0
        score(.rating, [o.rating]) { i in
            guard let r = rating![i] else { return false }
            return isScale ? r <= 2 : r < 0
        }
        if let outcome = o.outcome, table.column(outcome) == nil { throw EngineError.unknownColumn(outcome, available: table.names) }
        let outcomes = o.outcome.map { name in (0..<n).map { table.column(name)![$0] } } ?? []
        let sortedEffort = effort?.compactMap { $0 }.sorted() ?? []
        let topQuarter = sortedEffort.isEmpty ? Double.infinity : sortedEffort[min(sortedEffort.count - 1, sortedEffort.count * 3 / 4)]
        score(.effort, [o.outcome, o.effort]) { i in
            guard let e = effort![i], e >= topQuarter, case .string(let s) = outcomes[i] else { return false }
            return o.lostValues.contains(s)
        }
        let scores = (0..<n).map { i in fired.reduce(0) { $0 + ($1[i] ? 1 : 0) } }
        let names = (0..<n).map { i in Signal.allCases.indices.filter { fired[$0][i] }.map { Signal.allCases[$0].rawValue }.joined(separator: ", ") }
        var rows = try table.setting("persona_score", .integers(scores.map { Int64($0) }))
        rows = try rows.setting("signals", .strings(names))
        rows = try rows.setting("negative", .booleans(scores.map { $0 >= o.negativeAt }))
        let scored = Signal.allCases.indices.filter { !unscored.contains(Signal.allCases[$0]) }
        let signals = try Table([
            ("signal", .strings(scored.map { Signal.allCases[$0].rawValue })),
            ("column", .strings(scored.map { sources[$0] })),
            ("rows", .integers(scored.map { k in Int64(fired[k].filter { $0 }.count) })),
            ("share", .floats(scored.map { k in n == 0 ? 0 : Double(fired[k].filter { $0 }.count) * 100 / Double(n) })),
        ])
        return Result(rows: rows, signals: signals, unscored: unscored, negativeAt: o.negativeAt)
    }
}

extension Persona {
    /// The columns of the scored rows `run` gives for a table with these columns, after the
    /// checks it makes of the signal columns.
    public static func schema(_ input: Schema, options o: Options) throws -> Schema {
        for name in [o.margin, o.complaints, o.purchases, o.acquisition, o.earned, o.rating, o.effort].compactMap({ $0 }) {
            guard let field = input.field(name) else { throw EngineError.unknownColumn(name, available: input.names) }
            guard field.type.isNumeric else { throw EngineError.typeMismatch("\(name) holds \(field.type.withArticle) value, not a number") }
        }
        if let outcome = o.outcome, input.field(outcome) == nil { throw EngineError.unknownColumn(outcome, available: input.names) }
        return input.setting(Field("persona_score", .integer)).setting(Field("signals", .string)).setting(Field("negative", .boolean))
    }
}
