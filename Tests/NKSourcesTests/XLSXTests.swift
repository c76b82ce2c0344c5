import Foundation
import NKEngine
@testable import NKSources
import NKTestSupport
import Testing

/// Workbooks written by openpyxl and LibreOffice (`Tests/Corpus/xlsx/make_*`), damaged ones,
/// and nk's own saved workbooks read back.
@Suite struct XLSXTests {
    static func path(_ name: String) -> String { TestPaths.corpus("xlsx").appendingPathComponent(name).path }

    static func sheet(_ file: String, _ sheet: String) throws -> SourceRead {
        try XLSXReader.load(path: path(file), shown: file, sheet: sheet)[0].read
    }

    @Test func aWorkbookCutShortAfterItWasOpenedIsStillReadWhole() throws {
        // the archive holds the file's bytes, not a mapping: a mapped file cut short under nk
        // would stop it with SIGBUS at the first page past the new end
        let copy = try TestPaths.temporaryDirectory().appendingPathComponent("book.xlsx").path
        try FileManager.default.copyItem(atPath: Self.path("libreoffice_crm.xlsx"), toPath: copy)
        let archive = try ZipArchive(path: copy, shown: "book.xlsx")
        #expect(truncate(copy, 0) == 0)
        let workbook = try archive.text("xl/workbook.xml")
        #expect(String(decoding: workbook, as: UTF8.self).contains("<sheets>"))
        // read again now, the empty file is an error, not a crash
        #expect(throws: EngineError.self) { try XLSXReader.load(path: copy, shown: "book.xlsx") }
    }

    @Test func aWorkbookReplacedByRenameWhileReadIsAnErrorAndTheNextLoadReadsTheNewOne() throws {
        // another program saves by writing a new file and renaming it over the old one, right
        // after nk read the old one's bytes
        let folder = try TestPaths.temporaryDirectory()
        let book = folder.appendingPathComponent("renamed.xlsx").path, fresh = folder.appendingPathComponent("renamed.new").path
        try FileManager.default.copyItem(atPath: Self.path("libreoffice_crm.xlsx"), toPath: book)
        try FileManager.default.copyItem(atPath: Self.path("openpyxl_wide.xlsx"), toPath: fresh)
        ZipArchive.afterReading.set(book) { _ = rename(fresh, book) }
        defer { ZipArchive.afterReading.set(book, nil) }
        let error = #expect(throws: EngineError.self) { try XLSXReader.load(path: book, shown: "renamed.xlsx") }
        #expect(error?.message == "renamed.xlsx changed while nk read it")
        #expect(error?.hint?.contains("nothing was loaded") == true)
        ZipArchive.afterReading.set(book, nil)
        #expect(try XLSXReader.load(path: book, shown: "renamed.xlsx").map(\.name) == ["wide"])
    }

    @Test func everySheetIsATableInWorkbookOrder() throws {
        #expect(try XLSXReader.load(path: Self.path("openpyxl_crm.xlsx"), shown: "crm.xlsx").map(\.name) == ["Kunden", "Orders", "Notes"])
    }

    @Test func cellsAreTypedByTheirValuesAndNumberFormats() throws {
        let read = try Self.sheet("openpyxl_crm.xlsx", "Kunden")
        #expect(goldenText(read.table) == """
            schema: id integer, name string, status string, since date, last_seen timestamp, revenue float, vip boolean, zip string, share string
            rows: 4
            id|name|status|since|last_seen|revenue|vip|zip|share
            1|Anna Berg|lost|2021-03-04|2024-01-05 09:30:00|1200.5|true|01067|null
            2|Bernd Cole|customer|2022-01-10|2024-02-01 14:00:00|300|false|10115|null
            3|Carla Dietz|lost|2020-12-01|null|null|false|80331|null
            4|Dora & Söhne <GmbH>|prospect|2023-05-06|2023-05-06 00:00:01|50.25|null|null|null

            """)
        // openpyxl writes formulas without calculating them
        #expect(read.warnings.first?.hasPrefix("4 formula cells have no saved value") == true)
    }

    @Test func libreOfficeSharedStringsAndCalculatedFormulas() throws {
        let read = try Self.sheet("libreoffice_crm.xlsx", "Kunden")
        #expect(read.table.column("name")?.values.map(\.description) == ["Anna Berg", "Bernd Cole", "Carla Dietz", "Dora & Söhne <GmbH>"])
        let share = read.table.column("share")?.doubles ?? []
        #expect(share.count == 4 && abs(share[0] - 1200.5 / 1550.75) < 1e-12 && share[2] == 0)
        #expect(read.table.column("since")?.type == .date)
        #expect(read.warnings.isEmpty)
        let orders = try Self.sheet("libreoffice_crm.xlsx", "Orders")
        #expect(orders.table.rowCount == 30)
        #expect(orders.table.column("order_date")?.values.first?.description == "2024-01-04")
    }

    @Test func theMacDateSystemOf1904() throws {
        let read = try Self.sheet("openpyxl_1904.xlsx", "dates1904")
        #expect(read.table.column("day")?.values.map(\.description) == ["2024-02-29", "1999-12-31"])
        #expect(read.table.column("moment")?.values.map(\.description) == ["2024-02-29 23:59:59", "2000-01-01 00:00:00"])
    }

    @Test func aFirstRowWithNumbersIsData() throws {
        let read = try Self.sheet("openpyxl_crm.xlsx", "Notes")
        #expect(read.table.names == ["column_1", "column_2"])
        #expect(read.table.rowCount == 2)
    }

    @Test func repeatedHeadersAreNumberedWhateverTheirCase() throws {
        var columns: [XLSXColumn] = []
        let read = try XLSXReader.table(first: [0: .text("Name"), 1: .text("name"), 2: .text(" Name "), 3: .text("name_2")],
                                        columns: &columns, rows: 0)
        #expect(read.table.names == ["Name", "name_2", "Name_3", "name_2_2"])
        #expect(read.table.rowCount == 0)
    }

    @Test func anUnknownSheetIsNamedWithTheNearest() throws {
        let error = #expect(throws: EngineError.self) { try Self.sheet("openpyxl_crm.xlsx", "Kundn") }
        #expect(error?.message == "openpyxl_crm.xlsx has no sheet \"Kundn\"")
        #expect(error?.hint == "did you mean \"Kunden\"?")
        // the sheet's name in any letter case
        #expect(try Self.sheet("openpyxl_crm.xlsx", "orders").table.rowCount == 30)
    }

    @Test func whatIsNotAWorkbookSaysWhatItIs() throws {
        let folder = try TestPaths.temporaryDirectory()
        func file(_ name: String, _ bytes: [UInt8]) throws -> String {
            let p = folder.appendingPathComponent(name).path
            try Data(bytes).write(to: URL(fileURLWithPath: p))
            return p
        }
        func error(_ p: String) -> EngineError? {
            #expect(throws: EngineError.self) { try XLSXReader.load(path: p, shown: (p as NSString).lastPathComponent) }
        }
        let csv = error(try file("export.xlsx", Array("id,name\n1,a\n".utf8)))
        #expect(csv?.message == "export.xlsx is not an Excel workbook: it is a text file, such as CSV")
        #expect(csv?.hint == "it is not a workbook: to read it as CSV, give a load option, e.g. load \"export.xlsx\" with delimiter ','")
        let old = error(try file("old.xls", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array(repeating: 0, count: 504)))
        #expect(old?.message.hasPrefix("old.xls is not an Excel workbook: it is an old binary Office file") == true)
        #expect(old?.hint == "save it from Excel or LibreOffice as .xlsx (without a password), or as CSV, and load that")
        let whole = try Array(Data(contentsOf: URL(fileURLWithPath: Self.path("openpyxl_crm.xlsx"))))
        let cut = error(try file("cut.xlsx", Array(whole.prefix(whole.count / 2))))
        #expect(cut?.message == "cut.xlsx is not a readable workbook: its zip directory is missing")
        // a workbook whose sheet part is missing
        let p = folder.appendingPathComponent("nosheet.xlsx").path
        try AtomicFile.write(to: p) { sink in
            try withoutActuallyEscaping(sink) { sink in
                var zip = ZipWriter(sink: sink)
                try zip.add("xl/workbook.xml") { try $0(XLSXWriter.workbook("Kunden")) }
                try zip.add("xl/_rels/workbook.xml.rels") { try $0(XLSXWriter.workbookRelations) }
                try zip.finish()
            }
        }
        let missing = error(p)
        #expect(missing?.message == "nosheet.xlsx is not a readable workbook: sheet \"Kunden\" is listed but its part xl/worksheets/sheet1.xml is missing")
    }

    /// Every type, with what Excel cannot hold, through nk's writer and back.
    static let everyType: Table = {
        makeTable([
            ("id", .integers([1, 9_007_199_254_740_993, nil])),
            ("name", .strings(["Zoë & <Co>", "tab\there\u{1}", nil])),
            ("amount", .floats([0.1, .nan, -2.5e-7])),
            ("vip", .booleans([true, false, nil])),
            ("since", .dates([Int32(CivilDate.days(year: 2024, month: 2, day: 29)), Int32(CivilDate.days(year: 1899, month: 12, day: 31)), nil])),
            ("seen", .timestamps([1_704_447_000_000_000, nil, 0])),
        ])
    }()

    @Test func nksOwnWorkbookReadsBackTheSame() throws {
        let p = try TestPaths.temporaryDirectory().appendingPathComponent("back.xlsx").path
        try XLSXWriter.write(Self.everyType, to: p)
        let back = try XLSXReader.load(path: p, shown: "back.xlsx")
        #expect(back.map(\.name) == ["back"])
        #expect(goldenText(back[0].read.table) == """
            schema: id integer, name string, amount string, vip boolean, since date, seen timestamp
            rows: 3
            id|name|amount|vip|since|seen
            1|Zoë & <Co>|0.1|true|2024-02-29|2024-01-05 09:30:00
            9007199254740993|tab\there |nan|false|1899-12-31|null
            null|null|-2.5e-07|null|null|1970-01-01 00:00:00

            """)
    }

    /// A workbook of 70,000 rows read with Ctrl-C at each place the reader checks (every
    /// 16,384 rows), in turn: each stop throws "cancelled", and the read that ends has every row.
    @Test func aReadStoppedAtEveryPlaceIsCancelled() throws {
        let n = 70_000
        let table = makeTable([
            ("id", .integers((0..<n).map { Int64($0) })),
            ("name", .strings((0..<n).map { "Firma \($0 % 997)" })),
            ("amount", .floats((0..<n).map { Double($0 % 1000) / 4 })),
        ])
        let p = try TestPaths.temporaryDirectory().appendingPathComponent("many.xlsx").path
        try XLSXWriter.write(table, to: p)
        let whole = goldenText(try XLSXReader.load(path: p, shown: "many.xlsx")[0].read.table)
        let ended = CancellationFlag.stoppingAtEachReading(eachUpTo: 100, limit: 100) { flag, reading in
            let read = try XLSXReader.load(path: p, shown: "many.xlsx", context: ExecutionContext(cancellation: flag))
            #expect(goldenText(read[0].read.table) == whole, "the read that ended, at reading \(reading)")
        } stopped: { error, reading in
            #expect((error as? EngineError)?.category == .cancelled, "reading \(reading): \(error)")
        }
        let reading = try #require(ended, "the read was still stopping after 100 readings")
        #expect(reading > n / 16_384, "the reader checked only \(reading - 1) times")
    }

    @Test(.enabled(if: OpenPyXL.available, "python3 with openpyxl is not installed: pip install openpyxl"))
    func openpyxlReadsNksWorkbook() throws {
        let p = try TestPaths.temporaryDirectory().appendingPathComponent("lapsed.xlsx").path
        try XLSXWriter.write(Self.everyType, to: p)
        let seen = try OpenPyXL.run("""
            import openpyxl, sys
            wb = openpyxl.load_workbook(sys.argv[1])
            ws = wb.active
            print(ws.title, ws.freeze_panes, ws["A1"].font.b, ws["E2"].number_format)
            for row in ws.iter_rows(values_only=True): print(repr(row))
            """, p)
        #expect(seen == """
            lapsed A2 True yyyy\\-mm\\-dd
            ('id', 'name', 'amount', 'vip', 'since', 'seen')
            (1, 'Zoë & <Co>', 0.1, True, datetime.datetime(2024, 2, 29, 0, 0), datetime.datetime(2024, 1, 5, 9, 30))
            ('9007199254740993', 'tab\\there ', 'nan', False, '1899-12-31', None)
            (None, None, -2.5e-07, None, None, datetime.datetime(1970, 1, 1, 0, 0))

            """)
    }
}

extension XLSXTests {
    /// A workbook of one sheet from a sheet's XML, its shared strings and styles, split at 0xFF
    /// bytes as the fuzz target splits its input; the file's path.
    static func workbook(_ bytes: [UInt8]) throws -> String {
        let parts = bytes.split(separator: 0xFF, maxSplits: 2, omittingEmptySubsequences: false).map(Array.init)
        let p = try TestPaths.temporaryDirectory().appendingPathComponent("fuzz.xlsx").path
        try AtomicFile.write(to: p) { sink in
            try withoutActuallyEscaping(sink) { sink in
                var zip = ZipWriter(sink: sink)
                try zip.add("xl/workbook.xml") { try $0(XLSXWriter.workbook("S")) }
                try zip.add("xl/_rels/workbook.xml.rels") { try $0(XLSXWriter.workbookRelations) }
                // the bytes as the fuzzer wrote them, invalid UTF-8 and all
                try zip.add("xl/worksheets/sheet1.xml", bytes: { try $0(parts[0]) })
                if parts.count > 1 { try zip.add("xl/sharedStrings.xml", bytes: { try $0(parts[1]) }) }
                if parts.count > 2 { try zip.add("xl/styles.xml", bytes: { try $0(parts[2]) }) }
                try zip.finish()
            }
        }
        return p
    }

    /// A cell whose style the workbook does not have, a negative one too, has no format.
    @Test func aStyleTheWorkbookDoesNotHaveIsNoFormat() throws {
        for style in ["-1", "7"] {
            let text = "<sheetData><row r=\"1\"><c r=\"A1\" s=\"\(style)\"><v>45000</v></c></row></sheetData>"
            let t = try XLSXReader.load(path: try Self.workbook(Array(text.utf8)), shown: "styles.xlsx")[0].read.table
            #expect(t.column("column_1")?.values == [.integer(45_000)], "\(style)")
        }
    }

    /// A date or time format on a number that is no day (negative, after the year 9999, far
    /// too large for any date type) shows the number, as the column's other numbers do.
    @Test func aDateFormatOnANumberThatIsNoDayShowsTheNumber() throws {
        func read(_ values: [String], format: Int) throws -> Table {
            let cells = values.enumerated().map { "<row r=\"\($0.offset + 2)\"><c r=\"A\($0.offset + 2)\" s=\"1\"><v>\($0.element)</v></c></row>" }
            let text = "<sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>\(cells.joined())</sheetData>\u{1}"
                + "<sst><si><t>when</t></si></sst>\u{1}"
                + "<styleSheet><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"\(format)\"/></cellXfs></styleSheet>"
            // (0xFF, which is not UTF-8, splits the parts)
            let p = try Self.workbook(Array(text.utf8).map { $0 == 1 ? 0xFF : $0 })
            return try XLSXReader.load(path: p, shown: "dates.xlsx")[0].read.table
        }
        // a date format (14) and a date-and-time format (22)
        for format in [14, 22] {
            let t = try read(["45000", "5555550555555555", "-1"], format: format)
            #expect(t.column("when")?.values == [.integer(45_000), .integer(5_555_550_555_555_555), .integer(-1)], "\(format)")
            let huge = try read(["1e300"], format: format)
            #expect(huge.column("when")?.values == [.float(1e300)])
        }
        // a time format (20) on a number past the last day
        #expect(try read(["3000000.5"], format: 20).column("when")?.values == [.float(3_000_000.5)])
        // the days Excel shows are still days, up to its last; the day after is a number
        #expect(try read(["45000", "2958465"], format: 14).column("when")?.values.map(\.description) == ["2023-03-15", "9999-12-31"])
        #expect(try read(["2958466"], format: 14).column("when")?.values == [.integer(2_958_466)])
    }

    /// What the fuzzer found (`Scripts/fuzz.sh xlsx`): a sheet, its shared strings and styles
    /// split at 0xFF bytes, as the fuzz target builds its workbook. Each gives tables or an
    /// error, never a crash.
    @Test func fuzzFindingsAreErrorsNotCrashes() throws {
        let folder = TestPaths.corpus("xlsx/fuzz")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(!files.isEmpty)
        for file in files {
            let p = try Self.workbook(Array(Data(contentsOf: folder.appendingPathComponent(file))))
            do {
                _ = try XLSXReader.load(path: p, shown: file)
            } catch let e as EngineError {
                #expect(e.message.hasPrefix("\(file) is not a readable workbook"), "\(file): \(e.message)")
            }
        }
    }
}

/// Python with openpyxl, for checking nk's workbooks with another program.
enum OpenPyXL {
    static let available: Bool = (try? run("import openpyxl")) != nil

    static func run(_ script: String, _ arguments: String...) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw EngineError(.io, "python3 failed") }
        return String(decoding: data, as: UTF8.self)
    }
}
