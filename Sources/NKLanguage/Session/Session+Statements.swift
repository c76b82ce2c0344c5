import Foundation
import NKEngine

/// Running statements: each pipeline is bound into a plan first (so name and type errors
/// appear before any data is touched), then run.
extension Session {
    /// Parses and runs a whole source, statement by statement, returning every diagnostic.
    ///
    /// A syntax error anywhere stops the script before anything runs (all syntax errors are
    /// reported). With `keepGoing`, the statements that parsed run anyway and every error is
    /// reported in source order; otherwise the first failing statement ends the run.
    /// `beforeStatement` sees each statement before it runs; returning false ends the run there
    /// (step mode's "stop"), with the failures so far.
    public func run(_ source: Source, keepGoing: Bool = false, emit: (StatementOutput) -> Void,
                    beforeStatement: (Statement) -> Bool = { _ in true },
                    statementFinished: (Statement) -> Void = { _ in }) -> [Diagnostic] {
        let items = Parser.items(source)
        let syntaxErrors = items.compactMap { item -> Diagnostic? in if case .error(let d) = item { return d } else { return nil } }
        if !syntaxErrors.isEmpty, !keepGoing { return syntaxErrors }
        var failures: [Diagnostic] = []
        for item in items {
            switch item {
            case .error(let d):
                failures.append(d)
            case .statement(let statement):
                guard beforeStatement(statement) else { return failures }
                do {
                    defer { statementFinished(statement) }
                    context.cancellation.reset()
                    context.notes.clear()
                    // the tables kept leave the rest of the limit to the statement
                    context.memoryLimit = max(0, memoryLimit - memoryHeld().total)
                    let outputs = try execute(statement, in: source)
                    // what evaluation noted (rows made null by overflow) comes before the result
                    for note in context.notes.sentences { emit(.message("note: \(note)")) }
                    for output in outputs { emit(output) }
                } catch {
                    failures.append(explainingHeldMemory(Session.diagnostic(error, at: statement.span, in: source)))
                    if !keepGoing { return failures }
                }
            }
        }
        return failures
    }

    /// Any error as a diagnostic: engine errors by their category, at `span`.
    static func diagnostic(_ error: Error, at span: SourceSpan, in source: Source) -> Diagnostic {
        switch error {
        case let d as Diagnostic: return d
        case let e as EngineError: return Diagnostic(e.message, at: span, in: source, hint: e.hint, kind: Diagnostic.Kind(e.category))
        default: return Diagnostic("\(error)", at: span, in: source, kind: .internalError)
        }
    }

    /// Runs one statement.
    public func execute(_ statement: Statement, in source: Source) throws -> [StatementOutput] {
        let lowering = Lowering(source: source)
        let binder = PlanBinder(session: self, source: source, lowering: lowering, statementSpan: statement.span)
        let runner = PlanRunner(session: self, source: source, lowering: lowering)
        func table(_ pipeline: Pipeline) throws -> Table { try runner.run(try binder.bind(pipeline)).table }
        switch statement.kind {
        case .load(let path, let pathSpan, let alias, let options):
            return try load(path, at: pathSpan, as: alias, options: options, source, lowering)
        case .loadSource(let pipeline, let alias):
            return try loadSource(pipeline, as: alias, binder, runner, source)
        case .attach(let target, let targetSpan, let name, let engine, let files):
            return try attach(target, at: targetSpan, as: name, engine: engine?.name, files: files, source, lowering)
        case .detach(let name):
            return try detach(name, source)
        case .assign(let name, let pipeline):
            let result = try table(pipeline)
            try checkRoom(for: [result], replacing: [name.name])
            set(name.name, result)
            return [.message("\(name.name): \(Value.grouped(result.rowCount)) rows, \(result.columnCount) columns")]
        case .query(let pipeline):
            let plan = try binder.bind(pipeline)
            return Session.warnings(of: plan) + [.result(try runner.run(plan))]
        case .groups(let verb):
            return [.result(try runner.run(try verb.bind(binder)))]
        case .explainSQL(let dialect, let pipeline):
            return try explainSQL(pipeline, dialect: dialect, binder, source)
        case .explain(let query):
            return [.result(ExplainResult(plan: Optimizer.optimize(try binder.bind(query)), statement: source.text(of: statement.span)))]
        case .save(let pipeline, let path, let pathSpan, let overwrite):
            if (path as NSString).pathExtension.lowercased() == "svg" {
                return try saveChart(try runner.run(try binder.bind(pipeline)), groupColumns: pipeline.groupingWidth, to: path,
                                     at: pathSpan, overwrite: overwrite, source, lowering)
            }
            return try save(try table(pipeline), to: path, at: pathSpan, overwrite: overwrite, source, lowering)
        case .show(let name, let rows):
            let shown = try lookup(name, source)
            return [.table(shown.head(rows ?? 10), totalRows: shown.rowCount)]
        case .describe(let pipeline):
            if case .attached(let db, let t) = pipeline.origin, pipeline.stages.isEmpty {
                return try describeAttached(db, t, source, lowering)
            }
            let described = try table(pipeline)
            let summary = try lowering.diagnosing(at: pipeline.span, columnsOf: nil) { try Profile.summary(of: described, context: context) }
            return [.table(summary, totalRows: summary.rowCount)]
        case .drop(let names):
            for n in names { _ = try lookup(n, source) }
            for n in names { remove(n.name) }
            FreedMemory.giveBack()
            return [.message("dropped " + names.map(\.name).joined(separator: ", "))]
        case .print(let text):
            return [.text(text)]
        case .set(let setting, let value):
            return try apply(setting, value, source, lowering)
        }
    }

    /// A table of the session, or an error naming the nearest one.
    func lookup(_ name: Identifier, _ source: Source) throws -> Table {
        if let t = table(name.name) { return t }
        let hint = Session.missingNameHint(name.name, among: order, quoted: true, listed: "tables",
                                           none: "no tables yet: load a CSV file first, e.g. load \"Datasets/demo/customers.csv\"")
        throw Diagnostic("no table `\(name.name)`", at: name.span, in: source, hint: hint, kind: .unknownTable)
    }

    /// The hint for a name that is not there: the nearest one, else what there is, else `none`.
    static func missingNameHint(_ name: String, among names: [String], quoted: Bool, listed: String, none: String) -> String {
        if let near = NameSuggestion.nearest(to: name, in: names) { return quoted ? "did you mean `\(near)`?" : "did you mean \(near)?" }
        return names.isEmpty ? none : "\(listed): " + names.joined(separator: ", ")
    }

    /// Runs a bound plan (from ``plan(ofPipeline:)`` or `explain`) in memory. Its errors carry
    /// the plan's spans but not its source text: for tools and tests, not for users' statements.
    public func run(_ plan: any PlanNode) throws -> any QueryResult {
        let source = Source(name: "<plan>", text: "")
        return try PlanRunner(session: self, source: source, lowering: Lowering(source: source)).run(plan)
    }

    /// The plan of a pipeline written so far, bound without touching data (for completion and
    /// `explain`); nil when the text is not a pipeline nk can bind.
    public func plan(ofPipeline text: String) -> (any PlanNode)? {
        let source = Source(name: "<completion>", text: text)
        let (statements, diagnostics) = Parser.parse(source)
        guard diagnostics.isEmpty, let statement = statements.last else { return nil }
        let pipeline: Pipeline
        switch statement.kind {
        case .query(let p), .assign(_, let p), .describe(let p), .save(let p, _, _, _): pipeline = p
        default: return nil
        }
        let binder = PlanBinder(session: self, source: source, lowering: Lowering(source: source), statementSpan: statement.span)
        // a database's table is bound by its columns alone: completion must not read it
        bindingWithoutData = true
        defer { bindingWithoutData = false }
        return try? binder.bind(pipeline)
    }
}
