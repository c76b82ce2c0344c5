import Foundation
import NKEngine
import NKLanguage
import NKTestSupport
import Testing

/// The session's memory budget: kept tables and each statement's work share `memory_limit`.
@Suite struct SessionMemoryTests {
    /// A CSV file of `rows` rows: an id, a number and a text of 10 values.
    func file(rows: Int) throws -> String {
        let path = try TestPaths.temporaryDirectory().appendingPathComponent("numbers.csv").path
        var text = "id,value,group\n"
        for i in 0..<rows { text += "\(i),\(i * 7 % 1000),g\(i % 10)\n" }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func run(_ session: Session, _ text: String) -> (messages: [String], errors: [Diagnostic]) {
        var messages: [String] = []
        let errors = session.run(Source(name: "t.nk", text: text), keepGoing: true, emit: { output in
            if case .message(let m) = output { messages.append(m) }
        })
        return (messages, errors)
    }

    @Test func sharedColumnsAreCountedOnce() throws {
        let session = Session()
        #expect(run(session, "load \"\(try file(rows: 10_000))\" as a\nlet b = a\nlet c = a | filter value > 500").errors.isEmpty)
        let held = session.memoryHeld()
        let a = try #require(session.table("a")), c = try #require(session.table("c"))
        // b is a itself; c has its own id and value columns and codes, but a's text dictionary
        #expect(held.tables.map(\.name) == ["a", "b", "c"])
        #expect(held.tables[0].bytes == a.memoryBytes && held.tables[1].bytes == a.memoryBytes)
        #expect(held.total < a.memoryBytes + c.memoryBytes)
        #expect(held.total > a.memoryBytes)
        // 10,000 rows of two whole numbers (8 bytes each) and a text code (4 bytes)
        #expect(a.memoryBytes >= 10_000 * 20)
    }

    @Test func aLetThatWouldPassTheLimitIsNotKept() throws {
        let session = Session()
        #expect(run(session, "load \"\(try file(rows: 10_000))\" as a").errors.isEmpty)
        let held = session.memoryHeld().total
        let (_, errors) = run(session, """
            set memory_limit = \(held + 1000)
            let copy = a | derive doubled = value * 2
            a | segment by group agg sum(value) as total
            """)
        // the query keeps nothing and fits in what is left; the let would hold a new column
        let error = try #require(errors.first)
        #expect(errors.count == 1)
        #expect(error.kind == .resourceLimit)
        #expect(error.message.contains("past the memory limit"))
        #expect(error.hint?.contains("(a \(ExecutionContext.formatBytes(held)))") == true)
        #expect(session.table("copy") == nil)
        // dropping makes room again
        #expect(run(session, "drop a").errors.isEmpty)
        #expect(session.memoryHeld().total == 0)
    }

    @Test func aLoadIsMeasuredAgainstWhatTheTablesLeave() throws {
        let path = try file(rows: 20_000)
        let session = Session()
        #expect(run(session, "load \"\(path)\" as first").errors.isEmpty)
        let held = session.memoryHeld().total
        // room for the first table and a little more, not for a second copy of it
        let (_, errors) = run(session, "set memory_limit = \(held + held / 4)\nload \"\(path)\" as second")
        let error = try #require(errors.first)
        #expect(error.kind == .resourceLimit)
        #expect(error.message.contains("left of the memory limit of"))
        #expect(error.hint?.contains("the session's tables hold \(ExecutionContext.formatBytes(held))") == true)
        #expect(session.table("second") == nil)
        // with the first one dropped the same load fits
        #expect(run(session, "drop first\nload \"\(path)\" as second").errors.isEmpty)
        #expect(session.table("second")?.rowCount == 20_000)
    }

    @Test func aJoinIsRefusedBeforeItStartsWhenTheTablesLeaveTooLittle() throws {
        let session = Session()
        #expect(run(session, "load \"\(try file(rows: 2_000))\" as a").errors.isEmpty)
        let held = session.memoryHeld().total
        // every row of one group meets 200 rows of the same group: 400,000 rows
        let (_, errors) = run(session, "set memory_limit = \(held + 100_000)\na | join a on group | count")
        let error = try #require(errors.first)
        #expect(error.kind == .resourceLimit)
        #expect(error.message.contains("left of the memory limit of"))
    }
}
