import NKEngine
import NKSources

/// A node of a logical plan: an operation over the tables its inputs produce. Binding makes
/// the tree (``PlanBinder``) and knows every node's columns before any data is read; running
/// it (``PlanRunner``) gives a typed result. Each verb defines its node in its own file.
public protocol PlanNode: Sendable {
    /// The columns the node produces.
    var schema: Schema { get }
    /// The nodes whose tables it reads, in order (the main input first).
    var inputs: [any PlanNode] { get }
    /// How `explain` names it: the verb and its arguments as written.
    var label: String { get }
    /// Where it was written: engine errors without a place of their own point here.
    var span: SourceSpan { get }
    /// Does the work, given the tables of `inputs` in order.
    func run(_ inputs: [Table], _ runner: PlanRunner) throws -> any QueryResult
}

/// The start of every pipeline: a table of the session.
public struct ScanNode: PlanNode {
    public var name: String
    public var table: Table
    public var span: SourceSpan
    /// What reading it from a database noted (columns read as text, …).
    public var notes: [String] = []
    /// Values reading it could not keep: said whenever it is read.
    public var warnings: [String] = []
    /// The table's name inside its database, when it is an attached database's table.
    public var remote: String?

    public var schema: Schema { table.columnSchema }
    public var inputs: [any PlanNode] { [] }
    public var label: String { "scan \(name)" }
    public func run(_ inputs: [Table], _ runner: PlanRunner) throws -> any QueryResult { TableResult(table) }
}

/// A whole pipeline sent to a database as one SQL statement; what comes back is its result.
public struct PushedNode: PlanNode {
    /// The attached database's name.
    public var database: String
    public var sql: String
    public var schema: Schema
    public var label: String
    public var span: SourceSpan

    public var inputs: [any PlanNode] { [] }
    public func run(_ inputs: [Table], _ runner: PlanRunner) throws -> any QueryResult {
        guard let database = runner.session.databases[database] else {
            throw EngineError(.io, "\(database) was detached", hint: "attach it again")
        }
        let read = try database.read(query: sql, context: runner.context)
        guard read.table.columnSchema.fields == schema.fields else {
            throw EngineError.internalError("\(database.kind) returned \(read.table.columnSchema) for a plan of \(schema)")
        }
        return TableResult(read.table)
    }
}

extension ScanNode: SQLCompilable {
    /// `SELECT columns FROM table` (the database's table, or for `explain sql` the in-memory
    /// table's name).
    func sql(_ compiler: SQLCompiler) throws -> SQLQuery {
        let d = compiler.dialect
        let table = (remote ?? name).split(separator: ".").map { d.name(String($0)) }.joined(separator: ".")
        let columns = schema.fields.map { d.name($0.name) }.joined(separator: ", ")
        return SQLQuery(body: "SELECT \(columns.isEmpty ? "*" : columns)\nFROM \(table)", schema: schema)
    }
}

extension PlanNode {
    /// The node and every node below it, depth first, each with its depth.
    public func walk(_ depth: Int = 0) -> [(depth: Int, node: any PlanNode)] {
        [(depth, self)] + inputs.flatMap { $0.walk(depth + 1) }
    }
}
