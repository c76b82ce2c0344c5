extension Table {
    /// The matching rows of a join on one key whose right values are distinct whole numbers
    /// in a range at most four times the right side's rows (customer numbers, dictionary
    /// codes): each right row is put at its key's place in an array, and each left row finds
    /// its match with one lookup instead of a walk through a hash bucket. The pairs come out
    /// as the hash join gives them (left rows in order; each has at most one match). Nil when
    /// the keys do not qualify (several key columns, a repeated or far-spread right key, more
    /// left rows than the memory limit allows for without counting): then the hash join runs.
    func denseMatches(_ left: EncodedKeys, _ right: EncodedKeys, _ rightTable: Table, kind: JoinKind,
                      context: ExecutionContext) throws -> ([Int32], [Int32])? {
        guard left.words.count == 1, right.count > 0 else { return nil }
        let bytesPerRow = 8 * (columnCount + rightTable.columnCount) + 8
        guard rowCount.multipliedReportingOverflow(by: bytesPerRow).partialValue <= context.memoryLimit,
              rowCount < Int(Int32.max) else { return nil }
        let rightWords = right.words[0], rightValid = right.validity[0]
        var low = Int64.max, high = Int64.min
        for r in 0..<right.count where rightValid?.isValid(r) ?? true {
            let v = Int64(bitPattern: rightWords[r])
            low = Swift.min(low, v)
            high = Swift.max(high, v)
        }
        guard low <= high else { return nil }
        let (span, overflow) = high.subtractingReportingOverflow(low)
        guard !overflow, span < 4 * Int64(right.count) + 1024 else { return nil }
        try context.cancellation.check()
        var place = [Int32](repeating: -1, count: Int(span) + 1)
        for r in 0..<right.count where rightValid?.isValid(r) ?? true {
            let i = Int(Int64(bitPattern: rightWords[r]) &- low)
            if place[i] >= 0 { return nil }
            place[i] = Int32(r)
        }
        let leftWords = left.words[0], leftValid = left.validity[0]
        let ranges = Parallel.split(rowCount, parts: max(1, Parallel.workers * 4))
        let parts = try place.withUnsafeBufferPointer { place in
            try Parallel.tryMap(ranges.count, minimumWork: rowCount) { k -> ([Int32], [Int32]) in
                var lrows: [Int32] = [], rrows: [Int32] = []
                lrows.reserveCapacity(ranges[k].count)
                rrows.reserveCapacity(ranges[k].count)
                for row in ranges[k] {
                    if row & 0xFFFF == 0 { try context.cancellation.check() }
                    var match: Int32 = -1
                    if leftValid?.isValid(row) ?? true {
                        // a key below the range wraps to a large offset and is out of it too
                        let offset = UInt64(bitPattern: Int64(bitPattern: leftWords[row]) &- low)
                        if offset <= UInt64(span) { match = place[Int(offset)] }
                    }
                    if match >= 0 || kind == .left {
                        lrows.append(Int32(row))
                        rrows.append(match)
                    }
                }
                return (lrows, rrows)
            }
        }
        let total = parts.reduce(0) { $0 + $1.0.count }
        var lefts: [Int32] = [], rights: [Int32] = []
        lefts.reserveCapacity(total)
        rights.reserveCapacity(total)
        for part in parts {
            try context.cancellation.check()
            lefts.append(contentsOf: part.0)
            rights.append(contentsOf: part.1)
        }
        return (lefts, rights)
    }
}
