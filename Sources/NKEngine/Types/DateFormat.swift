#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a date is written: field order and separator (`yyyy-mm-dd`, `dd.mm.yyyy`, `dd/mm/yyyy`, …).
public struct DateFormat: Sendable, Hashable, CustomStringConvertible {
    public enum Order: Sendable, Hashable { case ymd, dmy, mdy }
    public var order: Order
    public var separator: UInt8

    public static let iso = DateFormat(order: .ymd, separator: UInt8(ascii: "-"))
    public static let german = DateFormat(order: .dmy, separator: UInt8(ascii: "."))
    public static let dmySlash = DateFormat(order: .dmy, separator: UInt8(ascii: "/"))

    /// The formats the CSV sniffer tries, in order.
    public static let sniffed: [DateFormat] = [.iso, .german, .dmySlash]

    /// Parses a pattern such as `dd.mm.yyyy`, `yyyy-mm-dd`, `mm/dd/yyyy` (case-insensitive).
    public init?(pattern: String) {
        let p = pattern.lowercased()
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
        let s = String(UnicodeScalar(separator))
        switch order {
        case .ymd: return "yyyy\(s)mm\(s)dd"
        case .dmy: return "dd\(s)mm\(s)yyyy"
        case .mdy: return "mm\(s)dd\(s)yyyy"
        }
    }
}
