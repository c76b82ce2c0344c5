import NKEngine

/// A column as why-not sees it: every row carries one small code, and every code is a
/// condition a row can meet (`channel = "Messe"`, `region is null`, `10 <= employees < 50`).
struct Attribute: Sendable {
    var column: String
    /// The condition of each code, written as nk would read it.
    var conditions: [String]
    /// The plain value of each code (nil for null; a range's condition for a bin).
    var values: [String?]
    /// One code per row.
    var codes: [UInt16]
    /// How the column was cut, for the summary line (`5 bins`), or nil for its own values.
    var binning: String?
    /// How a value becomes its code, for an engine that counts the codes itself.
    var coding: WhyNot.Coding

    var valueCount: Int { conditions.count }

    /// Whether the column is null in every row of one group and filled in some of the other:
    /// 1 when filled only in the target group, 0 when only outside it, nil otherwise.
    func filledOnlyIn(_ target: [UInt8]) -> UInt8? {
        guard let nullCode = values.firstIndex(where: { $0 == nil }) else { return nil }
        var filled = [false, false]
        for i in 0..<codes.count where Int(codes[i]) != nullCode {
            filled[Int(target[i])] = true
            if filled[0] && filled[1] { return nil }
        }
        return filled[1] ? 1 : filled[0] ? 0 : nil
    }
}

extension Attribute {
    /// Most values a named text column may have (each value and pair of values is counted).
    static let maximumValues = 2_000

    /// Why a column was left out of the automatic choice, or nil when it is used.
    enum Skip: Sendable {
        case oneValue, tooManyValues(Int), identifier, dateOrTime, emptyColumn
        /// Filled only in the target group (true) or only outside it (false): it tells the
        /// groups apart by how the data was recorded, as a lost reason does.
        case filledOnlyIn(target: Bool)
    }

    /// The column as an attribute. `automatic`: apply the rules for columns nobody named
    /// (2–50 values for text, identifiers and dates left out); a named column is used if it can be.
    /// A number column's binning (about 0.3 s at 5 M rows) asks for Ctrl-C between its steps.
    static func make(_ name: String, _ column: Column, automatic: Bool, bins: Int,
                     cancellation: CancellationFlag = .shared) throws -> Result<Attribute, SkipReason> {
        let label = Attribute.quotedName(name)
        switch column.storage {
        case .string(let codes, let dictionary):
            // the values that occur (a filtered table shares a bigger dictionary), in code order
            var used = [Int32](repeating: -1, count: dictionary.count)
            var nulls = 0
            codes.withUnsafeBufferPointer { p in
                used.withUnsafeMutableBufferPointer { u in
                    if let v = column.validity {
                        for i in 0..<p.count { if v.isValid(i) { u[Int(p[i])] = 0 } else { nulls += 1 } }
                    } else {
                        for i in 0..<p.count { u[Int(p[i])] = 0 }
                    }
                }
            }
            let distinct = used.reduce(0) { $0 + ($1 == 0 ? 1 : 0) } + (nulls > 0 ? 1 : 0)
            if automatic {
                if distinct < 2 { return .failure(SkipReason(name, .oneValue)) }
                if distinct > 50 {
                    return .failure(SkipReason(name, distinct == column.count ? .identifier : .tooManyValues(distinct)))
                }
            } else if distinct > maximumValues {
                throw EngineError.invalidInput("\(name) has \(Value.grouped(distinct)) different values; why-not looks for values many rows share",
                                               hint: "group them first, e.g. derive \(name)_group = left(\(name), 2), and use that column")
            }
            // codes in the values' byte order, so that the answer does not depend on the rows' order
            let present = used.indices.filter { used[$0] == 0 }.map { (code: $0, text: dictionary[Int32($0)]) }
                .sorted { Attribute.before($0.text, $1.text) }
            for (k, v) in present.enumerated() { used[v.code] = Int32(k) }
            let (conditions, values) = textConditions(label, present.map(\.text), hasNull: nulls > 0)
            let nullCode = UInt16(present.count)
            var out = [UInt16](repeating: 0, count: codes.count)
            codes.withUnsafeBufferPointer { p in
                out.withUnsafeMutableBufferPointer { o in
                    used.withUnsafeBufferPointer { u in
                        for i in 0..<p.count { o[i] = UInt16(truncatingIfNeeded: u[Int(p[i])]) }
                    }
                    if let v = column.validity { for i in 0..<p.count where !v.isValid(i) { o[i] = nullCode } }
                }
            }
            return .success(Attribute(column: name, conditions: conditions, values: values, codes: out, binning: nil,
                                      coding: WhyNot.Coding(column: name, kind: .values(values))))
        case .boolean(let values):
            var seen = [false, false, false]
            var out = [UInt16](repeating: 0, count: values.count)
            for i in 0..<values.count {
                let code = column.isNull(i) ? 2 : (values[i] ? 1 : 0)
                out[i] = UInt16(code)
                seen[code] = true
            }
            let all = ["\(label) = false", "\(label) = true", "\(label) is null"]
            let kept = (0..<3).filter { seen[$0] }
            if automatic, kept.count < 2 { return .failure(SkipReason(name, .oneValue)) }
            var remap = [UInt16](repeating: 0, count: 3)
            for (i, k) in kept.enumerated() { remap[k] = UInt16(i) }
            for i in 0..<out.count { out[i] = remap[Int(out[i])] }
            let plain: [String?] = ["false", "true", nil]
            return .success(Attribute(column: name, conditions: kept.map { all[$0] }, values: kept.map { plain[$0] }, codes: out, binning: nil,
                                      coding: WhyNot.Coding(column: name, kind: .booleans(kept.map { [false, true, nil][$0] }))))
        case .date, .timestamp, .integer, .float:
            return try numberAttribute(name, label, column, automatic: automatic, bins: bins, cancellation: cancellation)
        }
    }

    /// A number, date or time column cut into ranges; `automatic` leaves out dates, times,
    /// identifiers and columns of one value.
    static func numberAttribute(_ name: String, _ label: String, _ column: Column, automatic: Bool, bins: Int,
                                cancellation: CancellationFlag) throws -> Result<Attribute, SkipReason> {
        let isDate = column.type == .date || column.type == .timestamp
        if automatic, isDate { return .failure(SkipReason(name, .dateOrTime)) }
        let (numbers, valid) = numeric(column)
        try cancellation.check()
        let sorted = try NumericSample.sorted(zip(numbers, valid).compactMap { $1 ? $0 : nil }, integral: column.type == .integer,
                                              cancellation: cancellation)
        if automatic, column.type == .integer, Attribute.looksLikeIdentifier(name, distinct: Attribute.distinctCount(sorted), count: sorted.count) {
            return .failure(SkipReason(name, .identifier))
        }
        let attribute = try binned(name, label, column, numbers, valid, sorted, bins: bins, cancellation: cancellation)
        if automatic, attribute.valueCount < 2 {
            return .failure(SkipReason(name, column.nullCount == column.count ? .emptyColumn : .oneValue))
        }
        return .success(attribute)
    }

    /// Whether a whole-number column is an identifier, whose ranges mean nothing: (nearly) a
    /// different value in every row (at least 90 % of the values distinct), or a name that says
    /// id or number (`id`, `…_id`, `CustomerID`, `…_nr`, `kundennummer`, `…_no`).
    static func looksLikeIdentifier(_ name: String, distinct: Int, count: Int) -> Bool {
        let lower = name.lowercased()
        if lower == "id" || lower.hasSuffix("_id") || name.hasSuffix("ID") || name.hasSuffix("Id") || lower.hasSuffix("_nr")
            || lower.hasSuffix("nummer") || lower.hasSuffix("_no") || lower.hasSuffix("number") {
            return true
        }
        guard count > 1 else { return false }
        return distinct * 10 >= count * 9
    }

    /// How many different values a sorted list holds.
    static func distinctCount(_ sorted: [Double]) -> Int {
        sorted.isEmpty ? 0 : 1 + zip(sorted, sorted.dropFirst()).filter { $0 != $1 }.count
    }

    /// Text values in the order of their UTF-8 bytes (as an engine sorting by bytes would).
    static func before(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

    /// The conditions and plain values of a text column's values (given in code order), and
    /// of null last when the column has nulls.
    static func textConditions(_ label: String, _ texts: [String], hasNull: Bool) -> ([String], [String?]) {
        var conditions = texts.map { "\(label) = \(Attribute.quoted($0))" }
        var values: [String?] = texts
        if hasNull { conditions.append("\(label) is null"); values.append(nil) }
        return (conditions, values)
    }

    /// The column's values as Doubles, and which rows hold one (not null, not NaN).
    static func numeric(_ column: Column) -> ([Double], [Bool]) {
        let n = column.count
        var numbers = [Double](repeating: 0, count: n)
        func fill<T>(_ a: [T], _ convert: (T) -> Double) {
            a.withUnsafeBufferPointer { p in numbers.withUnsafeMutableBufferPointer { out in for i in 0..<n { out[i] = convert(p[i]) } } }
        }
        switch column.storage {
        case .integer(let a): fill(a) { Double($0) }
        case .float(let a): fill(a) { $0 }
        case .date(let a): fill(a) { Double($0) }
        case .timestamp(let a): fill(a) { Double($0) }
        default: break
        }
        var valid = [Bool](repeating: true, count: n)
        let words = column.validity?.words
        for i in 0..<n where numbers[i].isNaN || words.map({ ($0[i >> 6] >> UInt64(i & 63)) & 1 == 0 }) == true { valid[i] = false }
        return (numbers, valid)
    }

    /// A number, date or time column cut at its quantiles into at most `bins` ranges (each
    /// distinct value on its own when there are no more than `bins` of them); nulls are a
    /// value of their own.
    static func binned(_ name: String, _ label: String, _ column: Column, _ numbers: [Double], _ valid: [Bool], _ sorted: [Double],
                       bins: Int, cancellation: CancellationFlag = .shared) throws -> Attribute {
        let n = column.count
        var smallest: [Double] = []
        for x in sorted where smallest.last != x {
            smallest.append(x)
            if smallest.count > bins { break }
        }
        let (cuts, exact) = cutPoints(smallest: smallest, count: sorted.count, bins: bins) { sorted[$0] }
        let hasNull = valid.contains(false)
        var attribute = binnedAttribute(name, label, type: column.type, cuts: cuts, exact: exact, hasNull: hasNull)
        let nullCode = UInt16(exact ? cuts.count : cuts.count + 1)
        var codes = [UInt16](repeating: nullCode, count: n)
        for piece in Parallel.pieces(of: 0..<n) {
            try cancellation.check()
            for i in piece where valid[i] {
                let x = numbers[i]
                // the number of cut points at or below x (exact values: the index of x)
                var lo = 0, hi = cuts.count
                while lo < hi { let mid = (lo + hi) / 2; if cuts[mid] <= x { lo = mid + 1 } else { hi = mid } }
                codes[i] = UInt16(exact ? lo - 1 : lo)
            }
        }
        attribute.codes = codes
        return attribute
    }

    /// Where a number column is cut: its distinct values when there are no more than `bins`
    /// (`smallest` holds up to `bins + 1` of the smallest), else the values at the quantile
    /// positions `i * count / bins` of the sorted values (`at`), each above the smallest, equal
    /// ones merged.
    static func cutPoints(smallest: [Double], count: Int, bins: Int, at: (Int) -> Double) -> (cuts: [Double], exact: Bool) {
        if smallest.count <= bins { return (smallest, true) }
        var cuts: [Double] = []
        for i in 1..<bins {
            let x = at(i * count / bins)
            if x > smallest[0], cuts.last != x { cuts.append(x) }
        }
        if cuts.isEmpty { cuts = [smallest[1]] }
        return (cuts, false)
    }

    /// The attribute of a number, date or time column cut at `cuts` (without its codes).
    static func binnedAttribute(_ name: String, _ label: String, type: DataType, cuts: [Double], exact: Bool, hasNull: Bool) -> Attribute {
        func plain(_ x: Double) -> String {
            switch type {
            case .date: return CivilDate.format(Int(x))
            case .timestamp: return CivilDate.formatTimestamp(Int64(x))
            default: return Value.formatFloat(x)
            }
        }
        func text(_ x: Double) -> String { type == .date || type == .timestamp ? Attribute.quoted(plain(x)) : plain(x) }
        var conditions: [String]
        var binning: String?
        if exact {
            conditions = cuts.map { "\(label) = \(text($0))" }
        } else {
            conditions = ["\(label) < \(text(cuts[0]))"]
            for i in 1..<cuts.count { conditions.append("\(text(cuts[i - 1])) <= \(label) < \(text(cuts[i]))") }
            conditions.append("\(label) >= \(text(cuts[cuts.count - 1]))")
            binning = "\(conditions.count) bins"
        }
        var values: [String?] = exact ? cuts.map { plain($0) } : conditions
        if hasNull { conditions.append("\(label) is null"); values.append(nil) }
        return Attribute(column: name, conditions: conditions, values: values, codes: [], binning: binning,
                         coding: WhyNot.Coding(column: name, kind: .bins(cuts: cuts, exact: exact)))
    }

    /// A column name as nk reads it: bare when it is a plain word, else in backquotes.
    static func quotedName(_ name: String) -> String {
        let plain = !name.isEmpty && name.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }
            && !("0"..."9").contains(name.unicodeScalars.first!)
        return plain ? name : "`" + name.split(separator: "`", omittingEmptySubsequences: false).joined(separator: "``") + "`"
    }

    /// A text value as an nk string literal.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for ch in text {
            switch ch {
            case "\\", "\"": out.append("\\"); out.append(ch)
            case "\n": out.append("\\n")
            case "\t": out.append("\\t")
            default: out.append(ch)
            }
        }
        return out + "\""
    }
}

/// A column the automatic choice left out, and why.
struct SkipReason: Error, Sendable {
    var column: String
    var reason: Attribute.Skip
    init(_ column: String, _ reason: Attribute.Skip) { self.column = column; self.reason = reason }

    var description: String {
        switch reason {
        case .oneValue: return "\(column) (one value)"
        case .tooManyValues(let n): return "\(column) (\(Value.grouped(n)) values)"
        case .identifier: return "\(column) (an identifier)"
        case .dateOrTime: return "\(column) (a date)"
        case .emptyColumn: return "\(column) (all null)"
        case .filledOnlyIn(let target): return "\(column) (filled only \(target ? "in" : "outside") the target group)"
        }
    }
}
