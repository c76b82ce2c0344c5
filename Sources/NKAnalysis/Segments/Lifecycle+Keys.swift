import NKEngine

/// The steps from order rows to classified customers: which rows count, one sortable word per
/// row (customer above day), and the customers read off the sorted words. Each step works in
/// pieces of about a million rows and asks for Ctrl-C between them.
extension Lifecycle {
    /// Which rows count (a customer, a date, not after the reference day), the reference day,
    /// the earliest day, and how many rows were left out for each reason.
    struct UsableRows: Equatable {
        var usable: [Bool]
        var asOf: Int32
        var earliest: Int32
        var nullKey = 0, nullDate = 0, future = 0
    }

    static func usableRows(_ keyColumn: Column, _ dateColumn: Column, _ days: [Int32], asOf requested: Int32?,
                           cancellation: CancellationFlag, pieceSize: Int = 1 << 20) throws -> UsableRows {
        let n = days.count
        let keyWords = keyColumn.validity?.words, dateWords = dateColumn.validity?.words
        func valid(_ words: [UInt64]?, _ i: Int) -> Bool { words.map { ($0[i >> 6] >> UInt64(i & 63)) & 1 != 0 } ?? true }
        var usable = [Bool](repeating: true, count: n)
        var nullKey = 0, nullDate = 0
        var latest = Int32.min, earliest = Int32.max
        for piece in Parallel.pieces(of: 0..<n, size: pieceSize) {
            try cancellation.check()
            if keyWords != nil || dateWords != nil {
                for i in piece {
                    if !valid(keyWords, i) { usable[i] = false; nullKey += 1 } else if !valid(dateWords, i) { usable[i] = false; nullDate += 1 }
                }
            }
            days.withUnsafeBufferPointer { d in
                for i in piece where usable[i] { latest = max(latest, d[i]); earliest = min(earliest, d[i]) }
            }
        }
        // no usable order: nobody to classify (the reference day is then only what was asked)
        let asOf = requested ?? (latest == Int32.min ? 0 : latest)
        var future = 0
        if asOf < latest {
            for piece in Parallel.pieces(of: 0..<n, size: pieceSize) {
                try cancellation.check()
                for i in piece where usable[i] && days[i] > asOf { usable[i] = false; future += 1 }
            }
        }
        earliest = min(earliest, asOf)
        // days far outside the calendar would overflow the period arithmetic
        guard asOf > Int32.min / 2, asOf < Int32.max / 2, earliest > Int32.min / 2 else {
            throw EngineError.invalidInput("the reference day \(CivilDate.format(Int(asOf))) is out of range")
        }

        return UsableRows(usable: usable, asOf: asOf, earliest: earliest, nullKey: nullKey, nullDate: nullDate, future: future)
    }

    /// One sortable word per usable row, customer code above the day, sorted: each customer's
    /// days in order. Also how many low bits hold the day.
    static func sortedKeys(_ days: [Int32], _ rows: UsableRows, _ customers: CustomerKeys,
                           cancellation: CancellationFlag, pieceSize: Int = 1 << 20) throws -> ([UInt64], Int) {
        let sorted = try sortedDayKeys(days, rows, customers, withRows: false, cancellation: cancellation, pieceSize: pieceSize)
        return (sorted.keys, sorted.dayBits)
    }

    /// `sortedKeys`, and with `withRows` the row each word came from (in the words' order;
    /// empty without). The words are written in pieces of a million rows on all cores, each
    /// piece asking for Ctrl-C first.
    static func sortedDayKeys(_ days: [Int32], _ rows: UsableRows, _ customers: CustomerKeys, withRows: Bool,
                              cancellation: CancellationFlag, pieceSize: Int = 1 << 20) throws -> (keys: [UInt64], rows: [Int32], dayBits: Int) {
        let n = days.count, usable = rows.usable, asOf = rows.asOf, earliest = rows.earliest
        let dayBits = 64 - UInt64(max(0, Int(asOf) - Int(earliest))).leadingZeroBitCount
        let customerBits = 64 - UInt64(max(0, customers.count - 1)).leadingZeroBitCount
        guard dayBits + customerBits <= 62 else {
            throw EngineError.invalidInput("the orders span too many days and customers to take at once")
        }
        let pieces = Parallel.pieces(of: 0..<n, size: pieceSize)
        // where each piece's words start: the usable rows before it
        var starts = [0]
        for piece in pieces {
            try cancellation.check()
            starts.append(starts.last! + usable[piece].reduce(0) { $0 + ($1 ? 1 : 0) })
        }
        let kept = starts.last!
        var stopped = false
        // each piece writes its words (and rows) from its start; true when it was stopped
        func fill(_ out: UnsafeMutableBufferPointer<UInt64>, _ rowsOut: UnsafeMutablePointer<Int32>?) -> Bool {
            days.withUnsafeBufferPointer { d in
                usable.withUnsafeBufferPointer { u in
                    Parallel.map(pieces.count, minimumWork: n) { p -> Bool in
                        if cancellation.isCancelled { return true }
                        var k = starts[p]
                        func fill(_ code: (Int) -> Int) {
                            for i in pieces[p] where u[i] {
                                out[k] = UInt64(code(i)) << UInt64(dayBits) | UInt64(Int(d[i]) - Int(earliest))
                                rowsOut?[k] = Int32(i)
                                k += 1
                            }
                        }
                        switch customers.kind {
                        case .integers(let values, let low): values.withUnsafeBufferPointer { v in fill { Int(v[$0] - low) } }
                        case .text(let codes, _): codes.withUnsafeBufferPointer { c in fill { Int(c[$0]) } }
                        case .grouped(let groups, _, _): groups.withUnsafeBufferPointer { g in fill { Int(g[$0]) } }
                        }
                        return false
                    }.contains(true)
                }
            }
        }
        var rowOfKey: [Int32] = []
        // a stopped fill leaves words unwritten: the arrays are then empty (writing them all
        // would touch every fresh page, 0.3 s at 50 M rows)
        var keys = [UInt64](unsafeUninitializedCapacity: kept) { keyBuffer, keyCount in
            rowOfKey = [Int32](unsafeUninitializedCapacity: withRows ? kept : 0) { rowBuffer, rowCount in
                stopped = fill(keyBuffer, withRows ? rowBuffer.baseAddress : nil)
                rowCount = stopped ? 0 : rowBuffer.count
            }
            keyCount = stopped ? 0 : kept
        }
        try cancellation.check()
        if stopped { throw EngineError.cancelled }
        if withRows {
            RadixSort.sort(&keys, carrying: &rowOfKey, bits: dayBits + customerBits, cancellation: cancellation)
        } else {
            RadixSort.sort(&keys, bits: dayBits + customerBits, cancellation: cancellation)
        }
        try cancellation.check()

        return (keys, rowOfKey, dayBits)
    }

    /// Every customer's class from the sorted keys, with the churn and reactivation counts.
    struct Classified: Equatable {
        var out = PerCustomer()
        var churned = 0, base = 0, reactivated = 0, lapsed = 0
        /// Rows and distinct customer-days counted.
        var rows = 0, days = 0

        /// Classifies one customer and counts it in.
        mutating func add(code: Int, _ p: Purchases, _ lines: Lines) {
            let cls = lines.classOf(p)
            // churn: not lapsed at D − L (a purchase on or after the line before it), lapsed now
            if let atStart = p.atStart, atStart >= lines.earlierLine {
                base += 1
                if cls == .lapsed { churned += 1 }
            }
            if cls == .lapsed { lapsed += 1 }
            if cls == .reactivated { reactivated += 1 }
            out.append(code: code, first: p.first, last: p.last, days: p.days, orders: p.orders, recent: p.recent, cls: cls)
            rows += p.orders
            days += p.days
        }

        /// Adds the customers of a later piece.
        mutating func add(_ later: Classified) {
            out.append(later.out)
            churned += later.churned; base += later.base; reactivated += later.reactivated; lapsed += later.lapsed
            rows += later.rows; days += later.days
        }
    }

    /// Classifies every customer of the sorted keys. The keys are cut into pieces of about a
    /// million at customer boundaries; the pieces are classified on all cores, each asking for
    /// Ctrl-C first, and joined in key order.
    static func classifyAll(_ keys: [UInt64], dayBits: Int, earliest: Int32, lapsedBefore: Int32, newSince: Int32,
                            options: Options, cancellation: CancellationFlag, pieceSize: Int = 1 << 20) throws -> Classified {
        let lines = Lines(lapsedBefore: lapsedBefore, newSince: newSince, options: options)
        let pieces = customerPieces(keys, dayBits: dayBits, size: pieceSize)
        let parts = try keys.withUnsafeBufferPointer { all in
            try Parallel.tryMap(pieces.count, minimumWork: keys.count) { p -> Classified in
                try cancellation.check()
                return classifyPiece(UnsafeBufferPointer(rebasing: all[pieces[p]]), dayBits: dayBits, earliest: earliest, lines: lines)
            }
        }
        try cancellation.check()
        guard var whole = parts.first else { return Classified() }
        for part in parts.dropFirst() { whole.add(part) }
        return whole
    }

    /// `0..<keys.count` in consecutive ranges of about 2^20 keys, each starting at a customer's
    /// first key.
    static func customerPieces(_ keys: [UInt64], dayBits: Int, size: Int) -> [Range<Int>] {
        var starts = [0]
        var next = size
        while next < keys.count {
            let code = keys[next] >> UInt64(dayBits)
            while next < keys.count, keys[next] >> UInt64(dayBits) == code { next += 1 }
            if next < keys.count { starts.append(next) }
            next += size
        }
        return starts.indices.map { starts[$0]..<($0 + 1 < starts.count ? starts[$0 + 1] : keys.count) }
    }

    /// The customers of one piece of sorted keys, each whole within it.
    static func classifyPiece(_ keys: UnsafeBufferPointer<UInt64>, dayBits: Int, earliest: Int32, lines: Lines) -> Classified {
        var c = Classified()
        let dayMask = (UInt64(1) << UInt64(dayBits)) - 1
        let lapsedBefore = lines.lapsedBefore
        var k = 0
        while k < keys.count {
            let code = Int(keys[k] >> UInt64(dayBits))
            var p = Purchases(first: Int32.max, last: Int32.min)
            var previousDay = Int32.min
            while k < keys.count, Int(keys[k] >> UInt64(dayBits)) == code {
                let day = Int32(Int(keys[k] & dayMask) + Int(earliest))
                p.orders += 1
                if day != previousDay { p.days += 1; previousDay = day }
                p.first = min(p.first, day); p.last = max(p.last, day)
                if day >= lapsedBefore {
                    p.recent += 1
                    if p.since == nil { p.since = day }
                } else {
                    p.before = day
                }
                if day <= lapsedBefore { p.atStart = day }
                k += 1
            }
            c.add(code: code, p, lines)
        }
        return c
    }
}
