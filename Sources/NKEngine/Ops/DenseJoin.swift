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
}

extension Table {
    /// The matching rows of a join on one key whose right values are distinct whole numbers
    /// in a range at most four times the right side's rows (customer numbers, dictionary
    /// codes): each right row is put at its key's place in an array, and each left row finds
    /// its match with one lookup instead of a walk through a hash bucket. The pairs are those
    /// the hash join gives (left rows in order; each has at most one match). Nil when the keys
    /// do not qualify (a repeated or far-spread right key, more left rows than the memory limit
    /// allows for without counting): then the hash join runs.
    func denseMatches(_ left: KeyWords, _ right: KeyWords, _ rightTable: Table, kind: JoinKind,
                      context: ExecutionContext) throws -> DenseMatches? {
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
        var place = [Int32](repeating: -1, count: Int(span) + 1)
        for r in right.words.indices where right.validity?.isValid(r) ?? true {
            let i = Int(Int64(bitPattern: right.words[r]) &- low)
            if place[i] >= 0 { return nil }
            place[i] = Int32(r)
        }
        // each left row's match, written in place by both cores; the unmatched counted per part
        let n = rowCount
        let ranges = Parallel.split(n, parts: max(1, Parallel.workers * 4))
        var unmatched: [Int] = []
        let rights = try [Int32](unsafeUninitializedCapacity: n) { out, initialized in
            let target = UncheckedBox(out)
            unmatched = try place.withUnsafeBufferPointer { place in
                try Parallel.tryMap(ranges.count, minimumWork: n) { k -> Int in
                    var missing = 0
                    for row in ranges[k] {
                        if row & 0xFFFF == 0 { try context.cancellation.check() }
                        var match: Int32 = -1
                        if left.validity?.isValid(row) ?? true {
                            // a key below the range wraps to a large offset and is out of it too
                            let offset = UInt64(bitPattern: Int64(bitPattern: left.words[row]) &- low)
                            if offset <= UInt64(span) { match = place[Int(offset)] }
                        }
                        target.value[row] = match
                        if match < 0 { missing += 1 }
                    }
                    return missing
                }
            }
            initialized = n
        }
        let missing = unmatched.reduce(0, +)
        if kind == .left || missing == 0 { return DenseMatches(lefts: nil, rights: rights) }
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

    /// A dense join straight on two whole-number key columns, without copying them into key
    /// words first; nil when they are not both whole numbers or do not qualify.
    func denseMatches(_ leftKey: Column, _ rightKey: Column, _ right: Table, kind: JoinKind,
                      context: ExecutionContext) throws -> DenseMatches? {
        guard case .integer(let l) = leftKey.storage, case .integer(let r) = rightKey.storage else { return nil }
        return try l.withUnsafeBufferPointer { lb in
            try lb.withMemoryRebound(to: UInt64.self) { lw in
                try r.withUnsafeBufferPointer { rb in
                    try rb.withMemoryRebound(to: UInt64.self) { rw in
                        try denseMatches(KeyWords(words: lw, validity: leftKey.validity), KeyWords(words: rw, validity: rightKey.validity),
                                         right, kind: kind, context: context)
                    }
                }
            }
        }
    }
}
