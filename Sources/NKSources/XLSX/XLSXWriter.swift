import Foundation
import NKEngine

/// Writes a table as a one-sheet `.xlsx` workbook: typed cells (numbers, booleans, dates and
/// timestamps as Excel serials with a date format, text inline), a bold header row that stays
/// in view when scrolling (a frozen pane). Written through ``AtomicFile``, like every save.
public enum XLSXWriter {
    public static func write(_ table: Table, to path: String, sheet: String? = nil) throws {
        let name = sheetName(sheet ?? ((path as NSString).lastPathComponent as NSString).deletingPathExtension)
        try AtomicFile.write(to: path) { sink in
            try withoutActuallyEscaping(sink) { sink in
                var zip = ZipWriter(sink: sink)
                try zip.add("[Content_Types].xml") { try $0(contentTypes) }
                try zip.add("_rels/.rels") { try $0(packageRelations) }
                try zip.add("xl/workbook.xml") { try $0(workbook(name)) }
                try zip.add("xl/_rels/workbook.xml.rels") { try $0(workbookRelations) }
                try zip.add("xl/styles.xml") { try $0(styles) }
                try zip.add("xl/worksheets/sheet1.xml") { write in try sheetXML(table, write) }
                try zip.finish()
            }
        }
    }

    /// A name Excel accepts for a sheet: at most 31 characters, none of `[]:*?/\`.
    static func sheetName(_ raw: String) -> String {
        let cleaned = String(raw.map { "[]:*?/\\".contains($0) ? "_" : $0 }.prefix(31))
        return cleaned.isEmpty ? "Sheet1" : cleaned
    }

    /// The sheet's XML, a thousand rows at a time.
    static func sheetXML(_ table: Table, _ write: (String) throws -> Void) throws {
        try write("""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0">\
            <pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>
            """)
        let letters = (0..<table.columnCount).map(columnLetters)
        var piece = "<row r=\"1\">"
        for (k, name) in table.names.enumerated() {
            piece += "<c r=\"\(letters[k])1\" t=\"inlineStr\" s=\"1\"><is><t xml:space=\"preserve\">\(escaped(name))</t></is></c>"
        }
        piece += "</row>"
        for row in 0..<table.rowCount {
            let r = row + 2
            piece += "<row r=\"\(r)\">"
            for (k, column) in table.columns.enumerated() where !column.isNull(row) {
                piece += cell(column[row], "\(letters[k])\(r)")
            }
            piece += "</row>"
            if piece.utf8.count > 1 << 16 { try write(piece); piece = "" }
        }
        try write(piece + "</sheetData></worksheet>")
    }

    /// One cell's XML. Days before 1 March 1900 and values Excel cannot hold (NaN, infinity)
    /// are written as text, so nothing is lost.
    static func cell(_ value: Value, _ ref: String) -> String {
        switch value {
        case .integer(let v):
            if abs(v) < 1 << 53 { return "<c r=\"\(ref)\"><v>\(v)</v></c>" }
            return text(String(v), ref)
        case .float(let v):
            return v.isFinite ? "<c r=\"\(ref)\"><v>\(v)</v></c>" : text("\(v)", ref)
        case .boolean(let b): return "<c r=\"\(ref)\" t=\"b\"><v>\(b ? 1 : 0)</v></c>"
        case .date(let d):
            let serial = Int(d) + XLSXWorkbook.serialOf1970(date1904: false)
            return serial >= 61 ? "<c r=\"\(ref)\" s=\"2\"><v>\(serial)</v></c>" : text(value.description, ref)
        case .timestamp(let micros):
            let days = Double(micros) / 86_400_000_000 + Double(XLSXWorkbook.serialOf1970(date1904: false))
            return days >= 61 ? "<c r=\"\(ref)\" s=\"3\"><v>\(days)</v></c>" : text(value.description, ref)
        case .string(let s): return text(s, ref)
        case .null: return ""
        }
    }

    static func text(_ s: String, _ ref: String) -> String {
        "<c r=\"\(ref)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(escaped(s))</t></is></c>"
    }

    /// Text made safe for XML (``XMLText/escaped(_:)``).
    static func escaped(_ s: String) -> String { XMLText.escaped(s) }

    /// 0 → A, 25 → Z, 26 → AA.
    static func columnLetters(_ index: Int) -> String {
        var n = index + 1
        var letters: [Character] = []
        while n > 0 {
            let r = (n - 1) % 26
            letters.insert(Character(Unicode.Scalar(UInt8(65 + r))), at: 0)
            n = (n - 1) / 26
        }
        return String(letters)
    }

    static let contentTypes = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
        <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
        </Types>
        """

    static let packageRelations = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
        </Relationships>
        """

    static func workbook(_ name: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
        <sheets><sheet name="\(escaped(name))" sheetId="1" r:id="rId1"/></sheets></workbook>
        """
    }

    static let workbookRelations = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
        </Relationships>
        """

    /// Styles: 0 plain, 1 bold (the header), 2 a date, 3 a date with time.
    static let styles = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
        <numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/><numFmt numFmtId="165" formatCode="yyyy\\-mm\\-dd\\ hh:mm:ss"/></numFmts>\
        <fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
        <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
        <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
        <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
        <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>\
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
        </styleSheet>
        """
}
