/// A profile of a table: per column its type, nulls, distinct values, smallest and largest
/// value, and the most frequent values — what `describe` shows.
public enum Profile {
    /// One row per column. - Complexity: O(rows × columns) expected, plus a sort per column for
    /// the most frequent values.
    public static func summary(of table: Table, context: ExecutionContext = .standard) throws -> Table {
        var names: [String?] = [], types: [String?] = [], nulls: [Int64?] = [], distinct: [Int64?] = []
        var minima: [String?] = [], maxima: [String?] = [], top: [String?] = []
        for (name, column) in zip(table.names, table.columns) {
            try context.cancellation.check()
            let single = try Table([("v", column)])
            let stats = try single.groupBy([], [Aggregate(.countDistinct, .col("v")), Aggregate(.min, .col("v")), Aggregate(.max, .col("v"))], context: context)
            names.append(name)
            types.append(column.type.rawValue)
            nulls.append(Int64(column.nullCount))
            distinct.append(stats.columns[0][0].doubleValue.map { Int64($0) })
            minima.append(stats.columns[1][0].isNull ? nil : display(stats.columns[1][0]))
            maxima.append(stats.columns[2][0].isNull ? nil : display(stats.columns[2][0]))
            let counts = try single.filter(!.isNull(.col("v")), context: context)
                .groupBy([NamedExpr("v", .col("v"))], [Aggregate(.count)], context: context)
                .top(3, by: [.desc("count")], context: context)
            let valid = max(1, table.rowCount - column.nullCount)
            top.append(counts.rowCount == 0 ? nil : (0..<counts.rowCount).map { r -> String in
                let share = Double(counts.columns[1][r].doubleValue ?? 0) / Double(valid) * 100
                return "\(display(counts.columns[0][r])) (\(share >= 10 ? String(Int(share.rounded())) : String(Double(Int(share * 10)) / 10)) %)"
            }.joined(separator: ", "))
        }
        return try Table([
            ("column", .strings(names)), ("type", .strings(types)), ("nulls", .integers(nulls)), ("distinct", .integers(distinct)),
            ("min", .strings(minima)), ("max", .strings(maxima)), ("most frequent", .strings(top)),
        ])
    }

    private static func display(_ v: Value) -> String {
        let text = v.description
        return text.count > 24 ? String(text.prefix(23)) + "…" : text
    }
}
