import Foundation
import NKEngine
import NKLanguage
import NKTestSupport
import Testing

@Suite struct SessionTests {
    @Test func loadsAFolderAndNamesTablesAfterFiles() throws {
        let dir = try TestPaths.temporaryDirectory()
        try "id\n1\n2\n".write(to: dir.appendingPathComponent("Kunden 2024.csv"), atomically: true, encoding: .utf8)
        try "id,v\n1,x\n".write(to: dir.appendingPathComponent("orders.CSV"), atomically: true, encoding: .utf8)
        try "not csv".write(to: dir.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let session = Session()
        let loaded = try session.load(dir.path)
        #expect(loaded.map(\.name) == ["Kunden_2024", "orders"])
        #expect(session.order == ["Kunden_2024", "orders"])
        #expect(session.table("orders")?.rowCount == 1)
    }

    @Test func aFailingFileDefinesNothing() throws {
        let dir = try TestPaths.temporaryDirectory()
        try "id\n1\n".write(to: dir.appendingPathComponent("a.csv"), atomically: true, encoding: .utf8)
        try "id,x\n1\n".write(to: dir.appendingPathComponent("b.csv"), atomically: true, encoding: .utf8)
        let session = Session()
        #expect(throws: EngineError.self) { try session.load(dir.path) }
        #expect(session.tables.isEmpty)
    }

    @Test func explicitNameAndReplacement() throws {
        let dir = try TestPaths.temporaryDirectory()
        let file = dir.appendingPathComponent("x.csv")
        try "id\n1\n".write(to: file, atomically: true, encoding: .utf8)
        let session = Session()
        try session.load(file.path, as: "first")
        try "id\n1\n2\n".write(to: file, atomically: true, encoding: .utf8)
        try session.load(file.path, as: "first")
        #expect(session.order == ["first"])
        #expect(session.table("first")?.rowCount == 2)
        #expect(Session.tableName(for: "2024-export.csv") == "t_2024_export")
    }
}
