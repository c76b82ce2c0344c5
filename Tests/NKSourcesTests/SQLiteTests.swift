import Foundation
import NKEngine
@testable import NKSources
import NKTestSupport
import Testing

/// Reading SQLite files written by the sqlite3 tool and by Python (`Tests/Corpus/sqlite/make.sh`).
@Suite struct SQLiteTests {
    static func open(_ name: String) throws -> SQLiteDatabase {
        let path = TestPaths.corpus("sqlite").appendingPathComponent(name).path
        return try SQLiteDatabase(path: path, shown: name)
    }

    @Test func listsTablesAndViews() throws {
        #expect(try Self.open("crm_tool.sqlite").tableNames() == ["customers", "lost"])
        #expect(try Self.open("crm_python.sqlite").tableNames() == ["mixed", "orders"])
    }

    /// sqlite3's .import declares every column TEXT: numbers and dates are typed by their values,
    /// as a CSV column is; leading zeros keep a postcode text; empty text is null for numbers.
    @Test func textColumnsOfAnImportAreTypedByTheirValues() throws {
        let read = try Self.open("crm_tool.sqlite").read("customers", columns: nil, context: ExecutionContext())
        #expect(goldenText(read.table) == """
            schema: id integer, name string, status string, industry string, since date, zip string, revenue float
            rows: 5
            id|name|status|industry|since|zip|revenue
            1|Anna Berg|lost|retail|2021-03-04|01067|1200.5
            2|Bernd Cole|customer|retail|2022-01-10|10115|300
            3|Carla Dietz|lost|it|2020-12-01|80331|null
            4|Dora Ebert|prospect|it|2023-05-06||50.25
            5|Emil Frank|customer|health|2019-07-30|20095|980

            """)
        #expect(read.notes == ["id is declared TEXT, and every value reads as an integer: read as integer",
                               "since is declared TEXT, and every value reads as a date: read as date",
                               "revenue is declared TEXT, and every value reads as a float: read as float"])
    }

    @Test func mixedColumnsAreWidenedAndBlobsNoted() throws {
        let db = try Self.open("crm_python.sqlite")
        let orders = try db.read("orders", columns: nil, context: ExecutionContext())
        #expect(orders.table.columnSchema.description == Schema([
            Field("order_id", .integer), Field("customer_id", .integer), Field("order_date", .date), Field("amount", .float),
            Field("channel", .string), Field("paid", .boolean), Field("logged", .timestamp)]).description)
        #expect(orders.table.column("amount")?.values.map(\.description) == ["12.5", "30", "7.25", "", "99.99"])
        #expect(orders.notes.contains("channel: 1 binary values (blobs) read as text"))
        let mixed = try db.read("mixed", columns: ["code"], context: ExecutionContext())
        #expect(mixed.table.names == ["code"])
        #expect(mixed.table.column("code")?.values.map(\.description) == ["1", "A7", "2.5"])
    }

    @Test func aQueryRunsInSQLite() throws {
        let read = try Self.open("crm_tool.sqlite").read(query: "select industry, count(*) as n from customers group by industry order by n desc, industry",
                                                          context: ExecutionContext())
        #expect(goldenText(read.table) == """
            schema: industry string, n integer
            rows: 3
            industry|n
            it|2
            retail|2
            health|1

            """)
        #expect(throws: EngineError.self) { try Self.open("crm_tool.sqlite").read(query: "select nope from customers", context: ExecutionContext()) }
    }

    @Test func unknownTablesAndColumnsAreNamedWithTheNearest() throws {
        let db = try Self.open("crm_tool.sqlite")
        let table = #expect(throws: EngineError.self) { try db.read("custmers", columns: nil, context: ExecutionContext()) }
        #expect(table?.message == "crm_tool.sqlite has no table custmers")
        #expect(table?.hint == "did you mean customers?")
        let column = #expect(throws: EngineError.self) { try db.read("customers", columns: ["statsu"], context: ExecutionContext()) }
        #expect(column?.category == .unknownColumn)
    }

    @Test func whatIsNotSQLiteSaysWhatItIs() throws {
        let folder = try TestPaths.temporaryDirectory()
        let csv = folder.appendingPathComponent("crm.db").path
        try "id,name\n1,a\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let error = #expect(throws: EngineError.self) { try SQLiteDatabase(path: csv, shown: "crm.db") }
        #expect(error?.message == "crm.db is not a SQLite database (a text file, such as CSV)")
        #expect(error?.hint == "load it: load \"crm.db\"")
        let missing = #expect(throws: EngineError.self) { try SQLiteDatabase(path: folder.appendingPathComponent("none.db").path, shown: "none.db") }
        #expect(missing?.category == .missingFile)
        // a truncated database: the magic is there, the pages are not
        let whole = try Data(contentsOf: TestPaths.corpus("sqlite").appendingPathComponent("crm_python.sqlite"))
        let cut = folder.appendingPathComponent("cut.sqlite").path
        try whole.prefix(1500).write(to: URL(fileURLWithPath: cut))
        let damaged = #expect(throws: EngineError.self) { try SQLiteDatabase(path: cut, shown: "cut.sqlite").read("orders", columns: nil, context: ExecutionContext()) }
        #expect(damaged?.message.hasPrefix("cut.sqlite is damaged") == true)
    }

    @Test func theMemoryGuardRefusesBeforeReading() throws {
        var context = ExecutionContext()
        context.memoryLimit = 100
        let error = #expect(throws: EngineError.self) { try Self.open("crm_tool.sqlite").read("customers", columns: nil, context: context) }
        #expect(error?.category == .resourceLimit)
        #expect(error?.message == "customers has 5 rows × 7 columns (about 560 bytes in memory), more than the memory limit of 100 bytes")
    }

    @Test func aCancelledReadStopsInsideSQLite() throws {
        let flag = CancellationFlag()
        flag.cancel()
        let error = #expect(throws: EngineError.self) {
            // a query that would count for minutes: interrupted by the progress handler
            try Self.open("crm_tool.sqlite").read(query: "with recursive n(i) as (select 1 union all select i + 1 from n) select count(*) from n",
                                                  context: ExecutionContext(cancellation: flag))
        }
        #expect(error?.category == .cancelled)
    }

    /// A read stopped inside SQLite at each time its progress handler asks the flag, in turn,
    /// on one open file: each stop throws "cancelled" and leaves the file readable (no
    /// statement left unfinished), and the read that ends has every row.
    @Test func aReadStoppedAtEveryPlaceLeavesTheFileReadable() throws {
        let database = try Self.open("crm_tool.sqlite")
        let query = "with recursive n(i) as (select 1 union all select i + 1 from n limit 100000) select i, i * 2 as twice from n"
        let whole = try database.read(query: query, context: ExecutionContext(cancellation: CancellationFlag())).table
        #expect(whole.rowCount == 100_000)
        let ended = CancellationFlag.stoppingAtEachReading { flag, reading in
            let read = try database.read(query: query, context: ExecutionContext(cancellation: flag)).table
            #expect(goldenText(read) == goldenText(whole), "the read that ended, at reading \(reading)")
        } stopped: { error, reading in
            #expect((error as? EngineError)?.category == .cancelled, "reading \(reading): \(error)")
            #expect((try? database.tableNames()) == ["customers", "lost"])
        }
        let reading = try #require(ended, "the read was still stopping after 100,000 readings")
        #expect(reading > 2, "the read asked the flag only \(reading - 1) times")
    }
}
