extension Table {
    /// The values of `expr` for every row, as a new column.
    /// - Complexity: O(rows), in chunks on all cores when large.
    public func evaluate(_ expr: Expr, context: ExecutionContext = .standard) throws -> Column {
        try evaluate(bind(expr, context: context), context: context)
    }

    /// The values of a bound expression for every row.
    public func evaluate(_ bound: BoundExpr, context: ExecutionContext = .standard) throws -> Column {
        let evaluator = Evaluator(table: self, notes: context.notes)
        let ranges = Parallel.ranges(rowCount)
        if ranges.isEmpty { return Column.nulls(bound.type, count: 0) }
        if case .column(let i) = bound.node { return columns[i] }
        context.cancellation.begin(total: rowCount)
        let parts = try Parallel.tryMap(ranges.count, minimumWork: rowCount) { k -> Column in
            try context.cancellation.check()
            defer { context.cancellation.advance(ranges[k].count) }
            return try evaluator.evaluate(bound, ranges[k]).materialize(type: bound.type)
        }
        return try Column.concatenate(parts, type: bound.type)
    }

    /// The indices of the rows where `predicate` is true (null counts as false), ascending.
    /// - Complexity: O(rows), in chunks on all cores when large.
    public func selection(where predicate: Expr, context: ExecutionContext = .standard) throws -> [Int32] {
        let bound = try bindPredicate(predicate, context: context)
        let evaluator = Evaluator(table: self, notes: context.notes)
        let ranges = Parallel.ranges(rowCount)
        let masks = PredicateMask(evaluator: evaluator)
        context.cancellation.begin(total: rowCount)
        let parts = try Parallel.tryMap(ranges.count, minimumWork: rowCount) { k -> [Int32] in
            try context.cancellation.check()
            let range = ranges[k]
            defer { context.cancellation.advance(range.count) }
            let words = try masks.mask(bound, range)
            var out = [Int32]()
            out.reserveCapacity(words.reduce(0) { $0 + $1.nonzeroBitCount })
            for (w, word) in words.enumerated() {
                var bits = word
                while bits != 0 {
                    out.append(Int32(range.lowerBound + w * 64 + bits.trailingZeroBitCount))
                    bits &= bits - 1
                }
            }
            return out
        }
        return Array(parts.joined())
    }

    /// The number of rows where `predicate` is true, without building the filtered table.
    public func count(where predicate: Expr, context: ExecutionContext = .standard) throws -> Int {
        let bound = try bindPredicate(predicate, context: context)
        let masks = PredicateMask(evaluator: Evaluator(table: self, notes: context.notes))
        let ranges = Parallel.split(rowCount, parts: max(1, min(Parallel.workers * 4, rowCount / Parallel.chunkRows)))
        let counts = try Parallel.tryMap(ranges.count, minimumWork: rowCount) { k -> Int in
            var total = 0
            for sub in Parallel.ranges(ranges[k].count) {
                try context.cancellation.check()
                let range = (ranges[k].lowerBound + sub.lowerBound)..<(ranges[k].lowerBound + sub.upperBound)
                total += try masks.mask(bound, range).reduce(0) { $0 + $1.nonzeroBitCount }
            }
            return total
        }
        return counts.reduce(0, +)
    }

    /// The rows where `predicate` is true.
    public func filter(_ predicate: Expr, context: ExecutionContext = .standard) throws -> Table {
        let rows = try selection(where: predicate, context: context)
        return rows.count == rowCount ? self : gather(rows)
    }

    private func bindPredicate(_ predicate: Expr, context: ExecutionContext) throws -> BoundExpr {
        try Schema.predicate(predicate, bound: try bind(predicate, context: context))
    }
}

extension Schema {
    /// Binds a condition of `filter`: true, false or null for every row.
    public func bindPredicate(_ predicate: Expr, context: ExecutionContext = .standard) throws -> BoundExpr {
        try Schema.predicate(predicate, bound: try bind(predicate, context: context))
    }

    static func predicate(_ predicate: Expr, bound: BoundExpr) throws -> BoundExpr {
        guard bound.type == .boolean || bound.isNullLiteral else {
            throw EngineError.typeMismatch("a filter needs a true/false condition, not \(bound.type.withArticle) value",
                                           hint: "compare it with something, e.g. \(predicate.displayName) > 0")
        }
        return bound
    }
}
