import Foundation
import NKEngine
import NKLanguage
import NKSources
import NKTestSupport
import Testing

/// `load … with columns (…)`: only the named columns, in the order named, each with the values
/// and type a full load gives it; what the file lacks is an error at the name.
@Suite struct LoadColumnsTests {
    static let text = """
        id;name;revenue;joined;region;zip
        1;"Müller; Söhne";1.234,50;01.02.2024;Süd;01234
        2;Anna;99,00;03.04.2024;Nord;80331
        3;"Bob ""B"" Ltd";;05.06.2024;;10115

        """

    func file(_ text: String = LoadColumnsTests.text) throws -> String {
        let path = try TestPaths.temporaryDirectory().appendingPathComponent("kunden.csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Runs a script; its output messages and its errors.
    func run(_ session: Session, _ text: String) -> (messages: [String], errors: [Diagnostic]) {
        var messages: [String] = []
        let errors = session.run(Source(name: "t.nk", text: text), keepGoing: true, emit: { output in
            if case .message(let m) = output { messages.append(m) }
        })
        return (messages, errors)
    }

    @Test func keepsTheNamedColumnsInTheirOrderWithTheFullLoadsValues() throws {
        let path = try file()
        let session = Session()
        let (messages, errors) = run(session, """
            load "\(path)" as all
            load "\(path)" as some with columns (zip, Revenue, name)
            """)
        #expect(errors.isEmpty)
        #expect(messages.contains("loaded some: 3 rows, 3 columns"))
        let all = try #require(session.table("all")), some = try #require(session.table("some"))
        #expect(some.names == ["zip", "revenue", "name"])
        for name in some.names {
            #expect(some.column(name)!.type == all.column(name)!.type, "\(name)")
            #expect(some.column(name)!.values == all.column(name)!.values, "\(name)")
        }
        // the decimal comma, the quoted delimiter, the leading zero: as in the full load
        #expect(some.column("revenue")!.values == [.float(1234.5), .float(99), .null])
        #expect(some.column("name")!.values == [.string("Müller; Söhne"), .string("Anna"), .string("Bob \"B\" Ltd")])
        #expect(some.column("zip")!.values == [.string("01234"), .string("80331"), .string("10115")])
    }

    @Test func aColumnLeftOutIsNotConvertedButItsRowsAreStillChecked() throws {
        // a date column that turns to text late is not widened when it is not kept
        let late = try file("id,day\n1,2024-01-02\n2,2024-01-03\n3,soon\n")
        let session = Session()
        let (messages, errors) = run(session, "load \"\(late)\" as t with columns (id)")
        #expect(errors.isEmpty)
        #expect(!messages.contains { $0.contains("day") })
        #expect(session.table("t")?.column("id")?.values == [.integer(1), .integer(2), .integer(3)])
        // a row with too few fields is still an error with its line, kept column or not
        let short = try file("id,day,x\n1,2024-01-02,a\n2,2024-01-03\n")
        let (_, shortErrors) = run(Session(), "load \"\(short)\" as t with columns (id)")
        #expect(shortErrors.first?.message.hasSuffix("kunden.csv:3:1: this row has 2 fields, the header has 3") == true)
        // and an unterminated quote in a column left out
        let open = try file("id,note\n1,\"never closed\n2,b\n")
        let (_, openErrors) = run(Session(), "load \"\(open)\" as t with columns (id)")
        #expect(openErrors.first?.message.contains("a quoted field opens here and never closes") == true)
    }

    @Test func aNameTheFileLacksIsAnErrorAtTheNameAndDefinesNothing() throws {
        let path = try file()
        let session = Session()
        let script = "load \"\(path)\" as t with columns (id, regoin)"
        let (_, errors) = run(session, script)
        let e = try #require(errors.first)
        #expect(e.kind == .unknownColumn)
        #expect(e.message == "no column `regoin` in \(path)")
        #expect(e.hint == "did you mean `region`?")
        #expect(e.column == (script as NSString).range(of: "(id, regoin)").location + 1)
        #expect(session.table("t") == nil)
        let twice = "load \"\(path)\" as t with columns (id, ID)"
        let (_, again) = run(session, twice)
        #expect(again.first?.message == "`ID` is named twice in columns")
        #expect(again.first?.column == (twice as NSString).range(of: "ID)").location + 1)
        let (_, notAList) = run(session, "load \"\(path)\" as t with columns \"id\"")
        #expect(notAList.first?.message == "columns takes a list of column names, e.g. columns (customer_id, status)")
    }

    @Test func aWorkbookKeepsTheNamedColumnsOfEachSheet() throws {
        let path = try TestPaths.temporaryDirectory().appendingPathComponent("book.xlsx").path
        let table = makeTable([("id", .integers([1, 2])), ("name", .strings(["a", "b"])), ("score", .floats([0.5, 1.5]))])
        try XLSXWriter.write(table, to: path)
        let session = Session()
        let (_, errors) = run(session, "load \"\(path)\" as t with columns (score, id)")
        #expect(errors.isEmpty)
        #expect(session.table("t")?.names == ["score", "id"])
        #expect(session.table("t")?.column("score")?.values == [.float(0.5), .float(1.5)])
        let (_, missing) = run(session, "load \"\(path)\" as u with columns (scor)")
        #expect(missing.first?.kind == .unknownColumn)
        #expect(session.table("u") == nil)
    }

    @Test func theReaderKeepsColumnsByPositionWhateverTheOrderOfTheFile() throws {
        let load = try CSVReader.load(text: "a,b,c\n1,x,2.5\n2,y,3.5\n", options: CSVOptions(columns: ["c", "a"]))
        #expect(load.table.names == ["c", "a"])
        #expect(load.table.column("c")!.values == [.float(2.5), .float(3.5)])
        #expect(load.dialect.names == ["a", "b", "c"])
        #expect(throws: EngineError.self) { try CSVReader.load(text: "a,b\n1,2\n", options: CSVOptions(columns: ["a", "a"])) }
    }
}
