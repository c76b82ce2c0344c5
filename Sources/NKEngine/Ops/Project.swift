/// A named expression: one output column of `select` or `derive`.
public struct NamedExpr: Sendable, Hashable {
    public var name: String
    public var expr: Expr
    public init(_ name: String, _ expr: Expr) { self.name = name; self.expr = expr }
}

extension Table {
    /// A table of exactly the given expressions (`select`). - Complexity: O(rows × expressions).
    public func project(_ outputs: [NamedExpr], context: ExecutionContext = .standard) throws -> Table {
        var pairs: [(String, Column)] = []
        for o in outputs { pairs.append((o.name, try evaluate(o.expr, context: context))) }
        return try Table(pairs)
    }

    /// This table with columns added, or replaced where the name exists (`derive`). Each
    /// expression sees the columns derived before it.
    public func deriving(_ outputs: [NamedExpr], context: ExecutionContext = .standard) throws -> Table {
        var t = self
        for o in outputs { t = try t.setting(o.name, try t.evaluate(o.expr, context: context)) }
        return t
    }
}
