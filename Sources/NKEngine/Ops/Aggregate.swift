/// The aggregate functions of `segment … agg …` and group-by.
///
/// Distributive (`count`, `sum`, `min`, `max`), algebraic (`avg`, `share`) and holistic
/// (`count distinct`, `median`, `quantile`) functions; nulls are skipped by all but `count()`.
public enum AggregateFunction: String, Sendable, CaseIterable {
    /// `count()`: rows in the group; `count(x)`: rows where x is not null.
    case count
    case countDistinct = "count_distinct"
    case sum, avg, min, max
    /// The middle value (mean of the two middle values for an even count).
    case median
    /// `quantile(x, q)` with linear interpolation between order statistics (numpy's default).
    case quantile
    /// `share()`: percent of all input rows in the group; `share(x)`: percent of the total of x.
    case share

    public init?(name: String) {
        let n = name.lowercased()
        if let f = AggregateFunction(rawValue: n) { self = f; return }
        switch n {
        case "mean", "average": self = .avg
        case "countdistinct", "distinct_count", "ndv": self = .countDistinct
        case "percentile": self = .quantile
        default: return nil
        }
    }
}

/// One aggregate output: a function, its argument (nil for `count()` and `share()`), the
/// quantile's fraction, and the output column's name.
public struct Aggregate: Sendable, Hashable {
    public var function: AggregateFunction
    public var argument: Expr?
    public var parameter: Double?
    public var name: String
    /// Where the aggregate was written; errors computing it carry this tag (see ``Expr/located(_:sourceRef:)``).
    public var sourceRef: Int?

    public init(_ function: AggregateFunction, _ argument: Expr? = nil, parameter: Double? = nil, as name: String? = nil) {
        self.function = function
        self.argument = argument
        self.parameter = parameter
        self.name = name ?? Aggregate.defaultName(function, argument, parameter)
    }

    public static func defaultName(_ f: AggregateFunction, _ argument: Expr?, _ parameter: Double?) -> String {
        guard let argument else { return f == .count ? "count" : f.rawValue }
        let arg = argument.displayName
        switch f {
        case .countDistinct: return "count_distinct_\(arg)"
        case .quantile: return "quantile(\(arg), \(parameter.map(Value.formatFloat) ?? "?"))"
        default: return "\(f.rawValue)(\(arg))"
        }
    }

    /// The result type for an argument of type `input`; throws when the function does not apply.
    func resultType(input: DataType?) throws -> DataType {
        switch function {
        case .count, .countDistinct: return .integer
        case .share: if let t = input, !t.isNumeric { throw notFor(t) }; return .float
        case .sum:
            guard let t = input, t.isNumeric else { throw notFor(input) }
            return t
        case .avg:
            guard let t = input, t.isNumeric else { throw notFor(input) }
            return .float
        case .median, .quantile:
            guard let t = input, t.isNumeric || t.isTemporal else { throw notFor(input) }
            return t.isNumeric ? .float : t
        case .min, .max:
            guard let t = input else { throw notFor(input) }
            return t
        }
    }

    private func notFor(_ t: DataType?) -> EngineError {
        guard let t else { return EngineError.typeMismatch("\(function.rawValue) needs an argument", hint: "e.g. \(function.rawValue)(revenue)") }
        return EngineError.typeMismatch("\(function.rawValue) does not apply to \(t) values",
                                        hint: t == .string ? "count(distinct …) or min/max work on text" : "use a numeric column")
    }
}
