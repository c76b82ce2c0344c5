import NKAnalysis
import NKEngine

/// Binds pipelines into plans: resolves table and column names and infers every node's
/// columns, touching no data. Name and type errors come out here, located in the source.
public final class PlanBinder {
    let session: Session
    let source: Source
    let lowering: Lowering
    /// The statement being bound: where a statement form's errors point.
    let statementSpan: SourceSpan

    init(session: Session, source: Source, lowering: Lowering, statementSpan: SourceSpan) {
        self.session = session
        self.source = source
        self.lowering = lowering
        self.statementSpan = statementSpan
    }

    /// The plan of a pipeline.
    public func bind(_ pipeline: Pipeline) throws -> any PlanNode {
        switch pipeline.origin {
        case .table(let name):
            return try bindStages(pipeline, ScanNode(name: name.name, table: try session.lookup(name, source), span: name.span), name.name)
        case .nested(let inner):
            return try bindStages(pipeline, try bind(inner), "the pipeline in parentheses")
        case .attached(let db, let table) where session.pushdown && !session.bindingWithoutData && session.databases[db.name]?.dialect != nil:
            return try session.pushed(pipeline, db, table, self)
        case .attached(let db, let table):
            // only the columns the stages name are read; should a name not bind, every column
            // is read and bound again, so that the error lists the table's real columns
            let needed = session.neededColumns(db, table, pipeline.stages, source)
            let described = "\(db.name).\(table.name)"
            do {
                return try bindStages(pipeline, try session.scan(db, table, columns: needed, source, lowering), described)
            } catch let d as Diagnostic where d.kind == .unknownColumn && needed != nil {
                return try bindStages(pipeline, try session.scan(db, table, columns: nil, source, lowering), described)
            }
        case .remote(let db, let sql, let span):
            return try bindStages(pipeline, try session.scan(db, query: sql, at: span, source, lowering), "the query")
        }
    }

    /// The pipeline's stages bound over `origin`.
    func bindStages(_ pipeline: Pipeline, _ origin: any PlanNode, _ described: String) throws -> any PlanNode {
        try bindStages(pipeline, origin, described) { _ in nil }
    }

    /// The stages bound one by one; after each, `replacing` may put another node in the bound
    /// one's place (the one that runs it inside an engine), and later stages bind over that.
    func bindStages(_ pipeline: Pipeline, _ origin: any PlanNode, _ described: String,
                    replacing: (any PlanNode) throws -> (any PlanNode)?) throws -> any PlanNode {
        var node = origin
        var described = described
        for stage in pipeline.stages {
            let binder = StageBinder(plan: self, stage: stage, described: described)
            let input = node
            node = try binder.engine { try stage.verb.bind(input, binder) }
            node = try replacing(node) ?? node
            described = stage.verb.describe(input: described, keyword: source.text(of: stage.keyword), source)
        }
        return node
    }

    /// The plan of a query: a pipeline, or a verb's statement form.
    public func bind(_ query: Query) throws -> any PlanNode {
        switch query {
        case .pipeline(let p): return try bind(p)
        case .groups(let verb, let span):
            return try verb.bind(PlanBinder(session: session, source: source, lowering: lowering, statementSpan: span))
        }
    }

    /// Runs engine work, turning its errors into diagnostics at the tagged span (or `fallback`);
    /// an unknown column's message names the table it was looked for in, when given.
    func engine<T>(at fallback: SourceSpan, columnsOf described: String? = nil, _ body: () throws -> T) throws -> T {
        try lowering.diagnosing(at: fallback, columnsOf: described, body)
    }
}

/// What a verb binds with: the stage as written, the plan binder, and the name of the table
/// flowing in (for messages).
public struct StageBinder {
    let plan: PlanBinder
    public let stage: Stage
    /// How messages name the input: `customers`, `the result of \`select\``.
    let described: String

    var source: Source { plan.source }
    var session: Session { plan.session }
    var context: ExecutionContext { session.context }
    var language: LabelLanguage { session.language }

    /// The engine expression of a written one, tagged with its spans.
    func lower(_ e: Expression) throws -> Expr { try plan.lowering.lower(e) }

    /// The written text of a span.
    func text(_ span: SourceSpan) -> String { source.text(of: span) }

    /// The plan of another pipeline inside the stage (a join's other table).
    func bind(_ pipeline: Pipeline) throws -> any PlanNode { try plan.bind(pipeline) }

    /// Runs engine work, its errors located at the stage (or the tagged expression).
    func engine<T>(at span: SourceSpan? = nil, _ body: () throws -> T) throws -> T {
        try plan.engine(at: span ?? stage.keyword, columnsOf: described, body)
    }

    /// A diagnostic located in the source.
    func error(_ message: String, at span: SourceSpan, hint: String? = nil, kind: Diagnostic.Kind = .invalid) -> Diagnostic {
        Diagnostic(message, at: span, in: source, hint: hint, kind: kind)
    }

    /// Checks that each column exists in `schema`; the error names `tableName` when given.
    func requireColumns(_ columns: [Identifier], in schema: Schema, named tableName: String? = nil) throws {
        for c in columns where schema.index(of: c.name) == nil && !schema.isOpen {
            throw Diagnostic.unknownColumn(c.name, in: tableName, at: c.span, source, available: schema.names)
        }
    }

    /// A condition's engine expression, checked to be true or false.
    func condition(_ e: Expression, over schema: Schema, verb: String, hint: String) throws -> Expr {
        let predicate = try lower(e)
        let type = try engine { try schema.bind(predicate, context: context).type }
        if type != .boolean {
            throw error("\(verb) needs a condition that is true or false, not \(type.withArticle) value", at: e.span, hint: hint, kind: .type)
        }
        return predicate
    }
}
