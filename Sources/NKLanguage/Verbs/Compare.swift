import NKAnalysis
import NKEngine

/// `compare where condition` (matching rows against the rest) or `compare by x` (the two
/// values of x), over the named columns or all; `all` keeps every value of a column. The
/// statement form `compare A vs B` puts two tables side by side.
public struct CompareVerb: Verb, GroupsVerb {
    public enum Groups: Sendable {
        case condition(Expression)
        case values(Expression)
        /// The statement form: two pipelines.
        case tables(Pipeline, Pipeline)
    }
    public var groups: Groups
    public var columns: [Identifier]
    /// Keep every value of a column (none folded into `(other)`).
    public var allValues: Bool

    public static let words = VerbWords("compare")
    public static let statementWord = "compare"
    public static let help = VerbHelp("two groups side by side over every column: shares, means, tests, effect sizes (all: every value)",
                                      example: "customers | compare where status = \"customer\" on industry, employees")
    public static let completionWords = ["where", "by", "on", "all", "vs"]

    public static func parse(_ parser: inout Parser) throws -> CompareVerb {
        let groups: Groups
        if parser.accept("where") != nil {
            groups = .condition(try parser.expression())
        } else if parser.accept("by") != nil {
            groups = .values(try parser.expression())
        } else {
            throw Diagnostic("expected `where` or `by` after `compare`, found \(parser.current.description)", at: parser.current.span, in: parser.source,
                             hint: "customers | compare where status = \"customer\" — or compare by channel_kind")
        }
        let columns = try parser.comparedColumns()
        return CompareVerb(groups: groups, columns: columns, allValues: parser.accept("all") != nil)
    }

    public static func parseStatement(_ parser: inout Parser) throws -> CompareVerb {
        let first = try parser.pipeline()
        try parser.expectWord("vs", "between the two groups, as in compare lapsed vs active")
        let second = try parser.pipeline()
        let columns = try parser.comparedColumns()
        return CompareVerb(groups: .tables(first, second), columns: columns, allValues: parser.accept("all") != nil)
    }

    public func bind(_ input: any PlanNode, _ binder: StageBinder) throws -> any PlanNode {
        try binder.requireColumns(columns, in: input.schema)
        let split: CompareNode.Split
        switch groups {
        case .condition(let e):
            let predicate = try binder.lower(e)
            _ = try binder.engine { try input.schema.bindPredicate(predicate, context: binder.context) }
            split = .condition(predicate, used: Set(e.columnNames))
        case .values(let e):
            let key = try binder.lower(e)
            _ = try binder.engine { try input.schema.bind(key, context: binder.context) }
            split = .values(key, text: binder.text(e.span), span: e.span, used: Set(e.columnNames))
        case .tables:
            throw binder.error("compare A vs B is a statement of its own", at: binder.stage.keyword)
        }
        return CompareNode(inputs: [input], split: split, columns: columns.isEmpty ? nil : columns.map(\.name), allValues: allValues,
                           label: binder.text(binder.stage.span), span: binder.stage.keyword)
    }

    public func bind(_ binder: PlanBinder) throws -> any PlanNode {
        guard case .tables(let first, let second) = groups else { throw EngineError.internalError("compare: not the statement form") }
        let a = try binder.bind(first), b = try binder.bind(second)
        var labels = (first.bareName ?? "a", second.bareName ?? "b")
        if labels.0 == labels.1 { labels = ("a", "b") }
        for c in columns where a.schema.index(of: c.name) == nil || b.schema.index(of: c.name) == nil {
            let inFirst = a.schema.index(of: c.name) == nil
            throw Diagnostic.unknownColumn(c.name, in: inFirst ? labels.0 : labels.1, at: c.span, binder.source,
                                           available: (inFirst ? a : b).schema.names)
        }
        return CompareNode(inputs: [a, b], split: .tables(labels), columns: columns.isEmpty ? nil : columns.map(\.name), allValues: allValues,
                           label: binder.source.text(of: binder.statementSpan), span: binder.statementSpan)
    }

    public func describe(input: String, keyword: String, _ source: Source) -> String { input }
}
