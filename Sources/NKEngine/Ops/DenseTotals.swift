/// What a dense probe that aggregates as it goes found: each group's rows and first row, and
/// for each summed column each group's sum of its values and how many there were.
struct GroupTotals {
    var tally: GroupTally
    /// Per summed column, per group.
    var sums: [[Double]]
    var valid: [[Int64]]

    /// Adds a later part's totals: counts and sums add up (this part's first), the earlier first
    /// row wins.
    mutating func merge(_ other: GroupTotals) {
        tally.merge(other.tally)
        for c in sums.indices {
            for s in sums[c].indices {
                sums[c][s] = sums[c][s] + other.sums[c][s]
                valid[c][s] += other.valid[c][s]
            }
        }
    }
}

extension Table {
    /// A join on one whole-number key grouped by a grouping of the right rows, with counts and
    /// sums of this (left) table's float columns, computed in one pass over the left rows
    /// without writing down any row's match or group: each left row looks up its group (as
    /// ``denseMatches(_:_:_:kind:context:through:unmatched:)`` does) and adds itself to that
    /// group's count and its values to the group's sums, on every core.
    ///
    /// The rows are split among the cores as ``AggregateKernels`` splits a table's rows, and
    /// each part adds its rows in order, so every sum is the one the join followed by the
    /// group-by gives, to the last bit. That holds only when the join keeps every left row in
    /// order: nil for an inner join where a left row has no match (then the caller takes the
    /// way that writes the matches down), as for keys that do not qualify for a dense join.
    /// - Parameters:
    ///   - through: each right row's group and the number of groups.
    ///   - unmatched: the group of a left row without a match in a left join.
    ///   - summing: the float columns of this table whose sums are wanted.
    func denseTotals(_ leftKey: Column, _ rightKey: Column, _ right: Table, kind: JoinKind,
                     through: (slots: [Int32], count: Int), unmatched: Int32, summing: [Column],
                     context: ExecutionContext) throws -> GroupTotals? {
        guard case .integer(let l) = leftKey.storage, case .integer(let r) = rightKey.storage else { return nil }
        var values: [[Double]] = []
        for column in summing {
            guard case .float(let v) = column.storage else { return nil }
            values.append(v)
        }
        let place = try r.withUnsafeBufferPointer { rb in
            try rb.withMemoryRebound(to: UInt64.self) { try densePlaces(KeyWords(words: $0, validity: rightKey.validity), right, context: context) }
        }
        guard let (place, low, span) = place else { return nil }
        let absent = kind == .left ? unmatched : -1
        let parts = DenseTotalsProbe(values: values, validities: summing.map(\.validity), groups: through.count, absent: absent)
        let groups = GroupPlaces(place, through: through)
        return try l.withUnsafeBufferPointer { lb in
            try lb.withMemoryRebound(to: UInt64.self) { lw in
                let left = KeyWords(words: lw, validity: leftKey.validity)
                switch groups {
                case .bytes(let p): return try parts.run(left, p, low: low, span: span, context: context)
                case .halves(let p): return try parts.run(left, p, low: low, span: span, context: context)
                case .words(let p): return try parts.run(left, p, low: low, span: span, context: context)
                }
            }
        }
    }
}

/// The probe of ``Table/denseTotals(_:_:_:kind:through:unmatched:summing:context:)``.
private struct DenseTotalsProbe {
    var values: [[Double]]
    var validities: [Validity?]
    var groups: Int
    var absent: Int32

    /// The totals, or nil when a row finds no group (`absent` below 0).
    func run<P: FixedWidthInteger>(_ left: KeyWords, _ place: [P], low: Int64, span: Int64,
                                   context: ExecutionContext) throws -> GroupTotals? {
        let n = left.words.count
        // the parts of AggregateKernels, so that each sum adds the same values in the same order
        let ranges = Parallel.split(n, parts: Parallel.workers)
        let columns = values.count
        let parts = try place.withUnsafeBufferPointer { place in
            try Parallel.tryMap(ranges.count, minimumWork: n) { k -> GroupTotals? in
                var counts = [Int64](repeating: 0, count: groups), firsts = [Int32](repeating: .max, count: groups)
                // each column's sums and numbers of values, one stretch of `groups` per column
                var sums = [Double](repeating: 0, count: columns * groups), valid = [Int64](repeating: 0, count: columns * groups)
                let complete = try counts.withUnsafeMutableBufferPointer { counts in
                    try firsts.withUnsafeMutableBufferPointer { firsts in
                        try sums.withUnsafeMutableBufferPointer { sums in
                            try valid.withUnsafeMutableBufferPointer { valid in
                                try add(ranges[k], left, place, low: low, span: span, counts, firsts, sums, valid, context: context)
                            }
                        }
                    }
                }
                guard complete else { return nil }
                var tally = GroupTally(space: 0)
                tally.counts = counts
                tally.firstRows = firsts
                return GroupTotals(tally: tally, sums: (0..<columns).map { Array(sums[$0 * groups..<($0 + 1) * groups]) },
                                   valid: (0..<columns).map { Array(valid[$0 * groups..<($0 + 1) * groups]) })
            }
        }
        let empty = GroupTotals(tally: GroupTally(space: groups), sums: Array(repeating: Array(repeating: 0, count: groups), count: columns),
                                valid: Array(repeating: Array(repeating: 0, count: groups), count: columns))
        guard var total = parts.first ?? empty else { return nil }
        for part in parts.dropFirst() {
            guard let part else { return nil }
            total.merge(part)
        }
        return total
    }

    /// Adds the rows of `range` to their groups; false when a row has none.
    ///
    /// A block of rows at a time: first each row's group (lookups at random places, which the
    /// processor overlaps as long as nothing waits for them), then the block's counts and sums
    /// from those groups. Adding to a group's sum straight after its lookup made each row wait
    /// for the one before it: twice the time.
    private func add<P: FixedWidthInteger>(_ range: Range<Int>, _ left: KeyWords, _ place: UnsafeBufferPointer<P>, low: Int64, span: Int64,
                                           _ counts: UnsafeMutableBufferPointer<Int64>, _ firsts: UnsafeMutableBufferPointer<Int32>,
                                           _ sums: UnsafeMutableBufferPointer<Double>, _ valid: UnsafeMutableBufferPointer<Int64>,
                                           context: ExecutionContext) throws -> Bool {
        let block = 4_096
        var found = [Int32](repeating: 0, count: block)
        return try found.withUnsafeMutableBufferPointer { found in
            for start in stride(from: range.lowerBound, to: range.upperBound, by: block) {
                try context.cancellation.check()
                let rows = start..<Swift.min(start + block, range.upperBound)
                for row in rows {
                    var entry = P.max
                    if left.validity?.isValid(row) ?? true {
                        // a key below the range wraps to a large offset and is out of it too
                        let offset = UInt64(bitPattern: Int64(bitPattern: left.words[row]) &- low)
                        if offset <= UInt64(span) { entry = place[Int(offset)] }
                    }
                    found[row &- start] = entry == P.max ? absent : Int32(truncatingIfNeeded: entry)
                }
                for row in rows {
                    let group = found[row &- start]
                    if group < 0 { return false }
                    let g = Int(group)
                    // (a row count stays far below 2^63)
                    counts[g] &+= 1
                    if firsts[g] == .max { firsts[g] = Int32(truncatingIfNeeded: row) }
                }
                for c in values.indices {
                    let v = values[c], validity = validities[c]
                    v.withUnsafeBufferPointer { v in
                        for row in rows where validity?.isValid(row) ?? true {
                            let at = c &* groups &+ Int(found[row &- start])
                            sums[at] += v[row]
                            valid[at] &+= 1
                        }
                    }
                }
            }
            return true
        }
    }
}
