import NKEngine

/// A SELECT as it is built stage by stage: its body, and the order and limit that belong
/// outside it (a stage after a sort keeps the order; a stage after a limit works on the
/// limited rows).
public struct SQLQuery: Sendable {
    /// `SELECT … FROM …` without ORDER BY and LIMIT.
    var body: String
    /// ORDER BY keys: output column, descending, text.
    var order: [(column: String, descending: Bool, text: Bool)] = []
    var limit: Int?
    var schema: Schema
    /// Columns the body has beyond `schema`, kept only to order by (a group's size).
    var hidden: [String] = []

    /// The whole statement; hidden columns are dropped in an outer SELECT that still orders by them.
    public func text(_ dialect: SQLDialect) -> String {
        var sql = body
        if !hidden.isEmpty {
            sql = "SELECT \(schema.fields.map { dialect.name($0.name) }.joined(separator: ", "))\nFROM (\n"
                + SQLCompiler.indented(body) + "\n) AS q0"
        }
        if !order.isEmpty {
            sql += "\nORDER BY " + order.map { dialect.orderKey(dialect.name($0.column), descending: $0.descending, isText: $0.text) }
                .joined(separator: ", ")
        }
        if let limit { sql += "\nLIMIT \(limit)" }
        return sql
    }
}

/// A plan node that can be written as SQL.
protocol SQLCompilable {
    func sql(_ compiler: SQLCompiler) throws -> SQLQuery
}

/// Writes a plan as one SQL statement for a dialect. Each relational stage is a SELECT over
/// the one before it (engines flatten the nesting); a stage that cannot be written is an
/// error at the stage, naming it.
public final class SQLCompiler {
    public let dialect: SQLDialect
    /// Subqueries written so far, for their aliases.
    private var depth = 0

    /// The session's today (for `today()`).
    public var context = ExecutionContext()

    public init(dialect: SQLDialect, context: ExecutionContext = ExecutionContext()) {
        self.dialect = dialect
        self.context = context
    }

    /// The SQL of a whole plan.
    public func compile(_ plan: any PlanNode) throws -> SQLQuery {
        guard let node = plan as? SQLCompilable else {
            // an analysis verb is named with its kind: segment persona, group value
            let words = plan.label.split(separator: " ")
            let verb = words.prefix(["segment", "group"].contains(words.first?.lowercased() ?? "") ? 2 : 1).joined(separator: " ")
            if plan is SQLCounting || plan is WhyNotNode {
                throw CannotPushError(plan, "`\(verb)` runs inside the engine in the main pipeline only, not in a pipeline joined or appended to it")
            }
            throw CannotPushError(plan, "`\(verb)` cannot be written as SQL for \(dialect.engine.rawValue) yet")
        }
        return try node.sql(self)
    }

    /// The input as a FROM clause: its body in parentheses, with its order and limit applied
    /// inside when it has a limit (later stages work on the limited rows).
    func from(_ input: SQLQuery) -> String {
        depth += 1
        var limited = input
        limited.hidden = []   // inside, the hidden columns stay (later stages may order by them)
        let inner = input.limit == nil ? input.body : limited.text(dialect)
        return "FROM (\n" + SQLCompiler.indented(inner) + "\n) AS \(dialect.alias(depth))"
    }

    /// Writes an expression over `schema`, located at `node` when it cannot be pushed.
    func expression(_ e: Expr, over schema: Schema, at node: any PlanNode) throws -> String {
        do {
            return try SQLExpressionWriter(dialect: dialect, schema: schema, context: context).writeWhole(e)
        } catch let c as SQLExpressionWriter.CannotPush {
            throw CannotPushError(node, "\(c.what) cannot be written as SQL for \(dialect.engine.rawValue) yet", sourceRef: c.sourceRef)
        }
    }

    /// The order a stage passes on when `kept` says which input columns it keeps unchanged.
    func keptOrder(_ input: SQLQuery, keeps kept: (String) -> Bool, at node: any PlanNode) throws -> [(column: String, descending: Bool, text: Bool)] {
        for key in input.order where !kept(key.column) {
            throw CannotPushError(node, "`\(node.label)` changes \(key.column), which the rows are sorted by; sort after it")
        }
        return input.order
    }

    static func indented(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
    }
}

/// Why a plan did not become SQL: a message at the stage, with the way out.
public struct CannotPushError: Error, Sendable {
    public var message: String
    public var span: SourceSpan
    public var sourceRef: Int?

    init(_ node: any PlanNode, _ message: String, sourceRef: Int? = nil) {
        self.message = message
        span = node.span
        self.sourceRef = sourceRef
    }
}
