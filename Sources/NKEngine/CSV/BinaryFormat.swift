/// Files people load by mistake, told apart by their first bytes: a spreadsheet instead of its
/// CSV export, an image, a PDF, a compressed file, UTF-16 text. Each gets a message that names
/// it and says what to do, instead of a complaint about invalid UTF-8.
struct BinaryFormat {
    let name: String
    let hint: String

    init?(_ p: UnsafePointer<UInt8>, _ n: Int) {
        func starts(_ magic: [UInt8]) -> Bool { n >= magic.count && magic.indices.allSatisfy { p[$0] == magic[$0] } }
        let csv = "in the program that made it, save or export it as CSV (UTF-8)"
        if starts([0x50, 0x4B, 0x03, 0x04]) {
            name = "a zip archive (an Excel .xlsx or LibreOffice .ods workbook is one)"
            hint = "in Excel: File › Save As › CSV UTF-8; a zip of CSV files: unpack it first"
        } else if starts([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            name = "an old Excel workbook (.xls)"
            hint = "in Excel: File › Save As › CSV UTF-8"
        } else if starts([0x25, 0x50, 0x44, 0x46]) {
            name = "a PDF document"
            hint = "tables in a PDF must be exported as CSV first"
        } else if starts([0x89, 0x50, 0x4E, 0x47]) || starts([0xFF, 0xD8, 0xFF]) || starts([0x47, 0x49, 0x46, 0x38]) {
            name = "an image (PNG, JPEG or GIF)"
            hint = "check the file name: this is not a table"
        } else if starts([0x1F, 0x8B]) {
            name = "a gzip-compressed file"
            hint = "unpack it first (gunzip), then load the .csv"
        } else if starts([0xFF, 0xFE]) || starts([0xFE, 0xFF]) {
            name = "UTF-16 text (Excel's \"Unicode text\")"
            hint = csv
        } else {
            return nil
        }
    }
}
