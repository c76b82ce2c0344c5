/// Text values typed the way a CSV column is: the narrowest type every value fits (boolean,
/// integer, float, date, timestamp, else text), numbers with leading zeros kept as text. Used
/// for what arrives as text from elsewhere: SQLite's text cells, a workbook's text cells.
public enum TextColumn {
    /// What the values are, with the date format when they are dates.
    public struct Typed {
        public var column: Column
        public var format: DateFormat?
        /// Whether the dates could as well be read month-first (every day ≤ 12).
        public var ambiguousDates: Bool
    }

    /// The values as the narrowest column they all fit; `allowed` limits the types tried
    /// (text is always allowed).
    public static func typed(_ values: [String?], allowed: Set<DataType> = Set(DataType.allCases)) -> Typed {
        var arena = TextArena()
        for v in values { arena.append(v) }
        return typed(arena, allowed: allowed)
    }

    public static func typed(_ arena: TextArena, allowed: Set<DataType> = Set(DataType.allCases)) -> Typed {
        var votes = TypeVotes()
        arena.bytes.withUnsafeBufferPointer { b in
            let base = b.baseAddress ?? UnsafePointer(bitPattern: 1)!
            for i in 0..<arena.count where arena.valid[i] {
                let start = arena.offsets[i]
                votes.add(CSVSniffer.Ref(start: start, count: arena.offsets[i + 1] - start, quoted: true, escaped: false),
                          base, [], decimal: UInt8(ascii: "."))
            }
        }
        var decided = votes.decide()
        if !allowed.contains(decided.type) { decided = (.string, nil) }
        return Typed(column: column(arena, as: decided.type, format: decided.format ?? .iso), format: decided.format,
                     ambiguousDates: decided.type == .date && votes.ambiguous(decided.format))
    }

    /// The values converted to `type` (each one must fit: ``typed(_:allowed:)`` decided so).
    static func column(_ arena: TextArena, as type: DataType, format: DateFormat) -> Column {
        arena.bytes.withUnsafeBufferPointer { b in
            let base = b.baseAddress ?? UnsafePointer(bitPattern: 1)!
            func each<T>(_ zero: T, _ parse: (UnsafePointer<UInt8>, Int) -> T?) -> [T] {
                var out = [T]()
                out.reserveCapacity(arena.count)
                for i in 0..<arena.count {
                    var p = base + arena.offsets[i], n = arena.offsets[i + 1] - arena.offsets[i]
                    while n > 0, p[0] == 32 { p += 1; n -= 1 }
                    while n > 0, p[n - 1] == 32 { n -= 1 }
                    if arena.valid[i], n > 0, let v = parse(p, n) { out.append(v) } else { out.append(zero); blank.append(i) }
                }
                return out
            }
            var blank: [Int] = []
            let storage: ColumnStorage
            switch type {
            case .string:
                var dictionary = StringDictionaryBuilder()
                var codes = [Int32]()
                codes.reserveCapacity(arena.count)
                for i in 0..<arena.count {
                    let start = arena.offsets[i]
                    codes.append(arena.valid[i] ? dictionary.insert(UnsafeRawPointer(base + start), arena.offsets[i + 1] - start) : 0)
                    if !arena.valid[i] { blank.append(i) }
                }
                storage = .string(codes, dictionary.build())
            case .boolean: storage = .boolean(each(false) { DateParsing.parseBool($0, $1) })
            case .integer: storage = .integer(each(0) { DateParsing.parseInt($0, $1) })
            case .float: storage = .float(each(0) { DateParsing.parseDouble($0, $1) })
            case .date: storage = .date(each(0) { p, n in DateParsing.parseDate(p, n, format: format).map { Int32($0) } })
            case .timestamp:
                storage = .timestamp(each(0) { p, n in
                    DateParsing.parseTimestamp(p, n, format: format) ?? DateParsing.parseDate(p, n, format: format).map { Int64($0) * 86_400_000_000 }
                })
            }
            guard !blank.isEmpty else { return Column(storage) }
            var validity = Validity(count: arena.count, allValid: true)
            for i in blank { validity.set(i, false) }
            return Column(storage, validity: validity)
        }
    }
}

/// Text values side by side in one buffer, each with its start, and which are null: what a
/// reader collects before it knows the column's type.
public struct TextArena: Sendable {
    public private(set) var bytes: [UInt8] = []
    public private(set) var offsets: [Int] = [0]
    public private(set) var valid: [Bool] = []

    public init() {}

    public var count: Int { valid.count }

    public mutating func reserve(_ values: Int) {
        offsets.reserveCapacity(values + 1)
        valid.reserveCapacity(values)
    }

    public mutating func append(_ p: UnsafePointer<UInt8>, _ n: Int) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        offsets.append(bytes.count)
        valid.append(true)
    }

    public mutating func append(_ s: String?) {
        guard var s else { appendNull(); return }
        s.withUTF8 { b in
            bytes.append(contentsOf: b)
        }
        offsets.append(bytes.count)
        valid.append(true)
    }

    public mutating func appendNull() {
        offsets.append(bytes.count)
        valid.append(false)
    }
}
