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
        var votes = TypeVotes()
        for case let v? in values {
            var v = v
            v.withUTF8 { b in
                guard let base = b.baseAddress else { return }
                votes.add(CSVSniffer.Ref(start: 0, count: b.count, quoted: true, escaped: false), base, [], decimal: UInt8(ascii: "."))
            }
        }
        var decided = votes.decide()
        if !allowed.contains(decided.type) { decided = (.string, nil) }
        return Typed(column: column(values, as: decided.type, format: decided.format ?? .iso), format: decided.format,
                     ambiguousDates: decided.type == .date && votes.ambiguous(decided.format))
    }

    /// The values converted to `type` (each one must fit: ``typed(_:allowed:)`` decided so).
    static func column(_ values: [String?], as type: DataType, format: DateFormat) -> Column {
        func each<T>(_ parse: (UnsafePointer<UInt8>, Int) -> T?) -> [T?] {
            values.map { value in
                guard var v = value else { return nil }
                return v.withUTF8 { b -> T? in
                    guard let base = b.baseAddress else { return nil }
                    var p = base, n = b.count
                    while n > 0, p[0] == 32 { p += 1; n -= 1 }
                    while n > 0, p[n - 1] == 32 { n -= 1 }
                    return n == 0 ? nil : parse(p, n)
                }
            }
        }
        switch type {
        case .string: return .strings(values)
        case .boolean: return .booleans(each { DateParsing.parseBool($0, $1) })
        case .integer: return .integers(each { DateParsing.parseInt($0, $1) })
        case .float: return .floats(each { DateParsing.parseDouble($0, $1) })
        case .date: return .dates(each { p, n in DateParsing.parseDate(p, n, format: format).map { Int32($0) } })
        case .timestamp:
            return .timestamps(each { p, n in
                DateParsing.parseTimestamp(p, n, format: format) ?? DateParsing.parseDate(p, n, format: format).map { Int64($0) * 86_400_000_000 }
            })
        }
    }
}
