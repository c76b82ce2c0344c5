import NKAnalysis
import NKEngine

/// Runs a plan in memory: each node's inputs first, then the node, checking for Ctrl-C
/// between nodes. Engine errors become diagnostics at the node's span.
public struct PlanRunner {
    let session: Session
    let source: Source
    let lowering: Lowering

    var context: ExecutionContext { session.context }
    var language: LabelLanguage { session.language }

    /// The result of the plan's root, run as the optimizer rewrote it (``Optimizer``).
    public func run(_ node: any PlanNode) throws -> any QueryResult {
        try execute(Optimizer.optimize(node))
    }

    /// The result of a node, its inputs run first.
    func execute(_ node: any PlanNode) throws -> any QueryResult {
        var tables: [Table] = []
        for input in node.inputs { tables.append(try execute(input).table) }
        try engine(at: node.span) { try context.cancellation.check() }
        let result = try engine(at: node.span) { try node.run(tables, self) }
        // a statement cancelled while its last step ran defines nothing and shows nothing
        try engine(at: node.span) { try context.cancellation.check() }
        return result
    }

    /// Runs engine work, its errors located at the tagged expression or at `span`.
    func engine<T>(at span: SourceSpan, _ body: () throws -> T) throws -> T {
        try lowering.diagnosing(at: span, columnsOf: nil, body)
    }

    /// A diagnostic located in the source.
    func error(_ message: String, at span: SourceSpan, hint: String? = nil, kind: Diagnostic.Kind = .invalid) -> Diagnostic {
        Diagnostic(message, at: span, in: source, hint: hint, kind: kind)
    }
}

extension Lowering {
    /// Runs `body`, turning an engine error into a diagnostic at its tagged span or `fallback`.
    func diagnosing<T>(at fallback: SourceSpan, columnsOf described: String?, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as EngineError {
            var message = e.message
            if let described, e.category == .unknownColumn { message += " in \(described)" }
            if let location = e.location { message = "\(location): \(message)" }
            throw Diagnostic(message, at: span(of: e.sourceRef) ?? fallback, in: source, hint: e.hint, kind: Diagnostic.Kind(e.category))
        }
    }
}
