import Foundation
import NKEngine
import NKTestSupport
import Testing

@Suite struct CSVWriterTests {
    let t = makeTable([
        ("name", .strings(["Müller, Jörg", "Bau \"Drei Tannen\"", "", nil, " padded", "two\nlines"])),
        ("n", .integers([1, nil, -3, 4, 5, 6])),
        ("x", .floats([1.5, 2, nil, 0.1, 1e-7, -0.0])),
        ("ok", .booleans([true, false, nil, true, true, false])),
        ("d", .dates([0, 19_000, nil, -1, 1, 2])),
    ])

    @Test func quotingAndNulls() {
        #expect(CSVWriter.string(t) == #"""
            name,n,x,ok,d
            "Müller, Jörg",1,1.5,true,1970-01-01
            "Bau ""Drei Tannen""",,2.0,false,2022-01-08
            "",-3,,,
            ,4,0.1,true,1969-12-31
            " padded",5,1e-07,true,1970-01-02
            "two
            lines",6,-0.0,false,1970-01-03

            """#)
    }

    @Test func roundTripKeepsEveryValue() throws {
        let url = try TestPaths.temporaryDirectory().appendingPathComponent("out.csv")
        try CSVWriter.write(t, to: url.path)
        let back = try CSVReader.load(path: url.path).table
        #expect(back.schema == t.schema)
        #expect(goldenText(back) == goldenText(t))
    }

    @Test func failedWriteKeepsTheOldFile() throws {
        let dir = try TestPaths.temporaryDirectory()
        let url = dir.appendingPathComponent("keep.csv")
        try "old content\n".write(to: url, atomically: true, encoding: .utf8)
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try AtomicFile.write(to: url.path) { sink in
                try sink(Array("new".utf8))
                throw Boom()
            }
        }
        #expect(try String(contentsOf: url, encoding: .utf8) == "old content\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["keep.csv"])
    }

    @Test func unwritableTargetsAreClearErrors() throws {
        let dir = try TestPaths.temporaryDirectory()
        #expect(throws: EngineError.self) { try CSVWriter.write(t, to: dir.path) }
        #expect(throws: EngineError.self) { try CSVWriter.write(t, to: dir.appendingPathComponent("missing/x.csv").path) }
    }
}
