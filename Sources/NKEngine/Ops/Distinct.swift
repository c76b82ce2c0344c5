extension Table {
    /// The distinct rows of the named columns (all columns when nil), in order of first
    /// appearance. Nulls compare equal to each other here, as in SQL's `distinct`.
    /// - Complexity: O(rows × columns) expected.
    public func distinct(_ columnNames: [String]? = nil, context: ExecutionContext = .standard) throws -> Table {
        let t = try columnNames.map { try selecting($0) } ?? self
        if t.rowCount == 0 || t.columnCount == 0 { return t.head(min(t.rowCount, 1)) }
        let groups = try GroupAssignment.assign(keys: EncodedKeys(t.columns, count: t.rowCount), cancellation: context.cancellation)
        return groups.groupCount == t.rowCount ? t : t.gather(groups.firstRow)
    }
}
