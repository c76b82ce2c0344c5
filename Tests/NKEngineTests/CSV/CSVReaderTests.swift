import Foundation
import NKEngine
import NKTestSupport
import Testing

@Suite struct CSVReaderTests {
    func load(_ text: String, _ options: CSVOptions = CSVOptions()) throws -> CSVLoad {
        try CSVReader.load(text: text, name: "t.csv", options: options)
    }

    func error(_ text: String, _ options: CSVOptions = CSVOptions()) -> EngineError? {
        do { _ = try load(text, options); return nil } catch let e as EngineError { return e } catch { return nil }
    }

    @Test func everyGuessCanBeOverridden() throws {
        let text = "a;b;c\n1;2,5;01.02.2024\n2;3,5;03.04.2024\n"
        let guessed = try load(text)
        #expect(guessed.table.schema.map(\.description) == ["a integer", "b float", "c date"])
        let fixed = try load(text, CSVOptions(delimiter: UInt8(ascii: ";"), header: true, decimal: UInt8(ascii: ","),
                                              dateFormat: .german, types: ["a": .string, "c": .string]))
        #expect(fixed.table.schema.map(\.description) == ["a string", "b float", "c string"])
        let noHeader = try load(text, CSVOptions(header: false))
        #expect(noHeader.table.rowCount == 3 && noHeader.table.names == ["column_1", "column_2", "column_3"])
        #expect(noHeader.table.column("column_1")!.type == .string)
        // forcing the wrong delimiter splits "2,5" into two fields: a located error, not a guess
        let wrong = error(text, CSVOptions(delimiter: UInt8(ascii: ",")))
        #expect(wrong?.location == FileLocation(file: "t.csv", line: 2, column: 1))
        #expect(wrong?.message == "this row has more fields than the header's 1")
    }

    @Test func nullSpellingsCanBeChanged() throws {
        let text = "x,y\n-,1\nNA,2\n"
        let defaults = try load(text)
        #expect(defaults.table.column("x")!.values == [.string("-"), .null])
        let custom = try load(text, CSVOptions(nulls: ["-"]))
        #expect(custom.table.column("x")!.values == [.null, .string("NA")])
    }

    @Test func quotedNullSpellingIsText() throws {
        let t = try load("x,n\n\"NA\",1\nNA,2\n\"\",3\n,4\n").table
        #expect(t.column("x")!.values == [.string("NA"), .null, .string(""), .null])
    }

    @Test func explicitTypeThatDoesNotFitNamesTheLine() {
        let e = error("id,zip\n1,12345\n2,D-123\n", CSVOptions(types: ["zip": .integer]))
        #expect(e?.category == .conversion)
        #expect(e?.location == FileLocation(file: "t.csv", line: 3, column: 3))
        #expect(e?.message == "\"D-123\" in column zip is not an integer")
    }

    @Test func unknownColumnInTypesIsAnError() {
        let e = error("id,zip\n1,2\n", CSVOptions(types: ["zpi": .string]))
        #expect(e?.hint == "did you mean `zip`?")
    }

    @Test func latin1EncodingReadsWindowsExports() throws {
        let bytes: [UInt8] = Array("name,city\nAnna,K".utf8) + [0xF6] + Array("ln\nBob,".utf8) + [0x80] + Array("\n".utf8)
        let t = try CSVReader.load(bytes: bytes, options: CSVOptions(encoding: .latin1)).table
        #expect(t.column("city")!.values == [.string("Köln"), .string("€")])
    }

    @Test func invalidUTF8IsLocated() {
        let bytes: [UInt8] = Array("a,b\n1,ok\n2,b".utf8) + [0xC3, 0x28] + Array("\n".utf8)
        do {
            _ = try CSVReader.load(bytes: bytes, name: "x.csv")
            Issue.record("expected an error")
        } catch let e as EngineError {
            #expect(e.location == FileLocation(file: "x.csv", line: 3, column: 4))
        } catch { Issue.record("\(error)") }
    }

    /// A value late in a big file that breaks the sniffed type widens the column, with a note.
    @Test func lateValueWidensTheColumnWithANote() throws {
        var lines = ["id,amount,code"]
        for i in 0..<60_000 { lines.append("\(i),\(i % 100),\(i % 7)") }
        lines.append("60000,12.5,X7")
        let load = try load(lines.joined(separator: "\n") + "\n", CSVOptions(sampleRows: 1000))
        #expect(load.table.schema.map(\.description) == ["id integer", "amount float", "code string"])
        #expect(load.table.column("amount")![60_000] == .float(12.5))
        #expect(load.table.column("code")![3] == .string("3"))
        #expect(load.notes.contains("column amount is read as float (not integer) because of \"12.5\" on line 60002"))
        #expect(load.notes.contains("column code is read as string (not integer) because of \"X7\" on line 60002"))
    }

    /// Files over a megabyte are parsed in parts at guessed row boundaries; quoted fields with
    /// line breaks make some guesses wrong, which must be caught and repaired.
    @Test func quotedLineBreaksAcrossPartBoundaries() throws {
        var rng = SeededGenerator(seed: 11)
        var text = "id,comment,value\n"
        var expected: [String] = []
        for i in 0..<40_000 {
            let comment: String
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: comment = "\"line\nbreak, \"\"quoted\"\"\n\(i)\""
            case 1: comment = "plain \(i)"
            case 2: comment = "\"\(String(repeating: "\n", count: Int.random(in: 1...5, using: &rng)))\""
            default: comment = "\"a,b\r\nc\""
            }
            expected.append(comment)
            text += "\(i),\(comment),\(Double(i) / 4)\n"
        }
        #expect(text.utf8.count > 1 << 20)
        let url = try TestPaths.temporaryDirectory().appendingPathComponent("multiline.csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        let t = try CSVReader.load(path: url.path).table
        #expect(t.rowCount == 40_000)
        let ids = t.column("id")!
        for i in stride(from: 0, to: 40_000, by: 101) { #expect(ids[i] == .integer(Int64(i))) }
        #expect(t.column("value")![39_999] == .float(9999.75))
        #expect(t.column("comment")![0].description.count > 0)
        let unquoted = expected.map { c -> String in
            guard c.hasPrefix("\"") else { return c }
            return String(c.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
        }
        #expect(t.column("comment")!.values.map(\.description) == unquoted)
    }

    @Test func errorsInLaterPartsAreLocated() throws {
        var text = "a,b\n"
        for i in 0..<120_000 { text += "\(i),x\(i)\n" }
        text += "oops\n"
        let url = try TestPaths.temporaryDirectory().appendingPathComponent("ragged.csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        do {
            _ = try CSVReader.load(path: url.path)
            Issue.record("expected an error")
        } catch let e as EngineError {
            #expect(e.location?.line == 120_002)
            #expect(e.message == "this row has 1 field, the header has 2")
        }
    }

    @Test func missingFileAndDirectory() throws {
        #expect(throws: EngineError.self) { try CSVReader.load(path: "/nonexistent/nk.csv") }
        let dir = try TestPaths.temporaryDirectory()
        do {
            _ = try CSVReader.load(path: dir.path)
            Issue.record("expected an error")
        } catch let e as EngineError {
            #expect(e.message.hasSuffix("is a directory, not a file"))
        }
    }
}

@Suite struct RealDataTests {
    @Test(.enabled(if: TestPaths.realdata != nil, "the shared real data is not beside the project"))
    func bankMarketingLoadsWithNoOptions() throws {
        let data = try #require(TestPaths.realdata)
        let load = try CSVReader.load(path: data.appendingPathComponent("bank_marketing/bank-full.csv").path)
        let t = load.table
        #expect(t.rowCount == 45_211)
        #expect(t.columnCount == 17)
        #expect(load.dialect.delimiter == UInt8(ascii: ";"))
        for name in ["age", "balance", "duration", "day", "campaign", "pdays", "previous"] {
            #expect(t.column(name)?.type == .integer, "\(name)")
        }
        #expect(t.column("y")?.type == .string)
        #expect(try t.count(where: .col("y") == .lit("yes")) == 5_289)
        #expect(try t.count(where: .col("poutcome") == .lit("success") && .col("y") == .lit("yes")) == 978)
        let small = try CSVReader.load(path: data.appendingPathComponent("bank_marketing/bank.csv").path).table
        #expect(small.rowCount == 4_521 && small.columnCount == 17)
    }
}

/// Numbers in integer and float columns are converted while scanned; everything unusual must
/// still reach the general parser.
@Suite struct DirectNumberTests {
    @Test func edgeCasesTakeTheGeneralPath() throws {
        let text = "i,f\n1,1.5\n-2,-0.25\n+3,2.\n 4 ,1e3\n,.5\n9223372036854775807,123456789012345678\nNA,N/A\n"
        let t = try CSVReader.load(text: text, options: CSVOptions(types: ["i": .integer, "f": .float])).table
        #expect(t.column("i")!.values == [.integer(1), .integer(-2), .integer(3), .integer(4), .null, .integer(Int64.max), .null])
        #expect(t.column("f")!.values == [.float(1.5), .float(-0.25), .float(2), .float(1000), .float(0.5), .float(123456789012345678), .null])
    }

    @Test func directAndGeneralPathsAgreeOnManyValues() throws {
        var rng = SeededGenerator(seed: 9)
        var text = "a,b\n"
        var ints: [Int64] = [], floats: [Double] = []
        for _ in 0..<50_000 {
            let i = Int64.random(in: -1_000_000_000_000...1_000_000_000_000, using: &rng)
            let cents = Int64.random(in: -10_000_000...10_000_000, using: &rng)
            ints.append(i)
            floats.append(Double(cents) / 100)
            text += "\(i),\(cents < 0 ? "-" : "")\(abs(cents) / 100).\(String(format: "%02d", abs(cents) % 100))\n"
        }
        let t = try CSVReader.load(text: text).table
        #expect(t.column("a")!.values == ints.map(Value.integer))
        #expect(t.column("b")!.values == floats.map(Value.float))
    }
}

/// Text fields of up to 24 bytes are looked up among the strings a column met lately before its
/// dictionary; a string must be told apart from one that differs in any single byte, and a
/// null spelling must stay null unquoted and text quoted.
@Suite struct RecentStringTests {
    @Test func stringsDifferingInOneByteKeepTheirOwnValues() throws {
        var strings: [String] = []
        for length in 1...30 {
            let base = String(repeating: "a", count: length)
            strings.append(base)
            for k in 0..<length {
                var bytes = Array(base.utf8)
                bytes[k] = UInt8(ascii: "b")
                strings.append(String(decoding: bytes, as: UTF8.self))
            }
        }
        var rng = SeededGenerator(seed: 5)
        var text = "n,s\n"
        var expected: [Value] = []
        // over a megabyte, so the rows are parsed in parts on both cores
        while text.utf8.count < 1_200_000 {
            let s = strings[Int.random(in: 0..<strings.count, using: &rng)]
            switch Int.random(in: 0..<8, using: &rng) {
            case 0: text += "\(expected.count),\"\(s)\"\n"; expected.append(.string(s))
            case 1: text += "\(expected.count),NA\n"; expected.append(.null)
            case 2: text += "\(expected.count),\"NA\"\n"; expected.append(.string("NA"))
            default: text += "\(expected.count),\(s)\n"; expected.append(.string(s))
            }
        }
        let url = try TestPaths.temporaryDirectory().appendingPathComponent("recent-strings.csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        let values = try CSVReader.load(path: url.path).table.column("s")!.values
        #expect(values.count == expected.count)
        let wrong = zip(values, expected).enumerated().filter { $0.element.0 != $0.element.1 }
        #expect(wrong.isEmpty, "\(wrong.count) rows differ, first \(wrong.prefix(3).map { "row \($0.offset): \($0.element.0), not \($0.element.1)" })")
    }

    @Test func aRepeatedDateIsTheDateBefore() throws {
        let text = "d\n2024-03-01\n2024-03-01\n\"2024-03-01\"\n2024-03-02\n\n2024-03-02\nNA\n2024-03-02\n"
        let t = try CSVReader.load(text: text).table
        let day = Int32(CivilDate.days(year: 2024, month: 3, day: 1))
        #expect(t.column("d")!.values == [.date(day), .date(day), .date(day), .date(day + 1), .date(day + 1), .null, .date(day + 1)])
    }
}
