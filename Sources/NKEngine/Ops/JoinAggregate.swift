/// A column of a join's result, named by the input it comes from and its name there.
public struct JoinedColumn: Sendable, Hashable {
    public enum Side: Sendable, Hashable { case left, right }
    public var side: Side
    public var name: String
    public init(_ side: Side, _ name: String) { self.side = side; self.name = name }
}

extension Table {
    /// The table `join(right, on: pairs, kind: kind)` followed by `groupBy` would give, computed
    /// without building the joined table.
    ///
    /// The join finds each result row's left and right row as it always does (one array lookup
    /// per left row where the right keys are dense, else the hash join, with its memory guard).
    /// From there only what the grouping reads is made: when every key is a column of the right
    /// table, the right rows are grouped once (a million customers, not ten million orders) and
    /// each result row takes its right row's group in one pass; the aggregates then read the
    /// left columns in place (every left row once, in order) or gathered, and a right column
    /// only when an aggregate asks for it. When every aggregate is `count()` or a count, sum,
    /// mean or share of a left float column and the probe is a lookup, not even each row's group
    /// is written down: the probe adds each left row to its group as it finds it
    /// (``totalsGroupBy``). Groups come in the order of their first row in the
    /// joined result, the values are those of the join followed by `groupBy`, float sums added
    /// in the same order.
    /// - Parameters:
    ///   - keys: the group keys: each output name and the joined column it is.
    ///   - aggregates: each aggregate with the joined column its argument is (nil: none).
    public func joinGroupBy(_ right: Table, on pairs: [(left: String, right: String)], kind: JoinKind,
                            keys: [(name: String, column: JoinedColumn)], aggregates: [(Aggregate, JoinedColumn?)],
                            context: ExecutionContext = .standard) throws -> Table {
        func column(_ c: JoinedColumn) throws -> Column {
            let table = c.side == .left ? self : right
            guard let found = table.column(c.name) else { throw EngineError.unknownColumn(c.name, available: table.names) }
            return found
        }
        let keyColumns = try keys.map { try column($0.column) }
        let arguments = try aggregates.map { try $0.1.map(column) }
        let (leftKeys, rightKeys) = try joinKeys(right, on: pairs)
        let rightKeyed = !keys.isEmpty && keys.allSatisfy { $0.column.side == .right }
        var lefts: [Int32]?, rights: [Int32] = []
        var slots: SlotAssignment?
        var keyOut: [Column] = []
        var rowCounts: [Int64]?   // each slot's rows, when already known
        // keys all of the right table: its rows grouped once, here, for either way below
        let rightGroups = rightKeyed ? try RightGroups(keyColumns, rightCount: right.rowCount, nullRow: kind == .left, context: context) : nil
        if let groups = rightGroups, leftKeys.count == 1,
           let table = try totalsGroupBy(right, leftKey: leftKeys[0], rightKey: rightKeys[0], kind: kind, groups: groups,
                                         keys: keys, aggregates: aggregates, arguments: arguments, context: context) {
            return table
        }
        if let groups = rightGroups, leftKeys.count == 1, !aggregates.contains(where: { $0.1?.side == .right }) {
            // the probe gives each left row its group directly
            if let dense = try denseMatches(leftKeys[0], rightKeys[0], right, kind: kind, context: context,
                                            through: (groups.slots.slotOfRow, groups.slots.slotCount), unmatched: groups.nullSlot) {
                lefts = dense.lefts
                try context.cancellation.check()
                let found: SlotAssignment
                if let tally = dense.groups {
                    // every left row kept, in order: the probe's tally is the joined rows' own
                    found = SlotAssignment.ordered(dense.rights, first: tally.firstRows)
                    rowCounts = tally.counts
                } else {
                    found = try SlotAssignment.firstAppearance(dense.rights, space: groups.slots.slotCount, dense.rights.count,
                                                               cancellation: context.cancellation)
                }
                keyOut = groups.keyValues(ofSlots: found.order)
                slots = found
            }
        }
        if slots == nil {
            (lefts, rights) = try matchedRows(leftKeys, rightKeys, right, kind: kind, rowLimit: Int(Int32.max), context: context)
        }
        try context.cancellation.check()
        // a joined column: a left one as it is (every left row once, in order) or gathered, a
        // right one gathered (null where a left join found no match)
        func aligned(_ c: Column, _ side: JoinedColumn.Side) throws -> Column {
            try context.cancellation.check()
            if side == .left { return lefts.map { l in l.withUnsafeBufferPointer { c.gather($0) } } ?? c }
            return rights.withUnsafeBufferPointer { c.gather($0) }
        }
        if slots == nil, let groups = rightGroups {
            let found = try groups.slotsOfJoinedRows(rights, context: context)
            keyOut = groups.keyValues(ofSlots: found.order)
            slots = found
        } else if slots == nil {
            let joinedKeys = try zip(keyColumns, keys).map { try aligned($0, $1.column.side) }
            let found = try SlotAssignment(joinedKeys, rowCount: rights.count, cancellation: context.cancellation)
            keyOut = joinedKeys.map { $0.gather(found.firstRows) }
            slots = found
        }
        guard let slots else { throw EngineError.internalError("join and group: no groups") }
        try context.cancellation.check()
        let kernels = AggregateKernels(slotOfRow: slots.slotOfRow, slotCount: slots.slotCount, order: slots.order,
                                       cancellation: context.cancellation)
        var out: [(String, Column)] = zip(keys, keyOut).map { ($0.name, $1) }
        var counts = rowCounts
        for ((aggregate, joined), argument) in zip(aggregates, arguments) {
            var values: Column?
            if let argument, let joined { values = try aligned(argument, joined.side) }
            out.append((aggregate.name, try Table.located(aggregate) { try Table.compute(aggregate, values, kernels, &counts, notes: context.notes) }))
            // (a kernel stopped by Ctrl-C leaves its sums short)
            try context.cancellation.check()
        }
        return try Table(out)
    }
}

extension Table {
    /// ``joinGroupBy(_:on:kind:keys:aggregates:context:)`` in one pass over the left rows, each
    /// added to its group's count and sums as the probe finds the group
    /// (``denseTotals(_:_:_:kind:through:unmatched:summing:context:)``), when the keys are all
    /// right columns, the join is on one whole-number key dense enough for a lookup table, and
    /// every aggregate is `count()` or a count, sum, mean or share of a left float column. Nil
    /// when that does not apply.
    fileprivate func totalsGroupBy(_ right: Table, leftKey: Column, rightKey: Column, kind: JoinKind, groups: RightGroups,
                                   keys: [(name: String, column: JoinedColumn)], aggregates: [(Aggregate, JoinedColumn?)],
                                   arguments: [Column?], context: ExecutionContext) throws -> Table? {
        var summed: [String] = [], summing: [Column] = []
        // each aggregate's summed column (nil: `count()`)
        var source: [Int?] = []
        for ((aggregate, joined), argument) in zip(aggregates, arguments) {
            guard let joined, let argument else {
                guard aggregate.function == .count, aggregate.argument == nil else { return nil }
                source.append(nil)
                continue
            }
            guard joined.side == .left, case .float = argument.storage,
                  [.count, .sum, .avg, .share].contains(aggregate.function) else { return nil }
            if let k = summed.firstIndex(of: joined.name) { source.append(k); continue }
            summed.append(joined.name)
            summing.append(argument)
            source.append(summing.count - 1)
        }
        guard let totals = try denseTotals(leftKey, rightKey, right, kind: kind, through: (groups.slots.slotOfRow, groups.slots.slotCount),
                                           unmatched: groups.nullSlot, summing: summing, context: context) else { return nil }
        try context.cancellation.check()
        let order = totals.tally.order
        func pick<T>(_ values: [T]) -> [T] { order.map { values[Int($0)] } }
        var out: [(String, Column)] = zip(keys, groups.keyValues(ofSlots: order)).map { ($0.name, $1) }
        for ((aggregate, _), k) in zip(aggregates, source) {
            guard let k else {
                out.append((aggregate.name, Column(.integer(pick(totals.tally.counts)))))
                continue
            }
            out.append((aggregate.name, aggregate.function == .count
                ? Column(.integer(pick(totals.valid[k])))
                : Table.floatTotals(aggregate.function, sums: totals.sums[k], valid: totals.valid[k], order: order)))
        }
        return try Table(out)
    }
}

/// The right rows of a join grouped by keys that are all right columns, with one row of nulls
/// added for a left join (row `rightCount`), so that the left rows without a match fall in the
/// group of null keys as they do in the joined table.
struct RightGroups {
    /// The keys, with the row of nulls when there is one.
    var keys: [Column]
    var slots: SlotAssignment
    /// The slot of the row of nulls (-1 without one).
    var nullSlot: Int32
    /// A right row of each slot (-1 for a slot no row has).
    var rowOfSlot: [Int32]

    init(_ keys: [Column], rightCount: Int, nullRow: Bool, context: ExecutionContext) throws {
        var all = (0..<Int32(rightCount)).map { $0 }
        if nullRow { all.append(-1) }
        self.keys = nullRow ? keys.map { $0.gather(all) } : keys
        try context.cancellation.check()
        slots = try SlotAssignment(self.keys, rowCount: all.count, cancellation: context.cancellation)
        nullSlot = nullRow ? slots.slotOfRow[rightCount] : -1
        var rowOfSlot = [Int32](repeating: -1, count: slots.slotCount)
        for (slot, row) in zip(slots.order, slots.firstRows) { rowOfSlot[Int(slot)] = row }
        self.rowOfSlot = rowOfSlot
    }

    /// Each joined row's slot from its right row (-1: none, the row of nulls), in the order of
    /// each group's first joined row.
    func slotsOfJoinedRows(_ rights: [Int32], context: ExecutionContext) throws -> SlotAssignment {
        let n = rights.count
        let ranges = Parallel.split(n, parts: max(1, Parallel.workers * 4))
        let slotOfRow = try [Int32](unsafeUninitializedCapacity: n) { out, initialized in
            let target = UncheckedBox(out)
            try rights.withUnsafeBufferPointer { r in
                try slots.slotOfRow.withUnsafeBufferPointer { slot in
                    _ = try Parallel.tryMap(ranges.count, minimumWork: n) { k -> Int in
                        for row in ranges[k] {
                            if row & 0xFFFF == 0 { try context.cancellation.check() }
                            let match = r[row]
                            target.value[row] = match < 0 ? nullSlot : slot[Int(match)]
                        }
                        return 0
                    }
                }
            }
            initialized = n
        }
        try context.cancellation.check()
        return try SlotAssignment.firstAppearance(slotOfRow, space: slots.slotCount, n, cancellation: context.cancellation)
    }

    /// The key values of the given slots, one row each.
    func keyValues(ofSlots order: [Int32]) -> [Column] {
        let rows = order.map { rowOfSlot[Int($0)] }
        return keys.map { $0.gather(rows) }
    }
}
