/// Key words of one join key column: its 64-bit words and which rows are null.
struct KeyWords {
    var words: UnsafeBufferPointer<UInt64>
    var validity: Validity?
}

/// The pairs of a dense join: every left row's match (-1: none), and the left rows that are
/// kept — nil when that is every left row, in order.
struct DenseMatches {
    var lefts: [Int32]?
    var rights: [Int32]
    /// When matching through a grouping and every left row is kept (`lefts` nil): each group's
    /// rows and its first row (`Int32.max`: none), counted during the probe. Nil otherwise.
    var groups: GroupTally?
}

/// Rows per group and the first row of each, as a probe through a grouping finds them.
struct GroupTally {
    var counts: [Int64]
    var firstRows: [Int32]

    init(space: Int) {
        counts = [Int64](repeating: 0, count: space)
        firstRows = [Int32](repeating: .max, count: space)
    }

    /// Adds another part's tally (counts add up; the earlier first row wins).
    mutating func merge(_ other: GroupTally) {
        for s in counts.indices {
            counts[s] += other.counts[s]
            firstRows[s] = Swift.min(firstRows[s], other.firstRows[s])
        }
    }
    /// The groups that have a row, in the order of their first row.
    var order: [Int32] { GroupTally.order(first: firstRows) }

    /// The slots whose first row is known (`Int32.max`: none), in the order of that row.
    static func order(first: [Int32]) -> [Int32] {
        first.indices.filter { first[$0] != .max }.sorted { first[$0] < first[$1] }.map { Int32($0) }
    }
}

/// A grouping's numbers in place of the right rows of a dense join's lookup table, in the
/// narrowest integers that hold them: few groups fit a narrower table, which stays in cache
/// where four bytes a key would not (the lookups go to random places). All ones: no row.
enum GroupPlaces {
    case bytes([UInt8]), halves([UInt16]), words([UInt32])

    init(_ place: [UInt32], through: (slots: [Int32], count: Int)) {
        func narrowed<P: FixedWidthInteger>(_ type: P.Type) -> [P] {
            place.map { $0 == .max ? P.max : P(truncatingIfNeeded: through.slots[Int($0)]) }
        }
        let widest = through.slots.max() ?? 0
        if widest < Int32(UInt8.max) { self = .bytes(narrowed(UInt8.self)) }
        else if widest < Int32(UInt16.max) { self = .halves(narrowed(UInt16.self)) }
        else { self = .words(narrowed(UInt32.self)) }
    }
}

extension Table {
    /// The matching rows of a join on one key whose right values are distinct whole numbers
    /// in a range at most four times the right side's rows (customer numbers, dictionary
    /// codes): each right row is put at its key's place in an array, and each left row finds
    /// its match with one lookup instead of a walk through a hash bucket. The pairs are those
    /// the hash join gives (left rows in order; each has at most one match). Nil when the keys
    /// do not qualify (a repeated or far-spread right key, more left rows than the memory limit
    /// allows for without counting): then the hash join runs.
    ///
    /// With `through`, each match is written as `through.slots[right row]` instead of the right
    /// row (a grouping of the right rows into `through.count` groups: the probe then gives each
    /// left row its group, and counts the rows of each group and finds its first row as it
    /// goes), and a left row without a match in a left join as `unmatched`.
    func denseMatches(_ left: KeyWords, _ right: KeyWords, _ rightTable: Table, kind: JoinKind,
                      context: ExecutionContext, through: (slots: [Int32], count: Int)? = nil,
                      unmatched: Int32 = -1) throws -> DenseMatches? {
        guard let (place, low, span) = try densePlaces(right, rightTable, context: context) else { return nil }
        let absent = kind == .left ? unmatched : -1
        var found: Probed
        if let through {
            switch GroupPlaces(place, through: through) {
            case .bytes(let p): found = try probe(left, p, low: low, span: span, absent: absent, groups: through.count, context: context)
            case .halves(let p): found = try probe(left, p, low: low, span: span, absent: absent, groups: through.count, context: context)
            case .words(let p): found = try probe(left, p, low: low, span: span, absent: absent, groups: through.count, context: context)
            }
        } else {
            found = try probe(left, place, low: low, span: span, absent: absent, groups: 0, context: context)
        }
        let rights = found.rights, missing = found.unmatched, n = rowCount
        if kind == .left || missing == 0 { return DenseMatches(lefts: nil, rights: rights, groups: found.groups) }
        // an inner join leaves out the rows without a match
        try context.cancellation.check()
        var lefts: [Int32] = [], kept: [Int32] = []
        let total = n - missing
        lefts.reserveCapacity(total)
        kept.reserveCapacity(total)
        for row in 0..<n where rights[row] >= 0 {
            if row & 0xFFFF == 0 { try context.cancellation.check() }
            lefts.append(Int32(row))
            kept.append(rights[row])
        }
        return DenseMatches(lefts: lefts, rights: kept)
    }

    /// Each right key's row at the key's offset from the lowest key (all ones: no row), when the
    /// keys qualify for a dense join with this (left) table: distinct, spread over at most four
    /// times the right rows, and a left side within the memory limit. Nil otherwise.
    func densePlaces(_ right: KeyWords, _ rightTable: Table, context: ExecutionContext) throws -> (place: [UInt32], low: Int64, span: Int64)? {
        guard right.words.count > 0, rowCount < Int(Int32.max) else { return nil }
        let bytesPerRow = 8 * (columnCount + rightTable.columnCount) + 8
        guard rowCount.multipliedReportingOverflow(by: bytesPerRow).partialValue <= context.memoryLimit else { return nil }
        var low = Int64.max, high = Int64.min
        for r in right.words.indices where right.validity?.isValid(r) ?? true {
            let v = Int64(bitPattern: right.words[r])
            low = Swift.min(low, v)
            high = Swift.max(high, v)
        }
        guard low <= high else { return nil }
        let (span, overflow) = high.subtractingReportingOverflow(low)
        guard !overflow, span < 4 * Int64(right.words.count) + 1024 else { return nil }
        try context.cancellation.check()
        var place = [UInt32](repeating: .max, count: Int(span) + 1)
        for r in right.words.indices where right.validity?.isValid(r) ?? true {
            let i = Int(Int64(bitPattern: right.words[r]) &- low)
            if place[i] != .max { return nil }
            place[i] = UInt32(r)
        }
        return (place, low, span)
    }

    /// What a probe found: each left row's entry, how many rows found none, and with groups
    /// their tally.
    private struct Probed {
        var rights: [Int32]
        var unmatched: Int
        var groups: GroupTally?
    }

    /// Each left row's entry of `place` at its key's offset from `low` (`P.max`: no match, then
    /// `absent`), written in place by all cores; how many rows found none; and when the entries
    /// are the numbers of `groups` groups (above 0), each group's rows and first row, so that
    /// no later pass over the entries has to find them.
    private func probe<P: FixedWidthInteger>(_ left: KeyWords, _ place: [P], low: Int64, span: Int64, absent: Int32,
                                             groups: Int, context: ExecutionContext) throws -> Probed {
        let n = rowCount
        let ranges = Parallel.split(n, parts: max(1, Parallel.workers * 4))
        var parts: [(missing: Int, tally: GroupTally)] = []
        let rights = try [Int32](unsafeUninitializedCapacity: n) { out, initialized in
            let target = UncheckedBox(out)
            parts = try place.withUnsafeBufferPointer { place in
                try Parallel.tryMap(ranges.count, minimumWork: n) { k -> (missing: Int, tally: GroupTally) in
                    var missing = 0
                    var tally = GroupTally(space: groups)
                    try tally.counts.withUnsafeMutableBufferPointer { counts in
                        try tally.firstRows.withUnsafeMutableBufferPointer { firsts in
                            for row in ranges[k] {
                                if row & 0xFFFF == 0 { try context.cancellation.check() }
                                var entry = P.max
                                if left.validity?.isValid(row) ?? true {
                                    // a key below the range wraps to a large offset and is out of it too
                                    let offset = UInt64(bitPattern: Int64(bitPattern: left.words[row]) &- low)
                                    if offset <= UInt64(span) { entry = place[Int(offset)] }
                                }
                                var value = Int32(truncatingIfNeeded: entry)
                                if entry == P.max { missing += 1; value = absent }
                                target.value[row] = value
                                if groups > 0, value >= 0 {
                                    // (a row count stays far below 2^63)
                                    counts[Int(value)] &+= 1
                                    if firsts[Int(value)] == .max { firsts[Int(value)] = Int32(truncatingIfNeeded: row) }
                                }
                            }
                        }
                    }
                    return (missing, tally)
                }
            }
            initialized = n
        }
        var tally = GroupTally(space: groups)
        for part in parts { tally.merge(part.tally) }
        return Probed(rights: rights, unmatched: parts.reduce(0) { $0 + $1.missing }, groups: groups > 0 ? tally : nil)
    }

    /// A dense join straight on two whole-number key columns, without copying them into key
    /// words first; nil when they are not both whole numbers or do not qualify.
    func denseMatches(_ leftKey: Column, _ rightKey: Column, _ right: Table, kind: JoinKind,
                      context: ExecutionContext, through: (slots: [Int32], count: Int)? = nil,
                      unmatched: Int32 = -1) throws -> DenseMatches? {
        guard case .integer(let l) = leftKey.storage, case .integer(let r) = rightKey.storage else { return nil }
        return try l.withUnsafeBufferPointer { lb in
            try lb.withMemoryRebound(to: UInt64.self) { lw in
                try r.withUnsafeBufferPointer { rb in
                    try rb.withMemoryRebound(to: UInt64.self) { rw in
                        try denseMatches(KeyWords(words: lw, validity: leftKey.validity), KeyWords(words: rw, validity: rightKey.validity),
                                         right, kind: kind, context: context, through: through, unmatched: unmatched)
                    }
                }
            }
        }
    }
}
