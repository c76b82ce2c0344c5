import Foundation
import NKDemoData
import NKEngine
import NKLanguage
import NKTestSupport
import Testing

/// The committed demo data is the generator's output, byte for byte, and reads as intended.
@Suite struct DemoDataTests {
    static let folder = TestPaths.root.appendingPathComponent("Datasets/demo")

    @Test func committedFilesAreTheGeneratorsOutput() throws {
        let files = DemoData.files()
        #expect(files.map(\.name) == ["customers.csv", "orders.csv", "contacts.csv", "interviews.csv", "markt.csv"])
        for file in files {
            let committed = try Data(contentsOf: Self.folder.appendingPathComponent(file.name))
            #expect(committed == Data(file.contents.utf8), "\(file.name) differs from the generator's output: run swift run nk-demo-data")
        }
        let present = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasSuffix(".csv") }.sorted()
        #expect(present == files.map(\.name).sorted())
    }

    @Test func everyFileLoadsWithTheTypesTheWorkshopsUse() throws {
        let session = Session()
        let loaded = try session.load(Self.folder.path)
        #expect(loaded.map(\.name) == ["contacts", "customers", "interviews", "markt", "orders"])
        #expect(loaded.allSatisfy { $0.notes.isEmpty })
        let market = try #require(loaded.first { $0.name == "markt" })
        #expect(market.dialect.delimiter == UInt8(ascii: ";"))
        #expect(market.dialect.decimal == UInt8(ascii: ","))
        #expect(market.table.schema.map(\.description) == ["Branche string", "Region string", "Unternehmen integer",
                                                           "Marktvolumen_Mio_EUR float", "Wachstum_Prozent float"])
        let customers = try #require(session.table("customers"))
        #expect(customers.rowCount == 1_800)
        #expect(customers.column("acquired_on")?.type == .date)
        #expect(customers.column("nps")?.type == .integer)
        let orders = try #require(session.table("orders"))
        #expect(orders.column("order_date")?.type == .date)
        #expect(orders.column("revenue")?.type == .float)
        // quotes with commas and quotation marks survive the round trip
        let quotes = try #require(session.table("interviews")?.column("quote"))
        #expect((0..<quotes.count).contains { quotes[$0].description.contains("\"nächste Woche\"") })
    }
}
