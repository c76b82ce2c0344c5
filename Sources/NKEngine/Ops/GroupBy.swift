extension Table {
    /// Groups rows by the key expressions and computes the aggregates per group (hash
    /// aggregation). Groups appear in order of their first row; null keys form their own group.
    /// Without keys the whole input is one group (one row, even for an empty input).
    ///
    /// Keys that are all text or boolean with few distinct values use their dictionary codes as
    /// direct slots (no hashing); other keys go through a hash table.
    /// - Complexity: O(rows × (keys + aggregates)) expected; `median`, `quantile` add a sort
    ///   per group, O(rows log rows) at worst.
    public func groupBy(_ keys: [NamedExpr], _ aggregates: [Aggregate], context: ExecutionContext = .standard) throws -> Table {
        let keyColumns = try keys.map { try evaluate($0.expr, context: context) }
        try context.cancellation.check()
        let slots = try SlotAssignment(keyColumns, rowCount: rowCount, cancellation: context.cancellation)
        let kernels = AggregateKernels(slotOfRow: slots.slotOfRow, slotCount: slots.slotCount,
                                       order: slots.order, cancellation: context.cancellation)
        var out: [(String, Column)] = []
        for (i, key) in keys.enumerated() { out.append((key.name, keyColumns[i].gather(slots.firstRows))) }
        var counts: [Int64]?
        for aggregate in aggregates {
            let argument = try aggregate.argument.map { try evaluate($0, context: context) }
            try context.cancellation.check()
            out.append((aggregate.name, try Table.located(aggregate) { try Table.compute(aggregate, argument, kernels, &counts, notes: context.notes) }))
            // (a kernel stopped by Ctrl-C leaves its sums short)
            try context.cancellation.check()
        }
        return try Table(out)
    }

    /// Runs `body`, an engine error in it located where the aggregate was written (unless it
    /// has a place of its own).
    static func located<T>(_ aggregate: Aggregate, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch var e as EngineError {
            if e.sourceRef == nil { e.sourceRef = aggregate.sourceRef }
            throw e
        }
    }

    /// A float `sum`, `avg` or `share` per group, groups in `order`, from each slot's sum and
    /// number of values (null for a group without a value; a share is null when all sums are 0).
    /// One pass reads both at each group's slot and writes the values and the validity bits,
    /// the groups split among the cores at multiples of 64 (so no two write one word of bits).
    static func floatTotals(_ function: AggregateFunction, sums: [Double], valid: [Int64], order: [Int32]) -> Column {
        let n = order.count
        var values = [Double](repeating: 0, count: n)
        var words = [UInt64](repeating: 0, count: (n + 63) / 64)
        let ranges = Parallel.split(n, parts: Parallel.workers)
        sums.withUnsafeBufferPointer { s in
            valid.withUnsafeBufferPointer { v in
                order.withUnsafeBufferPointer { order in
                    values.withUnsafeMutableBufferPointer { out in
                        words.withUnsafeMutableBufferPointer { w in
                            let target = UncheckedBox((out, w))
                            Parallel.forEach(ranges.count, minimumWork: n) { k in
                                let (out, w) = target.value
                                for g in ranges[k] {
                                    let slot = Int(order[g])
                                    if function == .share {
                                        out[g] = s[slot]
                                    } else if v[slot] != 0 {
                                        out[g] = function == .avg ? s[slot] / Double(v[slot]) : s[slot]
                                        w[g >> 6] |= 1 << UInt64(g & 63)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        guard function == .share else { return Column(.float(values), validity: Validity(words: words, count: n)) }
        let total = values.reduce(0, +)
        guard total != 0 else { return Column.nulls(.float, count: n) }
        return .floats(values.map { $0 * 100 / total })
    }

    /// One aggregate of the rows the kernels assign to groups, `argument` holding its value in
    /// each of those rows (nil for `count()` and `share()`).
    static func compute(_ a: Aggregate, _ argument: Column?, _ k: AggregateKernels, _ cachedCounts: inout [Int64]?,
                        notes: EngineNotes) throws -> Column {
        let type = try a.resultType(input: argument?.type)
        let order = k.order
        func rowCounts() -> [Int64] {
            if let c = cachedCounts { return c }
            let c = k.countRows()
            cachedCounts = c
            return c
        }
        func pick<T>(_ values: [T]) -> [T] { order.map { values[Int($0)] } }
        func pickOptional<T>(_ values: [T?]) -> [T?] { order.map { values[Int($0)] } }

        guard let argument else {
            switch a.function {
            case .count: return Column(.integer(pick(rowCounts())))
            case .share:
                let total = Double(k.rows)
                return .floats(pick(rowCounts()).map { total == 0 ? nil : Double($0) * 100 / total })
            default: _ = try a.resultType(input: nil); return Column.nulls(type, count: order.count)
            }
        }
        let validity = argument.validity
        // non-null values per slot: the row counts when no value is null
        func validCounts() -> [Int64] { validity == nil ? rowCounts() : k.countValid(validity) }
        switch a.function {
        case .count:
            return Column(.integer(pick(validCounts())))
        case .countDistinct:
            return Column(.integer(pick(try k.countDistinct(argument))))
        case .sum, .avg, .share:
            if case .integer(let values) = argument.storage, a.function == .sum {
                let valid = pick(validCounts())
                let sums = pickOptional(k.sumInt(values, validity))
                notes.count("\(a.name) does not fit a 64-bit whole number and is null (sum float(…) for larger totals)",
                            groups: zip(sums, valid).reduce(0) { $0 + ($1.0 == nil && $1.1 > 0 ? 1 : 0) })
                return .integers(zip(sums, valid).map { $1 == 0 ? nil : $0 })
            }
            let (sums, valid) = k.sumsAndCounts(argument.doubles ?? [], validity)
            try k.cancellation.check()
            // without nulls, the numbers of values are the rows per group, which count() reuses
            if validity == nil, cachedCounts == nil { cachedCounts = valid }
            return floatTotals(a.function, sums: sums, valid: valid, order: order)
        case .min, .max:
            let isMax = a.function == .max
            switch argument.storage {
            case .integer(let v): return .integers(pickOptional(k.extreme(v, validity, max: isMax)))
            case .timestamp(let v): return .timestamps(pickOptional(k.extreme(v, validity, max: isMax)))
            case .float(let v): return .floats(pickOptional(k.extreme(v, validity, max: isMax)))
            case .date(let v): return .dates(pickOptional(k.extreme(v, validity, max: isMax)))
            case .boolean(let v): return .booleans(pickOptional(k.extreme(v.map { $0 ? 1 as Int8 : 0 }, validity, max: isMax)).map { $0.map { $0 == 1 } })
            case .string(let codes, let dict):
                let ranks = dict.sortRanks()
                var codeOfRank = [Int32](repeating: 0, count: ranks.count)
                for (c, r) in ranks.enumerated() { codeOfRank[Int(r)] = Int32(c) }
                let best = pickOptional(k.extreme(codes.map { ranks[Int($0)] }, validity, max: isMax))
                let v = Validity(best.map { $0 != nil })
                return Column(.string(best.map { $0.map { codeOfRank[Int($0)] } ?? 0 }, dict), validity: v)
            }
        case .median, .quantile:
            let q = a.function == .median ? 0.5 : (a.parameter ?? 0.5)
            guard (0...1).contains(q) else {
                throw EngineError.invalidInput("quantile fraction \(Value.formatFloat(q)) is outside 0…1", hint: "e.g. quantile(revenue, 0.9)")
            }
            let values: [Double]
            if case .date(let d) = argument.storage { values = d.map { Double($0) } }
            else if case .timestamp(let t) = argument.storage { values = t.map { Double($0) } }
            else { values = argument.doubles ?? [] }
            let result = pickOptional(try k.quantile(values, validity, q))
            switch type {
            case .date: return .dates(result.map { $0.map { Int32($0.rounded(.down)) } })
            case .timestamp: return .timestamps(result.map { $0.map { Int64($0.rounded(.down)) } })
            default: return .floats(result)
            }
        }
    }
}

extension Table {
    /// The number of each row's group (rows with equal values in `keys`), in order of first
    /// appearance, and the first row of each group.
    public func groupNumbers(of keys: [String], cancellation: CancellationFlag = .shared) throws -> (groupOfRow: [Int32], firstRows: [Int32]) {
        let columns = try keys.map { name -> Column in
            guard let c = column(name) else { throw EngineError.unknownColumn(name, available: names) }
            return c
        }
        let groups = try GroupAssignment.assign(keys: EncodedKeys(columns, count: rowCount), cancellation: cancellation)
        return (groups.groupOfRow, groups.firstRow)
    }
}

/// Rows mapped to aggregation slots, and the slots that form the output groups.
struct SlotAssignment {
    var slotOfRow: [Int32]
    var slotCount: Int
    /// Slots of the output groups, by first appearance.
    var order: [Int32]
    /// First row of each output group (for the key values).
    var firstRows: [Int32]

    init(_ keys: [Column], rowCount n: Int, cancellation: CancellationFlag) throws {
        if keys.isEmpty {
            slotOfRow = [Int32](repeating: 0, count: n)
            slotCount = 1
            order = [0]
            firstRows = []
            return
        }
        if let direct = try SlotAssignment.directCodes(keys, n, cancellation) {
            self = direct
            return
        }
        let groups = try GroupAssignment.assign(keys: EncodedKeys(keys, count: n), cancellation: cancellation)
        slotOfRow = groups.groupOfRow
        slotCount = groups.groupCount
        order = (0..<Int32(groups.groupCount)).map { $0 }
        firstRows = groups.firstRow
    }

    /// Text and boolean keys with a small code space: slot = mixed-radix number of the codes
    /// (null takes the last digit value). Nil when the space would be too large.
    private static func directCodes(_ keys: [Column], _ n: Int, _ cancellation: CancellationFlag) throws -> SlotAssignment? {
        if keys.count == 1, case .integer(let values) = keys[0].storage {
            return try directIntegers(values, keys[0].validity, n, cancellation)
        }
        var radices: [Int] = []
        var space = 1
        for k in keys {
            let r: Int
            switch k.storage {
            case .string(_, let d): r = d.count + 1
            case .boolean: r = 3
            default: return nil
            }
            radices.append(r)
            space *= r
            if space > 1 << 16 { return nil }
        }
        var slots = [Int32](repeating: 0, count: n)
        var stride = 1
        for (k, key) in keys.enumerated() {
            let nullCode = Int32(radices[k] - 1)
            let s = Int32(stride)
            slots.withUnsafeMutableBufferPointer { out in
                let target = UncheckedBox(out)
                let ranges = Parallel.split(n, parts: Parallel.workers)
                Parallel.forEach(ranges.count, minimumWork: n) { part in
                    let o = target.value
                    switch key.storage {
                    case .string(let codes, _):
                        codes.withUnsafeBufferPointer { c in
                            if let v = key.validity {
                                for i in ranges[part] { o[i] &+= (v.isValid(i) ? c[i] : nullCode) &* s }
                            } else {
                                for i in ranges[part] { o[i] &+= c[i] &* s }
                            }
                        }
                    case .boolean(let b):
                        for i in ranges[part] { o[i] &+= ((key.validity?.isValid(i) ?? true) ? (b[i] ? 1 : 0) : nullCode) &* s }
                    default: break
                    }
                }
            }
            stride *= radices[k]
            try cancellation.check()
        }
        return try firstAppearance(slots, space: space, n, cancellation: cancellation)
    }

    /// One whole-number key whose values span a range not much larger than the row count
    /// (customer and order numbers): slot = value − smallest, null takes the last slot.
    /// (Ctrl-C is asked between pieces of a million rows: at 50 M rows each pass here takes
    /// 50–300 ms.)
    private static func directIntegers(_ values: [Int64], _ validity: Validity?, _ n: Int, _ cancellation: CancellationFlag) throws -> SlotAssignment? {
        guard n > 0 else { return nil }
        let words = validity?.words ?? []
        let checked = validity != nil
        var low = Int64.max, high = Int64.min
        try values.withUnsafeBufferPointer { v in
            try words.withUnsafeBufferPointer { w in
                for piece in Parallel.pieces(of: 0..<n) {
                    try cancellation.check()
                    for i in piece where !checked || (w[i >> 6] >> UInt64(i & 63)) & 1 != 0 { low = min(low, v[i]); high = max(high, v[i]) }
                }
            }
        }
        if low > high { low = 0; high = 0 }
        guard high &- low >= 0, high - low < Int64(2 * n + 65_536) else { return nil }
        let space = Int(high - low) + 2
        let nullSlot = Int32(space - 1)
        var slots = [Int32](repeating: 0, count: n)
        try slots.withUnsafeMutableBufferPointer { out in
            try values.withUnsafeBufferPointer { v in
                try words.withUnsafeBufferPointer { w in
                    for piece in Parallel.pieces(of: 0..<n) {
                        try cancellation.check()
                        for i in piece {
                            out[i] = !checked || (w[i >> 6] >> UInt64(i & 63)) & 1 != 0 ? Int32(truncatingIfNeeded: v[i] &- low) : nullSlot
                        }
                    }
                }
            }
        }
        return try firstAppearance(slots, space: space, n, cancellation: cancellation)
    }

    /// The used slots in order of their first row. Throws when `cancellation` is set (asked
    /// between pieces of a million rows).
    static func firstAppearance(_ slots: [Int32], space: Int, _ n: Int, cancellation: CancellationFlag? = nil) throws -> SlotAssignment {
        if space > 1 << 16 { return try firstMet(slots, space: space, n, cancellation: cancellation) }
        // first row of each slot, per thread, then merged
        let ranges = Parallel.split(n, parts: Parallel.workers)
        let firsts = slots.withUnsafeBufferPointer { sl in
            Parallel.map(ranges.count, minimumWork: n) { part -> [Int32] in
                var first = [Int32](repeating: Int32.max, count: space)
                for i in ranges[part].reversed() { first[Int(sl[i])] = Int32(i) }
                return first
            }
        }
        try cancellation?.check()
        var first = [Int32](repeating: Int32.max, count: space)
        for f in firsts { for s in 0..<space where f[s] < first[s] { first[s] = f[s] } }
        return ordered(slots, first: first)
    }

    /// ``firstAppearance(_:space:_:cancellation:)`` for many slots, without sorting them: each
    /// core passes over its own rows in order and notes every slot at the row it first meets
    /// it, in a bit per slot (5 M slots take 625 KB, which mostly stays in the core's cache).
    /// A slot's first row is then the one noted by the earliest core that met it, and the
    /// slots come out in order of those rows: the first core's, then each later core's that
    /// no earlier core met.
    static func firstMet(_ slots: [Int32], space: Int, _ n: Int, cancellation: CancellationFlag?) throws -> SlotAssignment {
        let ranges = Parallel.split(n, parts: Parallel.workers)
        let met = try slots.withUnsafeBufferPointer { sl in
            try Parallel.tryMap(ranges.count, minimumWork: n) { part -> (bits: [UInt64], order: [Int32], rows: [Int32]) in
                var bits = [UInt64](repeating: 0, count: (space + 63) / 64)
                var order: [Int32] = [], rows: [Int32] = []
                try bits.withUnsafeMutableBufferPointer { b in
                    for piece in Parallel.pieces(of: ranges[part]) {
                        try cancellation?.check()
                        for i in piece {
                            let s = Int(sl[i]), bit: UInt64 = 1 << UInt64(s & 63)
                            if b[s >> 6] & bit == 0 {
                                b[s >> 6] |= bit
                                order.append(sl[i])
                                rows.append(Int32(truncatingIfNeeded: i))
                            }
                        }
                    }
                }
                return (bits, order, rows)
            }
        }
        guard var (seen, order, firstRows) = met.first else {
            return SlotAssignment(slotOfRow: slots, slotCount: space, order: [], firstRows: [])
        }
        for later in met.dropFirst() {
            try cancellation?.check()
            for (slot, row) in zip(later.order, later.rows) where seen[Int(slot) >> 6] & (1 << UInt64(slot & 63)) == 0 {
                order.append(slot)
                firstRows.append(row)
            }
            for w in seen.indices { seen[w] |= later.bits[w] }
        }
        return SlotAssignment(slotOfRow: slots, slotCount: space, order: order, firstRows: firstRows)
    }

    /// The slots whose first row is known (`Int32.max`: a slot no row has), in order of it.
    static func ordered(_ slots: [Int32], first: [Int32]) -> SlotAssignment {
        let order = GroupTally.order(first: first)
        return SlotAssignment(slotOfRow: slots, slotCount: first.count, order: order, firstRows: order.map { first[Int($0)] })
    }

    private init(slotOfRow: [Int32], slotCount: Int, order: [Int32], firstRows: [Int32]) {
        self.slotOfRow = slotOfRow
        self.slotCount = slotCount
        self.order = order
        self.firstRows = firstRows
    }
}
