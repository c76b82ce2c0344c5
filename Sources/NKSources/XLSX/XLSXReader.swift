import Foundation
import NKEngine

/// Reads `.xlsx` workbooks: every sheet a table, or one named sheet. A sheet's XML is inflated
/// and scanned in pieces, cell by cell into typed columns, so a sheet of a million rows is never
/// in memory as text. Formulas count as the value Excel saved with them; empty trailing rows and
/// columns are left out; the first row is the header when every cell of it is text.
public enum XLSXReader {
    public struct Sheet {
        public var name: String
        public var read: SourceRead
    }

    /// The sheets of the workbook at `path` (`shown` is how messages name it), or the one
    /// called `sheet`.
    public static func load(path: String, shown: String, sheet: String? = nil, context: ExecutionContext = ExecutionContext()) throws -> [Sheet] {
        switch FileKind.of(path) {
        case .zip: break
        case .missing:
            throw EngineError(.missingFile, "\(shown): no such file", hint: "check the path; .xlsx workbooks are read by load \"file.xlsx\"")
        case let kind:
            let what = FileKind.describe(path)
            let hint = kind == .text ? "it is not a workbook: to read it as CSV, give a load option, e.g. load \"\(shown)\" with delimiter ','"
                : FileKind.hint(path, shown: shown, attaching: false)
            throw EngineError(.invalidInput, "\(shown) is not an Excel workbook: it is \(what)", hint: hint)
        }
        let archive = try ZipArchive(path: path, shown: shown)
        let book = try XLSXWorkbook(archive)
        var chosen = book.sheets
        if let sheet {
            guard let found = book.sheets.first(where: { $0.name == sheet }) ?? book.sheets.first(where: { $0.name.lowercased() == sheet.lowercased() }) else {
                let names = book.sheets.map(\.name)
                throw EngineError(.unknownName, "\(shown) has no sheet \"\(sheet)\"",
                                  hint: NameSuggestion.nearest(to: sheet, in: names).map { "did you mean \"\($0)\"?" } ?? "sheets: " + names.joined(separator: ", "))
            }
            chosen = [found]
        }
        if chosen.isEmpty { throw archive.damaged("it lists no sheets") }
        return try chosen.map { s in
            guard archive.has(s.part) else { throw archive.damaged("sheet \"\(s.name)\" is listed but its part \(s.part) is missing") }
            return Sheet(name: s.name, read: try readSheet(s.part, book, context: context))
        }
    }

    /// One sheet's cells, collected column by column.
    static func readSheet(_ part: String, _ book: XLSXWorkbook, context: ExecutionContext) throws -> SourceRead {
        var columns: [XLSXColumn] = []
        var first: [Int: XLSXCell] = [:]
        var firstRow: Int?
        var lastRow = -1
        var row = -1, column = 0, previousRow = -1
        var type: UInt8 = 0, style = 0
        var value: [UInt8] = []
        var capturing = false, inCell = false
        var rowsSeen = 0
        var formula = false, unsaved = 0
        func cell() throws {
            defer { inCell = false; formula = false }
            guard column >= 0 else { throw book.archive.damaged("a cell ends outside any row") }
            guard !value.isEmpty else {   // an empty cell is no value
                if formula { unsaved += 1 }
                return
            }
            let made = try makeCell(value, type: type, style: style, book)
            guard let made else { return }
            if firstRow == nil { firstRow = row }
            if row == firstRow {
                guard first[column] == nil else { throw book.archive.damaged("two cells of row \(row + 1) are at the same place") }
                first[column] = made
            } else {
                while columns.count <= column { columns.append(XLSXColumn(date1904: book.date1904)) }
                guard columns[column].count <= row - firstRow! - 1 else {
                    throw book.archive.damaged("two cells of row \(row + 1) are at the same place, or out of order")
                }
                columns[column].append(made, row: row - firstRow! - 1)
            }
            lastRow = max(lastRow, row)
        }
        try book.scan(part) { t in
            switch t.kind {
            case .start, .empty:
                if t.named("c") {
                    column = t.attribute("r").map(columnIndex) ?? column + 1
                    guard column < XLSXReader.maxColumns else {
                        throw book.archive.damaged("a cell lies beyond column XFD, the last an Excel sheet has")
                    }
                    // s: shared string, str and inlineStr: text, b: boolean, e: error, else a number
                    let kind = t.attributeText("t") ?? "n"
                    type = kind == "s" ? 115 : kind == "b" ? 98 : kind == "e" ? 101 : kind == "str" || kind == "inlineStr" || kind == "d" ? 116 : 0
                    style = t.attributeText("s").flatMap { Int($0) } ?? 0
                    value.removeAll(keepingCapacity: true)
                    inCell = true
                    if t.kind == .empty { try cell() }
                } else if t.named("row") {
                    inCell = false   // a cell left open in the row before is dropped
                    previousRow = row
                    row = (t.attributeText("r").flatMap { Int($0) }).map { $0 - 1 } ?? row + 1
                    guard row >= 0, row < XLSXReader.maxRows, row > previousRow else {
                        throw book.archive.damaged("a row is numbered \(row + 1), outside 1 to 1,048,576 or before the rows above it")
                    }
                    column = -1
                    rowsSeen += 1
                    if rowsSeen & 0x3FFF == 0 { try context.cancellation.check() }
                } else if inCell, t.named("v") || t.named("t") {
                    capturing = t.kind == .start
                } else if inCell, t.named("f") {
                    formula = true
                }
            case .end:
                if t.named("c") { if inCell { try cell() } } else if t.named("v") || t.named("t") { capturing = false }
            case .text:
                if capturing { XMLScanner.decode(t.body, into: &value) }
            }
        }
        var read = try table(first: first, columns: &columns, rows: firstRow.map { lastRow - $0 } ?? 0)
        if unsaved > 0 {
            read.warnings.append("\(Value.grouped(unsaved)) formula cells have no saved value (the program that wrote the workbook did not calculate them) and are null; open and save it in Excel or LibreOffice to keep their values")
        }
        return read
    }

    /// A cell's value by its type letter (`s` shared string, `b`, `e`, text, else a number with
    /// its style's number format).
    static func makeCell(_ value: [UInt8], type: UInt8, style: Int, _ book: XLSXWorkbook) throws -> XLSXCell? {
        let made: XLSXCell? = value.withUnsafeBufferPointer { b -> XLSXCell? in
            let p = b.baseAddress!, n = b.count
            switch type {
            case 115:   // s: a shared string
                guard let i = DateParsing.parseInt(p, n), i >= 0, i < book.sharedStrings.count else { return nil }
                return .text(book.sharedStrings[Int(i)])
            case 98: return .boolean(n == 1 ? p[0] == 49 : String(decoding: b, as: UTF8.self).lowercased() == "true")
            case 101: return .error(String(decoding: b, as: UTF8.self))
            case 116: return .text(String(decoding: b, as: UTF8.self))
            default:
                guard let v = DateParsing.parseDouble(p, n) else { return .text(String(decoding: b, as: UTF8.self)) }
                // (a style the workbook does not have, a negative one too, is no format)
                let display = book.styles.indices.contains(style) ? book.styles[style] : .number
                // a date or time format on a number that is no day Excel shows shows the number
                if display != .number, !book.days.contains(v) { return .number(v, .number) }
                return .number(v, display)
            }
        }
        if made == nil, type == 115 {
            throw book.archive.damaged("a cell refers to shared string \(String(decoding: value, as: UTF8.self)), which the workbook does not have")
        }
        return made
    }

    /// The most rows and columns an Excel sheet has: a cell beyond them is damage, not data.
    static let maxRows = 1_048_576, maxColumns = 16_384

    /// `B12` → 1 (columns from 0); more than three letters → past the last column.
    static func columnIndex(_ reference: UnsafeBufferPointer<UInt8>) -> Int {
        var n = 0, letters = 0
        for c in reference {
            guard c >= 65 && c <= 90 || c >= 97 && c <= 122 else { break }
            letters += 1
            if letters > 3 { return maxColumns }
            n = n * 26 + Int((c | 0x20) - 96)
        }
        return max(0, n - 1)
    }

    /// The table: the first row is the header when all its cells are text; otherwise it is data
    /// and the columns are named column_1, column_2, ….
    static func table(first: [Int: XLSXCell], columns: inout [XLSXColumn], rows: Int) throws -> SourceRead {
        let width = max(columns.count, (first.keys.max() ?? -1) + 1)
        while columns.count < width { columns.append(XLSXColumn(date1904: columns.first?.date1904 ?? false)) }
        let header = !first.isEmpty && first.values.allSatisfy { if case .text(let s) = $0 { return !s.isEmpty } else { return false } }
        var notes: [String] = []
        var names: [String] = []
        var seen = Set<String>(minimumCapacity: width)
        for k in 0..<width {
            var name = "column_\(k + 1)"
            if header, case .text(let s)? = first[k] { name = s.trimmingCharacters(in: .whitespaces) }
            var unique = name
            var n = 2
            while !seen.insert(unique.lowercased()).inserted { unique = "\(name)_\(n)"; n += 1 }
            names.append(unique)
        }
        var dataRows = rows
        if !header && !first.isEmpty {
            // the first row is data: put it in front
            var shifted = (0..<width).map { _ in XLSXColumn(date1904: columns.first?.date1904 ?? false) }
            for k in 0..<width {
                if let c = first[k] { shifted[k].append(c, row: 0) }
                shifted[k].pad(to: 1)
            }
            for k in 0..<width { shifted[k].appendAll(from: columns[k]) }
            columns = shifted
            dataRows += 1
            notes.append("the first row holds numbers or empty cells, so it is read as data; the columns are named column_1 …")
        }
        let errors = columns.reduce(0) { $0 + $1.errors }
        var pairs: [(String, Column)] = []
        for k in 0..<width { pairs.append((names[k], columns[k].finish(rows: dataRows))) }
        let warnings = errors > 0 ? ["\(Value.grouped(errors)) error cells (#N/A, #DIV/0!, …) read as null"] : []
        return SourceRead(table: try Table(pairs), notes: notes, warnings: warnings)
    }
}

extension XLSXColumn {
    /// Appends every row of `other` (same workbook).
    mutating func appendAll(from other: XLSXColumn) {
        let offset = count
        for i in 0..<other.count where other.valid[i] {
            let cell: XLSXCell
            switch other.mode {
            case .number: cell = .number(other.numbers[i], other.displays.count == 1 ? other.displays.first! : .number)
            case .boolean: cell = .boolean(other.booleans[i])
            case .text: cell = .text(other.texts[i] ?? "")
            case .empty: continue
            }
            append(cell, row: offset + i)
        }
        errors += other.errors
        pad(to: offset + other.count)
    }
}
