/// Inner keeps matching rows only; left keeps every left row (nulls where nothing matched).
public enum JoinKind: String, Sendable { case inner, left }

extension Table {
    /// Hash join on one or more key pairs (`left = right`). The right table is hashed, the left
    /// probed on all cores. Null keys never match. Right key columns named like their left
    /// partner are dropped; other name clashes get the suffix `_right`. Output rows keep the
    /// left table's order, matches of one left row in right-table order.
    /// - Complexity: O(left + right + output) expected.
    public func join(_ right: Table, on pairs: [(left: String, right: String)], kind: JoinKind = .inner,
                     rowLimit: Int = Int(Int32.max), context: ExecutionContext = .standard) throws -> Table {
        let (leftKeys, rightKeys) = try joinKeys(right, on: pairs)
        let (leftRows, rightRows) = try matchedRows(leftKeys, rightKeys, right, kind: kind, rowLimit: rowLimit, context: context)
        // gathering tens of millions of rows takes seconds: Ctrl-C is heard between columns, and
        // what was built is freed in the background (a gigabyte takes ~60 ms to give back)
        var out: [(String, Column)] = []
        do {
            // nil: every left row once, in order (each order has its customer): the left columns as they are
            let identity = leftRows == nil
            out = Array(zip(names, identity ? columns : try gather(leftRows!, cancellation: context.cancellation).columns))
            let kept = Table.joinedRightNames(left: names, right: right.names, pairs: pairs, leftIndex: index(of:), rightIndex: right.index(of:))
            for k in kept {
                try context.cancellation.check()
                out.append((k.name, rightRows.withUnsafeBufferPointer { right.columns[k.index].gather($0, stop: { context.cancellation.isCancelled }) }))
            }
            try context.cancellation.check()
        } catch {
            Discard.inBackground((consume leftRows, consume rightRows, consume out))
            throw error
        }
        return try Table(out)
    }

    /// The key columns of both sides of a join, each pair converted to a common type.
    func joinKeys(_ right: Table, on pairs: [(left: String, right: String)]) throws -> ([Column], [Column]) {
        guard !pairs.isEmpty else { throw EngineError.invalidInput("a join needs at least one key", hint: "join t on customer_id") }
        var leftKeys: [Column] = [], rightKeys: [Column] = []
        for (l, r) in pairs {
            guard let li = index(of: l) else { throw EngineError.unknownColumn(l, available: names) }
            guard let ri = right.index(of: r) else { throw EngineError.unknownColumn(r, available: right.names) }
            var lc = columns[li], rc = right.columns[ri]
            if lc.type != rc.type {
                guard let common = DataType.common(lc.type, rc.type) else {
                    throw EngineError.typeMismatch("cannot join \(l) (\(lc.type)) with \(r) (\(rc.type))",
                                                   hint: "both keys must have the same type; convert one with integer(…) or string(…)")
                }
                lc = try Table.converted(lc, to: common)
                rc = try Table.converted(rc, to: common)
            }
            leftKeys.append(lc)
            rightKeys.append(rc)
        }
        return (leftKeys, rightKeys)
    }

    /// The matching (left row, right row) pairs: by direct lookup where the keys are dense
    /// (``denseMatches(_:_:_:kind:context:)``; the left rows nil when they are every row, in
    /// order), else by the hash join.
    func matchedRows(_ leftKeys: [Column], _ rightKeys: [Column], _ right: Table, kind: JoinKind, rowLimit: Int,
                     context: ExecutionContext) throws -> (lefts: [Int32]?, rights: [Int32]) {
        if leftKeys.count == 1, let dense = try denseMatches(leftKeys[0], rightKeys[0], right, kind: kind, context: context) {
            return (dense.lefts, dense.rights)
        }
        let (leftEncoded, rightEncoded) = try encodedKeys(leftKeys, rightKeys, rightCount: right.rowCount, cancellation: context.cancellation)
        if leftKeys.count == 1, leftKeys[0].type != .integer {
            let dense = try leftEncoded.words[0].withUnsafeBufferPointer { lw in
                try rightEncoded.words[0].withUnsafeBufferPointer { rw in
                    try denseMatches(KeyWords(words: lw, validity: leftEncoded.validity[0]), KeyWords(words: rw, validity: rightEncoded.validity[0]),
                                     right, kind: kind, context: context)
                }
            }
            if let dense { return (dense.lefts, dense.rights) }
        }
        let (lefts, rights) = try matches(leftEncoded, rightEncoded, right, kind: kind, rowLimit: rowLimit, context: context)
        let identity = lefts.count == rowCount && lefts.withUnsafeBufferPointer { rows in
            for i in 0..<rows.count where rows[i] != Int32(truncatingIfNeeded: i) { return false }
            return true
        }
        return (identity ? nil : lefts, rights)
    }

    /// The key words of both sides; right text keys are translated into the left side's
    /// dictionary codes, so equal strings give equal words. Ctrl-C is heard between the steps
    /// and every 64 K dictionary entries (translating a million distinct keys takes ~50 ms).
    func encodedKeys(_ leftKeys: [Column], _ rightKeys: [Column], rightCount: Int,
                     cancellation: CancellationFlag) throws -> (EncodedKeys, EncodedKeys) {
        let leftEncoded = EncodedKeys(leftKeys, count: rowCount)
        var rightWords: [[UInt64]] = []
        for (lc, rc) in zip(leftKeys, rightKeys) {
            try cancellation.check()
            if case .string(_, let ld) = lc.storage, case .string(let rcodes, let rd) = rc.storage, ld !== rd {
                // translate the right side's codes into the left dictionary; absent strings get a
                // word that no left code can equal
                var map: [UInt64] = []
                map.reserveCapacity(rd.count)
                for c in 0..<rd.count {
                    if c & 0xFFFF == 0 { try cancellation.check() }
                    map.append(rd.withBytes(Int32(c)) { b in
                        ld.code(of: UnsafeRawPointer(b.baseAddress ?? UnsafePointer(bitPattern: 1)!), b.count)
                    }.map { UInt64(UInt32(bitPattern: $0)) } ?? (1 << 40) | UInt64(c))
                }
                try cancellation.check()
                rightWords.append(rcodes.map { map[Int($0)] })
            } else {
                rightWords.append(EncodedKeys.encode(rc))
            }
        }
        try cancellation.check()
        return (leftEncoded, EncodedKeys(words: rightWords, validity: rightKeys.map(\.validity), count: rightCount))
    }

    /// The matching (left row, right row) pairs, left rows in order (-1 for a left row without
    /// a match in a left join): the right side hashed, the left probed on all cores.
    func matches(_ leftEncoded: EncodedKeys, _ rightEncoded: EncodedKeys, _ right: Table, kind: JoinKind, rowLimit: Int,
                 context: ExecutionContext) throws -> ([Int32], [Int32]) {
        // build: chain right rows by hash bucket, keeping right-table order within a bucket
        let capacity = max(16, (right.rowCount * 2).nextPowerOfTwo)
        let mask = capacity - 1
        try context.cancellation.check()
        var heads = [Int32](repeating: -1, count: capacity)
        var next = [Int32](repeating: -1, count: right.rowCount)
        try context.cancellation.check()
        for row in stride(from: right.rowCount - 1, through: 0, by: -1) where !rightEncoded.hasNull(row) {
            if row & 0xFFFF == 0 { try context.cancellation.check() }
            let b = Int(truncatingIfNeeded: rightEncoded.hash(row)) & mask
            next[row] = heads[b]
            heads[b] = Int32(row)
        }
        try checkJoinSize(right, leftEncoded, rightEncoded, kind: kind, context: context)
        // probe
        let ranges = Parallel.split(rowCount, parts: max(1, Parallel.workers * 4))
        let parts = try Parallel.tryMap(ranges.count, minimumWork: rowCount) { k -> ([Int32], [Int32]) in
            var lrows: [Int32] = [], rrows: [Int32] = []
            for row in ranges[k] {
                if row & 0xFFFF == 0 { try context.cancellation.check() }
                var matched = false
                if !leftEncoded.hasNull(row) {
                    var r = heads[Int(truncatingIfNeeded: leftEncoded.hash(row)) & mask]
                    while r >= 0 {
                        if leftEncoded.equal(row, rightEncoded, Int(r)) {
                            lrows.append(Int32(row)); rrows.append(r); matched = true
                            if lrows.count > rowLimit { break }
                        }
                        r = next[Int(r)]
                    }
                }
                if !matched, kind == .left { lrows.append(Int32(row)); rrows.append(-1) }
                if lrows.count > rowLimit {
                    throw EngineError(.resourceLimit, "the join would produce more than \(rowLimit) rows",
                                      hint: "the keys repeat on both sides; join on a key that is unique in one table")
                }
            }
            return (lrows, rrows)
        }
        let total = parts.reduce(0) { $0 + $1.0.count }
        if total > rowLimit {
            throw EngineError(.resourceLimit, "the join would produce \(total) rows, more than \(rowLimit)",
                              hint: "the keys repeat on both sides; join on a key that is unique in one table")
        }
        // the parts one after the other, copied part by part (memcpy, not element by element)
        var left: [Int32] = [], right: [Int32] = []
        left.reserveCapacity(total)
        right.reserveCapacity(total)
        for part in parts {
            if context.cancellation.isCancelled {
                Discard.inBackground((consume parts, consume left, consume right))
                throw EngineError.cancelled
            }
            left.append(contentsOf: part.0)
            right.append(contentsOf: part.1)
        }
        return (left, right)
    }

    /// Counts the rows a join will produce before producing them, in O(left + right): the
    /// right rows are grouped by key (one representative row per distinct key in an
    /// open-addressing table), then each left row adds its key's count. A join whose result
    /// would not fit the memory budget is refused here, in a moment, instead of filling memory.
    func checkJoinSize(_ right: Table, _ leftEncoded: EncodedKeys, _ rightEncoded: EncodedKeys, kind: JoinKind,
                       context: ExecutionContext) throws {
        // the result cannot outgrow left × right rows: when even that fits, there is nothing to count
        let bytesPerRow = 8 * (columnCount + right.columnCount) + 8
        let (bound, overflow) = rowCount.multipliedReportingOverflow(by: max(1, right.rowCount) * bytesPerRow)
        if !overflow, bound <= context.memoryLimit { return }
        let capacity = max(16, (right.rowCount * 2).nextPowerOfTwo), mask = capacity - 1
        var slots = [Int32](repeating: -1, count: capacity)   // representative right row per key
        var counts = [Int](repeating: 0, count: capacity)
        func slot(_ hash: UInt64, _ equal: (Int) -> Bool) -> Int? {
            var b = Int(truncatingIfNeeded: hash) & mask
            while slots[b] >= 0 {
                if equal(Int(slots[b])) { return b }
                b = (b + 1) & mask
            }
            return nil
        }
        var repeated = false
        for row in 0..<right.rowCount where !rightEncoded.hasNull(row) {
            if row & 0xFFFF == 0 { try context.cancellation.check() }
            let h = rightEncoded.hash(row)
            if let b = slot(h, { rightEncoded.equal(row, rightEncoded, $0) }) {
                counts[b] += 1
                repeated = true
            } else {
                var b = Int(truncatingIfNeeded: h) & mask
                while slots[b] >= 0 { b = (b + 1) & mask }
                slots[b] = Int32(row)
                counts[b] = 1
            }
        }
        // keys unique on the right (a join to a dimension table): at most one row per left row
        if !repeated, rowCount * bytesPerRow <= context.memoryLimit { return }
        let ranges = Parallel.split(rowCount, parts: max(1, Parallel.workers * 4))
        let partials = try Parallel.tryMap(ranges.count, minimumWork: rowCount) { k -> Int in
            var sum = 0
            for row in ranges[k] {
                if row & 0xFFFF == 0 { try context.cancellation.check() }
                var matches = 0
                if !leftEncoded.hasNull(row), let b = slot(leftEncoded.hash(row), { leftEncoded.equal(row, rightEncoded, $0) }) {
                    matches = counts[b]
                }
                sum &+= kind == .left ? max(1, matches) : matches
                if sum < 0 { return .max }
            }
            return sum
        }
        var total = 0
        for p in partials {
            let (t, o) = total.addingReportingOverflow(p)
            total = o ? .max : t
        }
        // the result holds every column of both sides (8 bytes a value: codes, numbers, dates),
        // plus the two row-number lists the join gathers with
        let (bytes, tooMany) = total.multipliedReportingOverflow(by: bytesPerRow)
        if tooMany || bytes > context.memoryLimit {
            let size = tooMany ? "more than 8 EB" : ExecutionContext.formatBytes(bytes)
            throw EngineError(.resourceLimit, "join: the result would have \(Value.grouped(total)) rows (about \(size)), more than the memory limit of \(ExecutionContext.formatBytes(context.memoryLimit))",
                              hint: "the join's keys repeat on both sides; join on a key that is unique in one table (.set memory_limit raises the limit)")
        }
    }

    static func converted(_ c: Column, to type: DataType) throws -> Column {
        switch (c.storage, type) {
        case (.integer(let a), .float): return Column(.float(a.map { Double($0) }), validity: c.validity)
        case (.date(let a), .timestamp): return Column(.timestamp(a.map { Int64($0) * 86_400_000_000 }), validity: c.validity)
        default:
            if c.type == type { return c }
            throw EngineError.typeMismatch("cannot convert \(c.type) to \(type)")
        }
    }

    /// The rows of several tables with the same column names, one after the other. Column order
    /// follows the first table; integer and float columns combine as float.
    /// - Complexity: O(total rows × columns).
    public static func append(_ tables: [Table]) throws -> Table {
        guard let first = tables.first else { return Table(rowCount: 0) }
        var out: [(String, Column)] = []
        for (i, name) in first.names.enumerated() {
            var parts: [Column] = [first.columns[i]]
            var type = first.columns[i].type
            for t in tables.dropFirst() {
                guard let j = t.names.firstIndex(of: name) else {
                    throw EngineError.invalidInput("cannot append: a table lacks the column \"\(name)\"",
                                                   hint: "append tables with the same columns, or select them first")
                }
                let c = t.columns[j]
                guard let common = DataType.common(type, c.type) else {
                    throw EngineError.typeMismatch("cannot append: \"\(name)\" is \(type) in one table and \(c.type) in another")
                }
                type = common
                parts.append(c)
            }
            parts = try parts.map { try converted($0, to: type) }
            out.append((name, try Column.concatenate(parts, type: type)))
        }
        for t in tables.dropFirst() where t.columnCount != first.columnCount {
            let extra = t.names.first { !first.names.contains($0) } ?? "?"
            throw EngineError.invalidInput("cannot append: a table has the extra column \"\(extra)\"",
                                           hint: "append tables with the same columns, or select them first")
        }
        return try Table(out)
    }
}
