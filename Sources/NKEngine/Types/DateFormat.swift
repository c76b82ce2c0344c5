#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a date is written: field order and separator (`yyyy-mm-dd`, `dd.mm.yyyy`, `dd/mm/yyyy`,
/// `dd-mm-yyyy`, …), or no separator at all (`yyyymmdd`: then exactly 4, 2 and 2 digits).
public struct DateFormat: Sendable, Hashable, CustomStringConvertible {
    public enum Order: Sendable, Hashable { case ymd, dmy, mdy }
    public var order: Order
    /// The byte between the parts; 0 for none (`yyyymmdd`).
    public var separator: UInt8

    public static let iso = DateFormat(order: .ymd, separator: UInt8(ascii: "-"))
    public static let german = DateFormat(order: .dmy, separator: UInt8(ascii: "."))
    public static let dmySlash = DateFormat(order: .dmy, separator: UInt8(ascii: "/"))
    public static let dmyDash = DateFormat(order: .dmy, separator: UInt8(ascii: "-"))
    /// `19970101`: year, month and day without separators.
    public static let compact = DateFormat(order: .ymd, separator: 0)

    /// The formats the CSV sniffer tries, in order. Compact dates are whole numbers too; a
    /// column of them is read as dates only by the rule in the CSV reader's sniffer.
    public static let sniffed: [DateFormat] = [.iso, .german, .dmySlash, .dmyDash]

    /// The same parts in the other day-month order (`dd/mm/yyyy` ↔ `mm/dd/yyyy`); nil for year first.
    public var swapped: DateFormat? {
        switch order {
        case .ymd: return nil
        case .dmy: return DateFormat(order: .mdy, separator: separator)
        case .mdy: return DateFormat(order: .dmy, separator: separator)
        }
    }

    /// Parses a pattern such as `dd.mm.yyyy`, `yyyy-mm-dd`, `mm/dd/yyyy`, `yyyymmdd` (case-insensitive).
    public init?(pattern: String) {
        let p = pattern.lowercased()
        switch p {
        case "yyyymmdd": self = DateFormat(order: .ymd, separator: 0); return
        case "ddmmyyyy": self = DateFormat(order: .dmy, separator: 0); return
        case "mmddyyyy": self = DateFormat(order: .mdy, separator: 0); return
        default: break
        }
        let seps = p.filter { !"ymd".contains($0) }
        guard let sep = seps.first, seps.allSatisfy({ $0 == sep }), sep.isASCII, seps.count == 2 else { return nil }
        let parts = p.split(separator: sep).map(String.init)
        guard parts.count == 3 else { return nil }
        let key = parts.map { $0.first.map(String.init) ?? "" }.joined()
        switch key {
        case "ymd": order = .ymd
        case "dmy": order = .dmy
        case "mdy": order = .mdy
        default: return nil
        }
        separator = sep.asciiValue!
    }

    public init(order: Order, separator: UInt8) {
        self.order = order
        self.separator = separator
    }

    public var description: String {
        let s = separator == 0 ? "" : String(UnicodeScalar(separator))
        switch order {
        case .ymd: return "yyyy\(s)mm\(s)dd"
        case .dmy: return "dd\(s)mm\(s)yyyy"
        case .mdy: return "mm\(s)dd\(s)yyyy"
        }
    }
}
