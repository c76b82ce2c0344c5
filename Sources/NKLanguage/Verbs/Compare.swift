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
            split = .condition(predicate, used: Set(e.columnNames), labels: CompareVerb.labels(of: e, binder.source))
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
        let node = CompareNode(inputs: [a, b], split: .tables(labels), columns: columns.isEmpty ? nil : columns.map(\.name), allValues: allValues,
                               label: binder.source.text(of: binder.statementSpan), span: binder.statementSpan)
        // both tables inside one engine: it counts them there, as one input with a side flag
        if let (pa, pb, dialect) = binder.inOneEngine(a, b) {
            do {
                return try node.pushed(a: pa, b: pb, labels: labels, dialect: dialect)
            } catch let e as CannotPushError {
                throw Diagnostic(e.message, at: e.span, in: binder.source, hint: "set pushdown = off runs it in memory (reading the table's columns)")
            }
        }
        return node
    }

    public func describe(input: String, keyword: String, _ source: Source) -> String { input }

    /// The two groups' names from a condition: `status = "lost"` gives lost and other, a
    /// true/false column `vip` gives vip and not_vip; any other condition match and rest.
    static func labels(of condition: Expression, _ source: Source) -> (String, String) {
        func name(_ text: String) -> String? {
            let cleaned = String(text.map { $0.isLetter || $0.isNumber ? $0 : "_" })
            return cleaned.isEmpty || cleaned == "other" ? nil : cleaned
        }
        switch condition.kind {
        case .binary(.equal, let a, let b, _):
            for (column, value) in [(a, b), (b, a)] {
                if case .column = column.kind, case .literal(let v) = value.kind, !v.isNull, let label = name(v.description) { return (label, "other") }
            }
        case .column(let column):
            if let label = name(column) { return (label, "not_" + label) }
        default: break
        }
        return ("match", "rest")
    }
}

/// Two groups side by side: of one input split by a condition or a two-valued expression,
/// or two inputs.
public struct CompareNode: PlanNode {
    public enum Split: Sendable {
        /// Matching rows against the rest; `used` columns define the groups and are left out.
        case condition(Expr, used: Set<String>, labels: (String, String))
        /// The rows of each of the expression's two values.
        case values(Expr, text: String, span: SourceSpan, used: Set<String>)
        /// Two inputs, with their labels.
        case tables((String, String))
    }
    public var inputs: [any PlanNode]
    public var split: Split
    public var columns: [String]?
    public var allValues: Bool
    public var label: String
    public var span: SourceSpan

    public var schema: Schema { Compare.schema }

    public func run(_ inputs: [Table], _ runner: PlanRunner) throws -> any QueryResult {
        let maximum = allValues ? nil : Compare.maximumValues
        if case .tables(let labels) = split {
            return CompareResult(analysis: try Compare.run(inputs[0], inputs[1], labels: labels, columns: columns, maximumValues: maximum))
        }
        let (groups, labels, used) = try self.groups(inputs[0], runner)
        return CompareResult(analysis: try Compare.run(inputs[0], groups: groups, labels: labels, columns: columns, excluding: used,
                                                       maximumValues: maximum))
    }

    /// The group of each row (0, 1, or 2 for neither), the groups' labels, and the columns
    /// that define them.
    func groups(_ table: Table, _ runner: PlanRunner) throws -> ([UInt8], (String, String), Set<String>) {
        let context = runner.context
        switch split {
        case .condition(let predicate, let used, let labels):
            var groups = [UInt8](repeating: 1, count: table.rowCount)
            for r in try table.selection(where: predicate, context: context) { groups[Int(r)] = 0 }
            return (groups, labels, used)
        case .values(let expression, let text, let span, let used):
            let keys = try Table([("k", try table.evaluate(expression, context: context))])
            // the two values in order (true before false, numbers ascending, text by its bytes): the first is the first group
            let trueFirst = keys.columns[0].type == .boolean
            let values = try keys.filter(!.isNull(.col("k")), context: context).distinct(context: context)
                .sorted(by: [SortKey(.col("k"), descending: trueFirst)], context: context)
            if table.rowCount > 0, values.rowCount != 2 {
                throw runner.error("`compare by` needs exactly two values, \(text) has \(values.rowCount)", at: span,
                                   hint: "compare where \(text) = … compares one value with the rest")
            }
            guard values.rowCount == 2 else { return ([UInt8](repeating: 2, count: table.rowCount), ("a", "b"), used) }
            let first = values.columns[0][0], second = values.columns[0][1]
            var groups = [UInt8](repeating: 2, count: table.rowCount)
            for r in try keys.selection(where: .column("k") == .literal(first), context: context) { groups[Int(r)] = 0 }
            for r in try keys.selection(where: .column("k") == .literal(second), context: context) { groups[Int(r)] = 1 }
            return (groups, (first.description, second.description), used)
        case .tables:
            throw EngineError.internalError("compare: two tables have no split")
        }
    }
}

/// What `compare` found: a summary row per column, and per column its detail tables.
public struct CompareResult: QueryResult {
    public var analysis: Compare.Result
    public var table: Table { analysis.summary }
}
