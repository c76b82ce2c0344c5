import Foundation
import NKEngine
@testable import NKSources
import NKTestSupport
import Testing

/// Reading from a real PostgreSQL server (a throwaway cluster, see `PostgresServer`). Under CI
/// the server must be there; elsewhere these tests skip, saying why.
@Suite(.serialized, .enabled(if: PostgresServer.runs, Comment(rawValue: PostgresServer.skipReason)))
struct PostgresTests {
    static let prepared: Result<Void, Error> = Result {
        guard PostgresServer.shared.socket != nil else { throw EngineError(.io, PostgresServer.skipReason) }
        try PostgresServer.shared.sql("""
            drop table if exists kinds; drop table if exists many; drop schema if exists sales cascade;
            create table kinds (id bigint, small smallint, name text, status varchar(20), code char(4), price numeric(8,2),
                big numeric, score double precision, ratio real, since date, seen timestamp, seen_tz timestamptz, vip boolean,
                uid uuid, tags text[], meta jsonb);
            insert into kinds values
              (1, 7, 'Anna', 'lost', 'ab', 1200.50, 12345678901234567890, 0.1, 0.5, '2021-03-04', '2024-01-01 10:00:00.25',
               '2024-01-01 10:00:00+02', true, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{a,b}', '{"k": 1}'),
              (2, null, E'tab\\there\\\\back\\nline', 'customer', null, 300, null, 'NaN', null, '2022-01-10', null, null, false,
               null, null, null),
              (3, -1, 'Zoë "quoted"', null, 'x', null, 1, '-Infinity', 2, 'infinity', null, null, null, null, null, null);
            create table many as select i as id, 'name ' || (i % 1000) as name, i * 1.5 as amount from generate_series(1, 200000) i;
            analyze many;
            create schema sales; create table sales.leads (id int);
            grant select on all tables in schema public to ann;
            """)
    }

    static func open(user: String = "nk") throws -> PostgresDatabase {
        _ = try prepared.get()
        return try PostgresDatabase(url: PostgresServer.shared.url(user: user))
    }

    @Test func listsTablesOfEverySchema() throws {
        let names = try Self.open().tableNames()
        #expect(names.contains("kinds") && names.contains("many") && names.contains("sales.leads"))
    }

    @Test func typesMapToNkTypesWithNotes() throws {
        let db = try Self.open()
        let described = try db.describe("kinds")
        #expect(described.schema.fields.map { "\($0.name) \($0.type)" } == [
            "id integer", "small integer", "name string", "status string", "code string", "price float", "big float",
            "score float", "ratio float", "since date", "seen timestamp", "seen_tz timestamp", "vip boolean", "uid string",
            "tags string", "meta string"])
        #expect(described.estimated)
        #expect(described.notes == ["big is numeric: read as float, exact to about 15 digits",
                                    "seen_tz is a timestamp with time zone: read in UTC", "uid is uuid: read as text",
                                    "tags is an array: read as text", "meta is json: read as text"])
    }

    @Test func valuesArriveExactlyThroughCopy() throws {
        let read = try Self.open().read("kinds", columns: nil, context: ExecutionContext())
        let t = read.table
        #expect(t.column("name")?.values.map(\.description) == ["Anna", "tab\there\\back\nline", "Zoë \"quoted\""])
        #expect(t.column("code")?.values.map(\.description) == ["ab  ", "", "x   "])
        #expect(t.column("small")?.values.map(\.description) == ["7", "", "-1"])
        #expect(t.column("price")?.values.map(\.description) == ["1200.5", "300", ""])
        #expect(t.column("score")?.values.map { $0.doubleValue.map { "\($0)" } ?? "null" } == ["0.1", "nan", "-inf"])
        #expect(t.column("since")?.values.map(\.description) == ["2021-03-04", "2022-01-10", ""])
        #expect(t.column("seen")?.values.map(\.description) == ["2024-01-01 10:00:00.25", "", ""])
        #expect(t.column("seen_tz")?.values.map(\.description) == ["2024-01-01 08:00:00", "", ""])
        #expect(t.column("vip")?.values.map(\.description) == ["true", "false", ""])
        #expect(t.column("tags")?.values.map(\.description) == ["{a,b}", "", ""])
        #expect(read.warnings == ["1 values nk cannot represent (such as infinite dates) were read as null"])
    }

    @Test func onlyTheNamedColumnsAreRead() throws {
        let read = try Self.open().read("many", columns: ["amount", "id"], context: ExecutionContext())
        #expect(read.table.names == ["amount", "id"])
        #expect(read.table.rowCount == 200_000)
        let expected: Double = 1.5 * 200_000.0 * 200_001.0 / 2.0
        let sum: Double = read.table.column("amount")?.doubles?.reduce(0, +) ?? 0
        #expect(sum == expected)
    }

    @Test func aQueryRunsOnTheServer() throws {
        let read = try Self.open().read(query: "select name, count(*) as n from many group by name order by n desc, name limit 2;", context: ExecutionContext())
        #expect(goldenText(read.table) == "schema: name string, n integer\nrows: 2\nname|n\nname 0|200\nname 1|200\n")
        let error = #expect(throws: EngineError.self) { try Self.open().read(query: "select 1/0", context: ExecutionContext()) }
        #expect(error?.message == "PostgreSQL: division by zero")
    }

    /// A URL's own options and application name reach the server; nk's settings for dates,
    /// times and floats still hold, even where the URL's options name them too (dates come out
    /// as ISO, times in UTC; the URL's day-month order stays, for the text of dates in its own
    /// queries).
    @Test func theURLsOwnSettingsReachTheServer() throws {
        _ = try Self.prepared.get()
        let url = PostgresServer.shared.url() + "&application_name=crm-report&options=-c%20search_path%3Dsales%20-c%20DateStyle%3DGerman%20-c%20TimeZone%3DAsia%2FTokyo"
        let read = try PostgresDatabase(url: url).read(query: """
            select current_setting('application_name') as app, current_setting('search_path') as path,
                   current_setting('DateStyle') as style, current_setting('TimeZone') as zone
            """, context: ExecutionContext())
        #expect(goldenText(read.table) == "schema: app string, path string, style string, zone string\nrows: 1\napp|path|style|zone\ncrm-report|sales|ISO, DMY|UTC\n")
        // without a name of its own, a connection is "nk"
        let plain = try Self.open().read(query: "select current_setting('application_name') as app", context: ExecutionContext())
        #expect(plain.table.columns[0].values == [.string("nk")])
    }

    @Test func theMemoryGuardUsesTheEstimate() throws {
        var context = ExecutionContext()
        context.memoryLimit = 1_000_000
        let error = #expect(throws: EngineError.self) { try Self.open().read("many", columns: nil, context: context) }
        #expect(error?.category == .resourceLimit)
        #expect(error?.message.hasPrefix("many has about 200,000 rows × 3 columns") == true)
    }

    @Test func connectionErrorsNameTheServerAndNeverThePassword() throws {
        _ = try Self.prepared.get()
        let socket = PostgresServer.shared.socket!
        let wrong = #expect(throws: EngineError.self) {
            try PostgresDatabase(url: "postgresql://ann:wrong-secret@/crm?host=\(socket)")
        }
        #expect(wrong?.message.contains("password authentication failed") == true)
        #expect(wrong?.message.contains("wrong-secret") == false)
        #expect(wrong?.message.hasPrefix("cannot connect to PostgreSQL at \(socket):5432/crm") == true)
        #expect(wrong?.hint?.contains("PGPASSWORD or ~/.pgpass") == true)
        // the right password works, and is nowhere in what nk shows
        let ann = try PostgresDatabase(url: "postgresql://ann:s3cret-pass@/crm?host=\(socket)")
        #expect(!ann.location.contains("s3cret"))
        let missing = #expect(throws: EngineError.self) { try PostgresDatabase(url: "postgresql:///nodb?host=\(socket)&user=nk") }
        #expect(missing?.hint == "check the database name (psql -l lists them)")
        let refused = #expect(throws: EngineError.self) { try PostgresDatabase(url: "postgresql://nk@127.0.0.1:1/crm") }
        #expect(refused?.message.hasPrefix("cannot connect to PostgreSQL at 127.0.0.1:1/crm") == true)
    }

    @Test func ctrlCCancelsTheQueryOnTheServer() throws {
        let db = try Self.open()
        let (error, seconds) = Engines.interrupted(db, query: "select pg_sleep(30)", after: 0.3)
        #expect((error as? EngineError)?.category == .cancelled, "\(String(describing: error))")
        #expect(seconds < 10, "the query went on for 30 seconds")
        // the connection is usable afterwards
        #expect(try db.read(query: "select 1 as one", context: ExecutionContext()).table.rowCount == 1)
    }

    @Test func aServerThatGoesAwayIsAnErrorNotHalfATable() throws {
        let db = try Self.open()
        // a name of its own: terminating every connection named "nk" (nk's own name) also broke
        // the other tests' connections to the shared server
        _ = try db.read(query: "select set_config('application_name', 'nk-goes-away', false) as name", context: ExecutionContext())
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) {
            try? PostgresServer.shared.sql("select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'nk-goes-away'")
        }
        let error = #expect(throws: EngineError.self) {
            try db.read(query: "select g, pg_sleep(0.01) from generate_series(1, 1000) g", context: ExecutionContext())
        }
        #expect(error?.category == .io)
        #expect(error?.message.contains("connection to PostgreSQL") == true)
    }
}
