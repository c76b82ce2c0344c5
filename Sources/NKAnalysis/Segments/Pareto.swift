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

    public static func run(_ table: Table, options: Options, cancellation: CancellationFlag = .shared) throws -> Result {
        _ = try schema(table.columnSchema, options: options)
        let column = table.column(options.measure)!
        let n = table.rowCount
        var values = [Double](repeating: 0, count: n)
        var present = [Bool](repeating: true, count: n)
        for i in 0..<n {
            switch column[i] {
            case .integer(let v): values[i] = Double(v)
            case .float(let v) where v.isFinite: values[i] = v
            default: present[i] = false
            }
        }
        try cancellation.check()
        // largest first; equal values keep their order; rows without a measure last
        let withValue = (0..<n).filter { present[$0] }
        let order = NumericSample.stableOrder(withValue.map { values[$0] }, descending: true).map { withValue[Int($0)] }
            + (0..<n).filter { !present[$0] }
        let total = values.enumerated().reduce(0.0) { $0 + (present[$1.offset] && $1.element > 0 ? $1.element : 0) }
        var classOf = [Int32?](repeating: nil, count: n), cumulative = [Double?](repeating: nil, count: n), rank = [Int64?](repeating: nil, count: n)
        var running = 0.0
        var k: Int64 = 0
        for i in order where present[i] {
            k += 1
            rank[i] = k
            let before = total > 0 ? running / total * 100 : 100
            let positive = values[i] > 0
            if positive { running += values[i] }
            cumulative[i] = total > 0 ? running / total * 100 : nil
            classOf[i] = !positive ? 2 : before < options.a ? 0 : before < options.b ? 1 : 2
        }
        let ranked = table.gather(order.map { Int32($0) })
        let labels = StringDictionary(["A", "B", "C"])
        var rows = try ranked.setting("rank", .integers(order.map { rank[$0] }))
        rows = try rows.setting("cumulative_share", .floats(order.map { cumulative[$0] }))
        let codes = order.map { classOf[$0] ?? 0 }
        let validity = Validity(order.map { classOf[$0] != nil })
        rows = try rows.setting("class", Column(.string(codes, labels), validity: validity.nullCount > 0 ? validity : nil))

        // per class
        var count = [0, 0, 0], sum = [0.0, 0.0, 0.0]
        for i in 0..<n { if let c = classOf[i] { count[Int(c)] += 1; sum[Int(c)] += max(0, values[i]) } }
        let ranked_ = max(1, count.reduce(0, +))
        let classes = try Table([
            ("class", .strings(["A", "B", "C"])),
            ("rows", .integers(count.map { Int64($0) })),
            ("share_rows", .floats(count.map { Double($0) * 100 / Double(ranked_) })),
            (options.measure, .floats(sum)),
            ("share_\(options.measure)", .floats(sum.map { total > 0 ? $0 * 100 / total : nil })),
        ])
        return Result(rows: rows, classes: classes, unranked: present.filter { !$0 }.count)
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
