import NKEngine

/// What running a plan gives: a table, or a verb's own result (a comparison, why-not's
/// findings, a lifecycle summary …) that also carries the table flowing on to the next stage.
/// The shell renders each kind by its type.
public protocol QueryResult: Sendable {
    /// The table a following stage reads, and that `let` and `save` keep.
    var table: Table { get }
}

/// A plain table.
public struct TableResult: QueryResult {
    public var table: Table
    public init(_ table: Table) { self.table = table }
}
