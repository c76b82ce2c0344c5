import NKAnalysis
import NKEngine

/// `why-not condition [by columns] [depth N] [min-support p] [min-ratio r] [max-q q] [reasons
/// columns] [summary N] [detail] [all]`: what the rows matching the condition have in common, against the rest.
/// The statement form `why-not A vs B [options]` asks it of two tables.
public struct WhyNotVerb: Verb, GroupsVerb {
    public enum Target: Sendable {
        case condition(Expression)
        /// The statement form: the target table and the reference table.
        case tables(Pipeline, Pipeline)
    }
    public var target: Target
    public var options: WhyNotOptions

    public static let words = VerbWords("why-not")
    public static let statementWord = "why-not"
    public static let help = VerbHelp(
        "what the target group shares: the few distinct findings first, which columns matter, then patterns with risk ratios, intervals, q-values, confounding check (by, depth, min-support, min-ratio, max-q, reasons, summary, detail, all)",
        example: "customers | why-not status != \"customer\" by channel, industry reasons lost_reason",
        options: "by column, …, depth 2, min-support 1%, min-ratio 1.5, max-q 0.05, reasons column, …, summary 7, detail, all")
    public static let completionWords = WhyNotOptions.words

    public static func parse(_ parser: inout Parser) throws -> WhyNotVerb {
        if parser.current.isWord("by") || parser.atStatementEnd || parser.current.isSymbol("|") {
            throw Diagnostic("expected a condition after `why-not`, found \(parser.current.description)", at: parser.current.span, in: parser.source,
                             hint: "the rows matching it are the target group: why-not status != \"customer\"")
        }
        let condition = try parser.expression()
        return WhyNotVerb(target: .condition(condition), options: try WhyNotOptions.parse(&parser))
    }

    public static func parseStatement(_ parser: inout Parser) throws -> WhyNotVerb {
        let first = try parser.pipeline()
        try parser.expectWord("vs", "between the two groups, as in why-not lost vs customers")
        let second = try parser.pipeline()
        return WhyNotVerb(target: .tables(first, second), options: try WhyNotOptions.parse(&parser))
    }

    public func bind(_ input: any PlanNode, _ binder: StageBinder) throws -> any PlanNode {
        guard case .condition(let condition) = target else { throw binder.error("why-not A vs B is a statement of its own", at: binder.stage.keyword) }
        try binder.requireColumns(options.columns + options.reasons, in: input.schema)
        let text = binder.text(condition.span)
        let predicate = try binder.condition(condition, over: input.schema, verb: "why-not",
                                             hint: "the rows where it is true are the target group, e.g. why-not \(text) > 0")
        let groups = WhyNot.Groups(target: text, verb: "match \(text)", mirror: "why-not not (\(text))")
        return WhyNotNode(inputs: [input], split: .condition(predicate, text: text, span: condition.span), groups: groups,
                          options: options.analysisOptions(excluded: Set(condition.columnNames)), label: binder.text(binder.stage.span), span: binder.stage.keyword)
    }

    public func bind(_ binder: PlanBinder) throws -> any PlanNode {
        guard case .tables(let first, let second) = target else { throw EngineError.internalError("why-not: not the statement form") }
        let a = try binder.bind(first), b = try binder.bind(second)
        let labels = (first.bareName ?? binder.source.text(of: first.span), second.bareName ?? binder.source.text(of: second.span))
        for c in options.columns + options.reasons where a.schema.index(of: c.name) == nil || b.schema.index(of: c.name) == nil {
            let inFirst = a.schema.index(of: c.name) == nil
            throw Diagnostic.unknownColumn(c.name, in: inFirst ? labels.0 : labels.1, at: c.span, binder.source,
                                           available: (inFirst ? a : b).schema.names)
        }
        let groups = WhyNot.Groups(target: labels.0, verb: "be in \(labels.0) rather than \(labels.1)",
                                   mirror: "why-not \(binder.source.text(of: second.span)) vs \(binder.source.text(of: first.span))")
        let common = a.schema.names.filter { b.schema.index(of: $0) != nil }
        let node = WhyNotNode(inputs: [a, b], split: .tables(common: common, labels: labels, spans: (first.span, second.span)), groups: groups,
                              options: options.analysisOptions(excluded: []), label: binder.source.text(of: binder.statementSpan), span: binder.statementSpan)
        // both groups inside one engine: it counts them there, as one input with a side flag
        if let (pa, pb, dialect) = binder.inOneEngine(a, b) { return node.pushed(a: pa, b: pb, common: common, dialect: dialect) }
        return node
    }

    public func describe(input: String, keyword: String, _ source: Source) -> String { input }
}

/// The patterns that set a target group apart: of one input's matching rows against the rest,
/// or of one input's rows against another's.
public struct WhyNotNode: PlanNode {
    public enum Split: Sendable {
        case condition(Expr, text: String, span: SourceSpan)
        case tables(common: [String], labels: (String, String), spans: (SourceSpan, SourceSpan))
    }
    public var inputs: [any PlanNode]
    public var split: Split
    public var groups: WhyNot.Groups
    public var options: WhyNot.Options
    public var label: String
    public var span: SourceSpan

    public var schema: Schema { Schema(WhyNot.schema) }

    public func run(_ inputs: [Table], _ runner: PlanRunner) throws -> any QueryResult {
        let (table, target) = try targetGroup(inputs, runner)
        return WhyNotResult(analysis: try WhyNot.run(table, target: target, groups: groups, options: options, cancellation: runner.context.cancellation))
    }

    /// The rows to look at, and which are the target group's.
    func targetGroup(_ inputs: [Table], _ runner: PlanRunner) throws -> (Table, [UInt8]) {
        switch split {
        case .condition(let predicate, let text, let span):
            let table = inputs[0]
            let rows = try runner.engine(at: self.span) { try table.selection(where: predicate, context: runner.context) }
            if rows.isEmpty || rows.count == table.rowCount {
                throw runner.error(rows.isEmpty ? "no row matches \(text): the target group is empty"
                                                : "every row matches \(text): there are no other rows to compare with",
                                   at: span, hint: table.rowCount == 0 ? "the table has no rows" : "check the condition: filter \(text) | count")
            }
            var target = [UInt8](repeating: 0, count: table.rowCount)
            for r in rows { target[Int(r)] = 1 }
            return (table, target)
        case .tables(let common, let labels, let spans):
            for (table, span, name) in [(inputs[0], spans.0, labels.0), (inputs[1], spans.1, labels.1)] where table.rowCount == 0 {
                throw runner.error("\(name) has no rows: there is no group to explain", at: span)
            }
            let both = try Table.append([try inputs[0].selecting(common), try inputs[1].selecting(common)])
            return (both, [UInt8](repeating: 1, count: inputs[0].rowCount) + [UInt8](repeating: 0, count: inputs[1].rowCount))
        }
    }
}

/// What why-not found: what was tested, the surviving patterns, the sentences that tell them,
/// and the stated reasons.
public struct WhyNotResult: QueryResult {
    public var analysis: WhyNot.Result
    public var table: Table { analysis.patterns }
}

/// why-not over an attached engine's table: the input pipeline and the target condition are
/// written as SQL, and the engine does every count (``SQLWhyNotCounter``); the rows stay there.
public struct PushedWhyNotNode: PlanNode {
    public var database: String
    var dialect: SQLDialect
    /// The input pipeline's SQL and the target condition's.
    var input: String
    var target: String
    public var schema: Schema { Schema(WhyNot.schema) }
    var inputSchema: Schema
    var groups: WhyNot.Groups
    var options: WhyNot.Options
    public var label: String
    public var span: SourceSpan
    public var inputs: [any PlanNode] { [] }

    public func run(_ inputs: [Table], _ runner: PlanRunner) throws -> any QueryResult {
        guard let database = runner.session.databases[database] else { throw EngineError(.io, "\(self.database) was detached", hint: "attach it again") }
        let counter = SQLWhyNotCounter(statements: SQLStatements(database: database, context: runner.context, runner: runner), dialect: dialect,
                                       input: input, target: target)
        let columns = inputSchema.fields.map { ($0.name, $0.type) }
        return WhyNotResult(analysis: try WhyNot.run(counter: counter, columns: columns, groups: groups, options: options,
                                                     cancellation: runner.context.cancellation))
    }

    /// The first statement sent (the overview of the columns), for `explain sql`; the later
    /// ones depend on what it counts.
    func firstStatement(_ context: ExecutionContext) -> String {
        let written = SQLStatements(database: nil, context: context)
        let counter = SQLWhyNotCounter(statements: written, dialect: dialect, input: input, target: target)
        let names = inputSchema.fields.map(\.name).filter { options.columns?.contains($0) ?? !options.excluded.contains($0) }
        _ = try? counter.overview(names)
        return written.sent.first ?? ""
    }
}

extension WhyNotNode {
    /// `why-not A vs B` with both groups run inside one engine: their common columns as one
    /// input, `nk_side` 1 for A's rows and 0 for B's, the target those with 1.
    func pushed(a: PushedNode, b: PushedNode, common: [String], dialect: SQLDialect) -> PushedWhyNotNode {
        let input = a.union(b, columns: common, flag: "nk_side", values: (1, 0), dialect)
        let fields = common.compactMap { a.schema.field($0) }
        return PushedWhyNotNode(database: a.database, dialect: dialect, input: input, target: "nk_side = 1", inputSchema: Schema(fields),
                                groups: groups, options: options, label: label, span: span)
    }

    /// The node that has the engine count, when the input is written as SQL.
    func pushed(_ compiler: SQLCompiler, database: String) throws -> PushedWhyNotNode {
        guard case .condition(let predicate, _, _) = split else {
            throw CannotPushError(self, "why-not A vs B cannot run inside the engine yet")
        }
        let input = try compiler.compile(inputs[0])
        let target = try compiler.expression(predicate, over: input.schema, at: self)
        return PushedWhyNotNode(database: database, dialect: compiler.dialect, input: input.text(compiler.dialect), target: target,
                                inputSchema: input.schema, groups: groups, options: options, label: label, span: span)
    }
}
