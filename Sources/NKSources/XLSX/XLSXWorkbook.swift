import Foundation
import NKEngine

/// What a workbook says about itself before any sheet is read: its sheets in order with the
/// parts that hold them, its date system, the number format of each cell style, and its shared
/// strings.
struct XLSXWorkbook {
    /// How a cell style shows a number.
    enum Display { case number, date, dateTime, time }

    var sheets: [(name: String, part: String)] = []
    var date1904 = false
    /// The serial numbers of the days Excel shows: from 0 to 9999-12-31, serial 2,958,465 in the
    /// 1900 date system and 2,957,003 in the 1904 one.
    var days: Range<Double> { 0..<Double(XLSXWorkbook.lastDay + XLSXWorkbook.serialOf1970(date1904: date1904) + 1) }

    /// The serial number of 1970-01-01: days from serial 0, which is 1899-12-30 in the 1900 date
    /// system (25,569) and 1904-01-01 in the 1904 one (24,107). (Worked out once: it is asked
    /// for every date cell.)
    static func serialOf1970(date1904: Bool) -> Int { date1904 ? serialOf1970In1904 : serialOf1970In1900 }
    private static let serialOf1970In1900 = -CivilDate.days(year: 1899, month: 12, day: 30)
    private static let serialOf1970In1904 = -CivilDate.days(year: 1904, month: 1, day: 1)
    /// Excel's last day, 9999-12-31, in days since 1970-01-01.
    private static let lastDay = CivilDate.days(year: 9999, month: 12, day: 31)
    var styles: [Display] = []
    var sharedStrings: [String] = []
    let archive: ZipArchive

    init(_ archive: ZipArchive) throws {
        self.archive = archive
        guard archive.has("xl/workbook.xml") else {
            throw archive.damaged("it is a zip archive without xl/workbook.xml, so not an Excel workbook")
        }
        var relations: [String: String] = [:]
        if archive.has("xl/_rels/workbook.xml.rels") {
            try scan("xl/_rels/workbook.xml.rels") { t in
                if t.kind != .end, t.named("Relationship"), let id = t.attributeText("Id"), let target = t.attributeText("Target") {
                    relations[id] = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
                }
            }
        }
        var listed: [(String, String?)] = []
        try scan("xl/workbook.xml") { t in
            guard t.kind != .end else { return }
            if t.named("sheet"), let name = t.attributeText("name") {
                listed.append((name, t.attributeText("id").flatMap { relations[$0] }))
            } else if t.named("workbookPr"), let v = t.attributeText("date1904") {
                date1904 = v == "1" || v.lowercased() == "true"
            }
        }
        sheets = listed.enumerated().map { k, s in (s.0, s.1 ?? "xl/worksheets/sheet\(k + 1).xml") }
        if archive.has("xl/styles.xml") { try readStyles() }
        if let shared = relations.values.first(where: { $0.hasSuffix("sharedStrings.xml") }) ?? (archive.has("xl/sharedStrings.xml") ? "xl/sharedStrings.xml" : nil),
           archive.has(shared) {
            try readSharedStrings(shared)
        }
    }

    func scan(_ part: String, _ handle: (XMLScanner.Token) throws -> Void) throws {
        var scanner = XMLScanner()
        try archive.read(part) { try scanner.feed($0, handle) }
        try scanner.finish(handle)
    }

    private mutating func readStyles() throws {
        var formats: [Int: String] = [:]
        var inCellXfs = false
        var xfs: [Int] = []
        try scan("xl/styles.xml") { t in
            if t.named("numFmt"), t.kind != .end, let id = t.attributeText("numFmtId").flatMap({ Int($0) }) {
                formats[id] = t.attributeText("formatCode") ?? ""
            } else if t.named("cellXfs") {
                inCellXfs = t.kind == .start
            } else if inCellXfs, t.named("xf"), t.kind != .end {
                xfs.append(t.attributeText("numFmtId").flatMap { Int($0) } ?? 0)
            }
        }
        styles = xfs.map { XLSXWorkbook.display(id: $0, code: formats[$0]) }
    }

    /// Whether a number format shows a date, a time or both: Excel's built-in formats by
    /// number, custom ones by their letters outside quotes and brackets.
    static func display(id: Int, code: String?) -> Display {
        switch id {
        case 14...17, 27...31, 34...36, 50...58: return .date
        case 22: return .dateTime
        case 18...21, 32, 33, 45...47: return .time
        default: break
        }
        guard let code, id >= 164 else { return .number }
        var plain = ""
        var quoted = false, bracket = false, escaped = false
        for ch in code {
            if escaped { escaped = false; continue }
            switch ch {
            case "\\": escaped = true
            case "\"": quoted.toggle()
            case "[" where !quoted: bracket = true
            case "]" where !quoted: bracket = false
            default: if !quoted && !bracket { plain.append(ch) }
            }
        }
        let lower = plain.lowercased()
        let hasDate = lower.contains("y") || lower.contains("d")
        let hasTime = lower.contains("h") || lower.contains("s")
        if hasDate { return hasTime ? .dateTime : .date }
        return hasTime ? .time : .number
    }

    private mutating func readSharedStrings(_ part: String) throws {
        var current: [UInt8] = []
        var inText = false, phonetic = false
        var strings: [String] = []
        try scan(part) { t in
            switch t.kind {
            case .start, .empty:
                if t.named("si") { current.removeAll(keepingCapacity: true) }
                else if t.named("t") { inText = t.kind == .start }
                else if t.named("rPh") { phonetic = t.kind == .start }
                if t.kind == .empty, t.named("si") { strings.append("") }
            case .end:
                if t.named("t") { inText = false }
                else if t.named("rPh") { phonetic = false }
                else if t.named("si") { strings.append(String(decoding: current, as: UTF8.self)) }
            case .text:
                if inText, !phonetic { XMLScanner.decode(t.body, into: &current) }
            }
        }
        sharedStrings = strings
    }
}
