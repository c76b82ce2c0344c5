import Foundation

/// What a file is by its first bytes, for errors that tell a user what they gave nk.
public enum FileKind {
    public enum Kind { case sqlite, zip, oldExcel, pdf, empty, text, binary, missing }

    public static func of(_ path: String) -> Kind {
        guard let handle = FileHandle(forReadingAtPath: path) else { return .missing }
        defer { try? handle.close() }
        let head = Array((try? handle.read(upToCount: 16)) ?? Data())
        if head.isEmpty { return .empty }
        if head.count >= 16, head == SQLiteDatabase.magic { return .sqlite }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0x50, 0x4B, 0x05, 0x06]) { return .zip }
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return .oldExcel }
        if head.starts(with: Array("%PDF".utf8)) { return .pdf }
        if head.contains(0) { return .binary }
        return .text
    }

    /// "a CSV or other text file", "an Excel workbook", … for messages.
    public static func describe(_ path: String) -> String {
        switch of(path) {
        case .sqlite: return "a SQLite database"
        case .zip: return "a zip archive, as Excel workbooks (.xlsx) are"
        case .oldExcel: return "an old binary Office file, as Excel 97–2003 workbooks (.xls) and password-protected workbooks are"
        case .pdf: return "a PDF document"
        case .empty: return "an empty file"
        case .text: return "a text file, such as CSV"
        case .binary: return "a binary file nk does not know"
        case .missing: return "it cannot be read"
        }
    }

    /// What to do with the file instead.
    public static func hint(_ path: String, shown: String, attaching: Bool) -> String {
        switch of(path) {
        case .text: return "load it: load \"\(shown)\""
        case .zip: return "load it: load \"\(shown)\" (every sheet becomes a table)"
        case .oldExcel: return "save it from Excel or LibreOffice as .xlsx (without a password), or as CSV, and load that"
        case .sqlite: return "attach it: attach \"\(shown)\" as db"
        default: return attaching ? "attach names a SQLite file or a postgresql:// address" : "nk reads CSV, .xlsx and SQLite files"
        }
    }
}
