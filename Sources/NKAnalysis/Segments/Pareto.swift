import NKEngine

/// ABC analysis, the 80/20 rule: rows ranked by a measure, largest first, and cut
/// where the running total reaches the `a` and `b` shares of the whole.
///
/// A row is in class A when the running share of the rows ranked above it is below `a` (so A is
/// the smallest top group that reaches `a`), in B when it is below `b`, else in C. Rows whose
/// measure is zero or negative are C; rows without a measure get no class. Equal measures keep
/// the input's order.
public enum Pareto {
    public struct Options: Sendable {
        public var measure: String
        /// Percent of the total that classes A and A+B reach.
        public var a = 80.0
        public var b = 95.0
        public init(measure: String) { self.measure = measure }
    }

    public struct Result: Sendable {
        /// The input in rank order with rank, cumulative_share (percent of the total) and class.
        public var rows: Table
        /// Per class: rows, share_rows, the measure's total and share_measure (percents).
        public var classes: Table
        /// Rows without a measure.
        public var unranked: Int
    }

    /// Ranks the rows. Every step is one pass over the rows (or a sort that asks between its
    /// passes), with Ctrl-C asked between them.
    public static func run(_ table: Table, options: Options, cancellation: CancellationFlag = .shared) throws -> Result {
        _ = try schema(table.columnSchema, options: options)
        let (values, present) = measures(table.column(options.measure)!)
        try cancellation.check()
        // largest first; equal values keep their order; rows without a measure last
        let withValue = (0..<Int32(values.count)).filter { present[Int($0)] }
        let ranks = NumericSample.stableOrder(withValue.map { values[Int($0)] }, descending: true, cancellation: cancellation)
        try cancellation.check()
        let order = ranks.map { withValue[Int($0)] } + (0..<Int32(values.count)).filter { !present[Int($0)] }
        let total = zip(values, present).reduce(0.0) { $0 + ($1.1 && $1.0 > 0 ? $1.0 : 0) }
        try cancellation.check()
        let ranked = try table.gather(order, cancellation: cancellation)
        let m = withValue.count, n = order.count
        // in rank order: the rank, the running share and the class, null for the rows without a measure
        var cumulative = [Double](repeating: 0, count: n), codes = [Int32](repeating: 0, count: n)
        var classOfRow = [Int8](repeating: -1, count: n)
        var running = 0.0
        for (k, row) in order.prefix(m).enumerated() {
            let value = values[Int(row)]
            let before = total > 0 ? running / total * 100 : 100
            let positive = value > 0
            if positive { running += value }
            cumulative[k] = total > 0 ? running / total * 100 : 0
            codes[k] = !positive ? 2 : before < options.a ? 0 : before < options.b ? 1 : 2
            classOfRow[Int(row)] = Int8(codes[k])
        }
        try cancellation.check()
        let ranking = Validity(words: validityWords(first: m, of: n), count: n)
        var rows = try ranked.setting("rank", Column(.integer((0..<Int64(n)).map { $0 < m ? $0 + 1 : 0 }), validity: ranking))
        rows = try rows.setting("cumulative_share", Column(.float(cumulative), validity: total > 0 ? ranking : Validity(count: n, allValid: false)))
        rows = try rows.setting("class", Column(.string(codes, StringDictionary(["A", "B", "C"])), validity: m < n ? ranking : nil))

        // per class, the measure summed in the rows' own order
        var count = [0, 0, 0], sum = [0.0, 0.0, 0.0]
        for i in 0..<n where classOfRow[i] >= 0 { count[Int(classOfRow[i])] += 1; sum[Int(classOfRow[i])] += max(0, values[i]) }
        let counted = max(1, count.reduce(0, +))
        let classes = try Table([
            ("class", .strings(["A", "B", "C"])),
            ("rows", .integers(count.map { Int64($0) })),
            ("share_rows", .floats(count.map { Double($0) * 100 / Double(counted) })),
            (options.measure, .floats(sum)),
            ("share_\(options.measure)", .floats(sum.map { total > 0 ? $0 * 100 / total : nil })),
        ])
        return Result(rows: rows, classes: classes, unranked: n - m)
    }

    /// Each row's measure as a number, and whether it has one (not null, not infinite or NaN).
    static func measures(_ column: Column) -> ([Double], [Bool]) {
        guard let values = column.doubles else { return ([Double](repeating: 0, count: column.count), [Bool](repeating: false, count: column.count)) }
        let validity = column.validity
        return (values, values.indices.map { values[$0].isFinite && validity?.isValid($0) ?? true })
    }

    /// Validity words with the first `valid` of `count` rows set.
    static func validityWords(first valid: Int, of count: Int) -> [UInt64] {
        (0..<(count + 63) / 64).map { w in
            let from = w * 64
            return valid >= from + 64 ? ~0 : valid <= from ? 0 : (UInt64(1) << UInt64(valid - from)) - 1
        }
    }
}

extension Pareto {
    /// The columns of the ranked rows `run` gives for a table with these columns, after the
    /// checks `run` makes of the measure and the class limits.
    public static func schema(_ input: Schema, options: Options) throws -> Schema {
        guard let measure = input.field(options.measure) else { throw EngineError.unknownColumn(options.measure, available: input.names) }
        guard measure.type.isNumeric else {
            throw EngineError.typeMismatch("\(options.measure) holds \(measure.type.withArticle) value, not a number",
                                           hint: "rank by an amount, e.g. on revenue")
        }
        guard options.a > 0, options.a < options.b, options.b <= 100 else {
            throw EngineError.invalidInput("the class limits must rise: 0 < a < b ≤ 100 %", hint: "e.g. a 80% b 95%")
        }
        return input.setting(Field("rank", .integer)).setting(Field("cumulative_share", .float)).setting(Field("class", .string))
    }
}
