import Foundation
import NKShell
import NKTestSupport
import Testing

/// Each `Tests/Corpus/nk/NAME.nk` runs through nk's command line in-process; its whole output
/// (standard output, standard error, exit status) must equal `NAME.out`. A first line
/// `-- args: …` adds command-line arguments. A new case is a new pair of files;
/// `NK_UPDATE_GOLDEN=1` rewrites the expectations, to be read before committing.
@Suite(.serialized) struct ScriptGoldenTests {
    static let folder = TestPaths.corpus("nk")
    static let cases: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
        .filter { $0.hasSuffix(".nk") }.map { String($0.dropLast(3)) }.sorted()
    /// The SQL each stage and verb becomes, one script per dialect.
    static let sqlFolder = TestPaths.corpus("sql")
    static let sqlCases = ["postgresql", "duckdb", "spark"]

    static func run(_ name: String, folder: String = "nk") throws -> String {
        let (path, _, arguments) = try GoldenScripts.prepare(name, folder: folder)
        var stdout = "", stderr = ""
        let status = NKCommandLine.run(arguments + [path], output: { stdout += $0 }, errors: { stderr += $0 },
                                       standardInput: { nil }, environment: [:], terminal: false)
        return stdout + "--- stderr\n" + stderr + "--- status \(status)\n"
    }

    @Test func hasCases() { #expect(Self.cases.count >= 8) }

    @Test(arguments: cases)
    func golden(_ name: String) throws {
        let actual = try Self.run(name)
        let expectedURL = Self.folder.appendingPathComponent(name + ".out")
        if ProcessInfo.processInfo.environment["NK_UPDATE_GOLDEN"] != nil {
            try actual.write(to: expectedURL, atomically: true, encoding: .utf8)
        }
        #expect(actual == (try String(contentsOf: expectedURL, encoding: .utf8)))
    }

    @Test(arguments: sqlCases)
    func sql(_ dialect: String) throws {
        let actual = try Self.run(dialect, folder: "sql")
        let expectedURL = Self.sqlFolder.appendingPathComponent(dialect + ".out")
        if ProcessInfo.processInfo.environment["NK_UPDATE_GOLDEN"] != nil {
            try actual.write(to: expectedURL, atomically: true, encoding: .utf8)
        }
        #expect(actual == (try String(contentsOf: expectedURL, encoding: .utf8)))
    }

    @Test func savedFilesHoldTheData() throws {
        _ = try Self.run("statements")
        #expect(try String(contentsOfFile: "/tmp/nk-golden-test/big.csv", encoding: .utf8) == """
            id,name,region,employees,nps,revenue,since,active
            2,Bernd Schmidt,Nord,150,35,,2019-11-01,true
            6,Frank Lange,Nord,1200,60,15000.25,2015-01-31,false

            """)
        #expect(try String(contentsOfFile: "/tmp/nk-golden-test/people.json", encoding: .utf8).hasPrefix("""
            {"name": "Anna Müller", "since": "2021-03-15"}
            {"name": "Bernd Schmidt", "since": "2019-11-01"}
            """))
        #expect(try String(contentsOfFile: "/tmp/nk-golden-test/people.md", encoding: .utf8) == """
            | id | region |
            | ---: | --- |
            | 1 | Süd |
            | 2 | Nord |

            """)
    }
}

extension ScriptGoldenTests {
    @Test func redirectedOutputReachedItsFiles() throws {
        _ = try Self.run("dot_commands")
        #expect(try String(contentsOfFile: "/tmp/nk-golden-test/once.csv", encoding: .utf8) == """
            ┌─────────┐
            │ count   │
            │ integer │
            ├─────────┤
            │       6 │
            └─────────┘
            1 row

            """)
        #expect(try String(contentsOfFile: "/tmp/nk-golden-test/out.txt", encoding: .utf8).contains("│       1 │"))
    }
}
