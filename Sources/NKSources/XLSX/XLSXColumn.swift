import Foundation
import NKEngine

/// One cell of a sheet as the reader meets it.
enum XLSXCell {
    case number(Double, XLSXWorkbook.Display)
    case text(String)
    case boolean(Bool)
    case error(String)
}

/// One column of a sheet while its rows arrive: numbers (with how their style shows them),
/// booleans, or text once values of different kinds meet, as a CSV column widens.
struct XLSXColumn {
    enum Mode { case empty, number, boolean, text }
    var mode = Mode.empty
    var numbers: [Double] = []
    var displays: Set<XLSXWorkbook.Display> = []
    var booleans: [Bool] = []
    var texts: [String?] = []
    var valid: [Bool] = []
    var errors = 0
    let date1904: Bool

    init(date1904: Bool) { self.date1904 = date1904 }

    var count: Int { valid.count }

    /// Nulls up to `row` (rows are counted from 0).
    mutating func pad(to row: Int) {
        while valid.count < row { appendNull() }
    }

    mutating func appendNull() {
        valid.append(false)
        switch mode {
        case .empty: break
        case .number: numbers.append(0)
        case .boolean: booleans.append(false)
        case .text: texts.append(nil)
        }
    }

    mutating func append(_ cell: XLSXCell, row: Int) {
        pad(to: row)
        switch cell {
        case .error:
            errors += 1
            appendNull()
            return
        case .number(let v, let display):
            if mode == .empty { become(.number) }
            if mode == .number { numbers.append(v); displays.insert(display) } else { toText(); texts.append(spelled(v, display)) }
        case .boolean(let b):
            if mode == .empty { become(.boolean) }
            if mode == .boolean { booleans.append(b) } else { toText(); texts.append(b ? "TRUE" : "FALSE") }
        case .text(let s):
            toText()
            texts.append(s)
        }
        valid.append(true)
    }

    /// Switches an empty column to `mode`, with placeholders for the nulls so far.
    mutating func become(_ m: Mode) {
        mode = m
        switch m {
        case .number: numbers = Array(repeating: 0, count: valid.count)
        case .boolean: booleans = Array(repeating: false, count: valid.count)
        case .text: texts = Array(repeating: nil, count: valid.count)
        case .empty: break
        }
    }

    mutating func toText() {
        switch mode {
        case .text: return
        case .empty: become(.text); return
        case .number:
            let display = displays.count == 1 ? displays.first! : .number
            texts = zip(numbers, valid).map { $1 ? spelled($0, display) : nil }
        case .boolean: texts = zip(booleans, valid).map { $1 ? ($0 ? "TRUE" : "FALSE") : nil }
        }
        numbers = []; booleans = []
        mode = .text
    }

    /// Days since 1970-01-01 of an Excel serial number (the 1900 system counts a 29 February
    /// 1900 that never was: serials before 61 are a day off).
    func day(_ serial: Double) -> Double {
        let epoch = Double(XLSXWorkbook.serialOf1970(date1904: date1904))
        return !date1904 && serial < 61 ? serial - epoch + 1 : serial - epoch
    }

    func spelled(_ v: Double, _ display: XLSXWorkbook.Display) -> String {
        switch display {
        case .number: return v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : "\(v)"
        case .date: return CivilDate.format(Int(day(v).rounded(.down)))
        case .dateTime, .time:
            let micros = XLSXColumn.micros(day(v))
            let text = CivilDate.formatTimestamp(micros)
            return display == .time ? String(text.suffix(8)) : text
        }
    }

    /// Microseconds of a day count with a fraction, to the millisecond (what Excel keeps).
    static func micros(_ days: Double) -> Int64 {
        let whole = days.rounded(.down)
        return Int64(whole) * 86_400_000_000 + Int64(((days - whole) * 86_400_000).rounded()) * 1000
    }

    /// The finished column, padded to `rows`.
    mutating func finish(rows: Int) -> Column {
        pad(to: rows)
        let validity = valid.contains(false) ? Validity(valid) : nil
        switch mode {
        case .empty:
            return Column.nulls(.string, count: rows)
        case .boolean:
            return Column(.boolean(booleans), validity: validity)
        case .text:
            return TextColumn.typed(texts).column
        case .number:
            if displays == [.date], numbers.allSatisfy({ $0 == $0.rounded(.down) }) {
                return Column(.date(numbers.map { Int32(day($0)) }), validity: validity)
            }
            if !displays.isEmpty, displays.isSubset(of: [.date, .dateTime]) {
                return Column(.timestamp(numbers.map { XLSXColumn.micros(day($0)) }), validity: validity)
            }
            if displays == [.time] {
                return TextColumn.typed(zip(numbers, valid).map { $1 ? spelled($0, .time) : nil }).column
            }
            if numbers.allSatisfy({ $0 == $0.rounded() && abs($0) < 9.0e15 }) {
                return Column(.integer(numbers.map { Int64($0) }), validity: validity)
            }
            return Column(.float(numbers), validity: validity)
        }
    }
}
