import NKEngine

/// A pipeline: a source table flowing through stages.
public struct Pipeline: Sendable {
    public indirect enum Origin: Sendable {
        case table(Identifier)
        case nested(Pipeline)
    }
    public var origin: Origin
    public var stages: [Stage]
    public var span: SourceSpan
}

/// One `| stage` of a pipeline.
public struct Stage: Sendable {
    public enum Kind: Sendable {
        case filter(Expression)
        case select([NamedExpression])
        case derive([(Identifier, Expression)])
        case sort([SortItem])
        case top(Int, [SortItem])
        case head(Int)
        /// `segment by keys [agg aggregates]`; no aggregates means count and share.
        case segmentBy([NamedExpression], aggregates: [NamedExpression])
        /// `segment agg aggregates`: the whole input as one group.
        case aggregate([NamedExpression])
        /// `count`: the number of rows.
        case count
        /// `join table on keys` or `join (pipeline) on keys`.
        case join(Pipeline, keys: [(Identifier, Identifier)], kind: JoinKind)
        case distinct([Identifier])
        /// `compare where condition` (matching rows against the rest) or `compare by x` (the
        /// two values of x), over the named columns or all; `all` keeps every value of a
        /// column (none folded into `(other)`).
        case compare(Comparison, on: [Identifier], allValues: Bool)
        /// `why-not condition [options]`: what the rows matching the condition have in common.
        case whyNot(Expression, WhyNotOptions)
        /// `lookalike customers [like condition] [on columns]`: the input's rows scored by their
        /// resemblance to the other table's (matching) rows.
        case lookalike(Pipeline, like: Expression?, on: [Identifier])
        /// `segment lifecycle [options]`: each customer's lifecycle class.
        case lifecycle(LifecycleOptions)
        /// `segment pareto|rfm|value [options]`: the other segmentations, their options by name.
        case segmentation(Segmentation, [SegmentOption])
    }

    public enum Comparison: Sendable {
        case condition(Expression)
        case groups(Expression)
    }
    public var kind: Kind
    /// The stage's keyword.
    public var keyword: SourceSpan
    public var span: SourceSpan
}

/// The options of `why-not`, each nil or empty when not written.
public struct WhyNotOptions: Sendable {
    public var columns: [Identifier] = []
    public var depth: Int?
    /// Percent of the target group.
    public var minSupportPercent: Double?
    public var minRatio: Double?
    public var maxQ: Double?
    public var reasons: [Identifier] = []
    public var all = false
    public init() {}
}

/// The segmentations whose options are plain words followed by a value.
public enum Segmentation: String, Sendable, CaseIterable {
    case pareto, rfm, value, persona, cohort, clv
}

/// One option of a segmentation: `on revenue`, `a 80%`, `as of 2025-06-30`.
public struct SegmentOption: Sendable {
    public enum Value: Sendable {
        case column(Identifier)
        case number(Double, percent: Bool)
        case expression(Expression)
    }
    public var name: Identifier
    public var value: Value
    public var span: SourceSpan
}

/// The options of `segment lifecycle`, each nil when not written.
public struct LifecycleOptions: Sendable {
    public var customer: Identifier?
    public var date: Identifier?
    public var asOf: Expression?
    public var lapsedAfter: (Interval, SourceSpan)?
    public var newWithin: (Interval, SourceSpan)?
    /// `using orders`: the input is a customer table, the orders come from here.
    public var using: Pipeline?
    /// `history by month`: the classes counted at every month end.
    public var history = false
    public init() {}
}

/// A `with` option of `load`.
public struct LoadOption: Sendable {
    public enum Value: Sendable {
        case text(String)
        case word(String)
        case boolean(Bool)
        case list([String])
        case types([(Identifier, Identifier)])
    }
    public var name: Identifier
    public var value: Value
    public var valueSpan: SourceSpan
}

/// A statement of a script or of the prompt.
public struct Statement: Sendable {
    public enum Kind: Sendable {
        case load(path: String, pathSpan: SourceSpan, name: Identifier?, options: [LoadOption])
        case assign(Identifier, Pipeline)
        case query(Pipeline)
        /// `save … to "file" [overwrite]`.
        case save(Pipeline, path: String, pathSpan: SourceSpan, overwrite: Bool)
        case show(Identifier, rows: Int?)
        case describe(Pipeline)
        case drop([Identifier])
        case print(String)
        case set(Identifier, Expression)
        /// `compare A vs B [on columns] [all]`.
        case compare(Pipeline, Pipeline, on: [Identifier], allValues: Bool)
        /// `why-not A vs B [options]`: what the rows of A have in common that B's have less often.
        case whyNot(Pipeline, Pipeline, WhyNotOptions)
    }
    public var kind: Kind
    public var span: SourceSpan
}
