import CLibPQ
import Foundation
import NKEngine

/// A PostgreSQL database reached through libpq: a URL (`postgresql://user@host:port/db`,
/// `postgres://…`, `postgresql:///db?host=/socket/dir`), completed by libpq's `PG*`
/// variables and `~/.pgpass`. Rows arrive with `COPY … TO STDOUT` and are parsed straight into
/// columns. A password is never kept in `location`, messages or errors.
public final class PostgresDatabase: Database {
    public let kind = "PostgreSQL"
    public var dialect: String? { "postgresql" }
    public let location: String
    public var name: String
    private var conn: OpaquePointer?
    var connection: OpaquePointer? { conn }
    /// What the user gave as the password (from the URL), to scrub from libpq's messages.
    private let password: String?

    public init(url: String, connectTimeout: Int = 10) throws {
        let parts = PostgresDatabase.parts(of: url)
        password = parts["password"].flatMap { $0.isEmpty ? nil : $0 }
        let host = parts["host"] ?? ProcessInfo.processInfo.environment["PGHOST"] ?? "localhost"
        let port = parts["port"] ?? ProcessInfo.processInfo.environment["PGPORT"] ?? "5432"
        let database = parts["dbname"] ?? ProcessInfo.processInfo.environment["PGDATABASE"] ?? parts["user"] ?? NSUserName()
        location = "\(host):\(port)/\(database)"
        name = location
        // The URL's own settings stay: its connect_timeout and application_name, and its options
        // before nk's three (which must win: they decide how dates and floats arrive).
        let settings = "-c TimeZone=UTC -c DateStyle=ISO -c extra_float_digits=3"
        let keys = ["dbname", "connect_timeout", "options", "fallback_application_name"]
        let values = [url, parts["connect_timeout"] ?? String(connectTimeout),
                      parts["options"].map { $0 + " " + settings } ?? settings, "nk"]
        conn = withCStrings(keys) { k in withCStrings(values) { v in PQconnectdbParams(k, v, 1) } }
        guard let conn, PQstatus(conn) == CONNECTION_OK else {
            let message = conn.map { String(cString: PQerrorMessage($0)) } ?? "out of memory"
            PQfinish(conn)
            self.conn = nil
            throw connectError(message)
        }
    }

    deinit { close() }

    public func close() {
        if let conn { PQfinish(conn) }
        conn = nil
    }

    /// The parts of a connection URL as libpq reads them (host, port, dbname, user, password).
    static func parts(of url: String) -> [String: String] {
        var error: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(url, &error) else {
            if let error { PQfreemem(error) }
            return [:]
        }
        defer { PQconninfoFree(options) }
        var out: [String: String] = [:]
        var p = options
        while let keyword = p.pointee.keyword {
            if let value = p.pointee.val { out[String(cString: keyword)] = String(cString: value) }
            p += 1
        }
        return out
    }

    /// libpq's message made into one line naming host:port and the database, with a hint.
    func connectError(_ raw: String) -> EngineError {
        var message = raw.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            .joined(separator: "; ")
        if let password { message = message.replacingOccurrences(of: password, with: "***") }
        let lower = message.lowercased()
        let hint: String
        if lower.contains("password authentication failed") || lower.contains("no password supplied") {
            hint = "check the user and the password: PGPASSWORD or ~/.pgpass keeps it out of scripts and history"
        } else if lower.contains("does not exist") && lower.contains("database") {
            hint = "check the database name (psql -l lists them)"
        } else if lower.contains("could not translate host name") || lower.contains("name or service not known") {
            hint = "check the host name"
        } else if lower.contains("connection refused") || lower.contains("no such file or directory") {
            hint = "is the server running, and listening at this host and port (or socket folder)?"
        } else if lower.contains("timeout") {
            hint = "the server did not answer in time: check the host, the port and the network"
        } else {
            hint = "check the address: postgresql://user@host:port/database"
        }
        return EngineError(.io, "cannot connect to PostgreSQL at \(location): \(message)", hint: hint)
    }

    // MARK: catalog

    public func tableNames() throws -> [String] {
        let result = try query("""
            select case when table_schema = 'public' then table_name else table_schema || '.' || table_name end
            from information_schema.tables
            where table_schema not in ('pg_catalog', 'information_schema') order by 1
            """)
        defer { PQclear(result) }
        return (0..<PQntuples(result)).map { String(cString: PQgetvalue(result, $0, 0)) }
    }

    public func columnNames(_ table: String) throws -> [String] {
        try describe(sql: "select * from \(try relation(table))").map(\.name)
    }

    public func emptyTable(_ table: String) throws -> Table {
        let columns = try describe(sql: "select * from \(try relation(table))")
        return try Table(columns.map { ($0.name, Column.nulls($0.type.nkType, count: 0)) })
    }

    public func describe(_ table: String) throws -> TableDescription {
        let relation = try self.relation(table)
        let columns = try describe(sql: "select * from \(relation)")
        return TableDescription(schema: Schema(columns.map { Field($0.name, $0.type.nkType) }), rows: try rowEstimate(relation),
                                estimated: true, notes: columns.compactMap(\.note))
    }

    /// The table's rows by PostgreSQL's statistics (`reltuples`); a count when it has none yet.
    func rowEstimate(_ relation: String) throws -> Int {
        let result = try query("select reltuples::bigint from pg_class where oid = '\(relation.replacingOccurrences(of: "'", with: "''"))'::regclass")
        defer { PQclear(result) }
        let estimate = PQntuples(result) > 0 ? Int(String(cString: PQgetvalue(result, 0, 0))) ?? -1 : -1
        if estimate >= 0 { return estimate }
        let counted = try query("select count(*) from \(relation)")
        defer { PQclear(counted) }
        return Int(String(cString: PQgetvalue(counted, 0, 0))) ?? 0
    }

    /// The table's name as SQL (schema-qualified when written so), checked to exist.
    func relation(_ table: String) throws -> String {
        try requireTable(table, among: try tableNames())
        return PostgresDatabase.qualified(table, PostgresDatabase.quoted)
    }

    static func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    // MARK: reading

    public func read(_ table: String, columns: [String]?, context: ExecutionContext) throws -> SourceRead {
        let relation = try self.relation(table)
        let all = try describe(sql: "select * from \(relation)")
        let names = columns ?? all.map(\.name)
        for name in names where !all.contains(where: { $0.name == name }) {
            throw EngineError.unknownColumn(name, available: all.map(\.name))
        }
        let rows = try rowEstimate(relation)
        try checkMemory(table, rows: rows, columns: names.count, estimated: true, context: context)
        let list = names.isEmpty ? "*" : names.map(PostgresDatabase.quoted).joined(separator: ", ")
        return try copy("select \(list) from \(relation)", expectedRows: rows, context: context)
    }

    public func read(query sql: String, context: ExecutionContext) throws -> SourceRead {
        try copy(sql, expectedRows: 0, context: context)
    }

    /// The result columns of a query, without running it (`PQprepare` + `PQdescribePrepared`).
    func describe(sql: String) throws -> [PostgresColumn] {
        var conn = try live()
        var prepared = PQprepare(conn, "", sql, 0, nil)
        if PQresultStatus(prepared) != PGRES_COMMAND_OK, PQstatus(conn) != CONNECTION_OK {
            // the server dropped the connection while it was idle: libpq learns it only now
            PQclear(prepared)
            conn = try live()
            prepared = PQprepare(conn, "", sql, 0, nil)
        }
        defer { PQclear(prepared) }
        guard PQresultStatus(prepared) == PGRES_COMMAND_OK else { throw queryError(prepared, sql: sql) }
        let described = PQdescribePrepared(conn, "")
        defer { PQclear(described) }
        guard PQresultStatus(described) == PGRES_COMMAND_OK else { throw queryError(described, sql: sql) }
        return (0..<PQnfields(described)).map { i in
            PostgresColumn(name: String(cString: PQfname(described, i)), oid: PQftype(described, i), modifier: PQfmod(described, i))
        }
    }

    /// Runs a statement that returns rows in one piece (catalog queries).
    func query(_ sql: String) throws -> OpaquePointer? {
        var conn = try live()
        var result = PQexec(conn, sql)
        if PQresultStatus(result) != PGRES_TUPLES_OK, PQresultStatus(result) != PGRES_COMMAND_OK, PQstatus(conn) != CONNECTION_OK {
            // dropped while idle: these are catalog reads, safe to send again
            PQclear(result)
            conn = try live()
            result = PQexec(conn, sql)
        }
        let status = PQresultStatus(result)
        guard status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK else {
            defer { PQclear(result) }
            throw queryError(result, sql: sql)
        }
        return result
    }

    /// The connection, made again when the server dropped it (a restart, `pg_terminate_backend`,
    /// a network failure): the statement after a lost connection reconnects on its own.
    func live() throws -> OpaquePointer {
        guard let conn else { throw closedError() }
        if PQstatus(conn) == CONNECTION_OK { return conn }
        PQreset(conn)
        guard PQstatus(conn) == CONNECTION_OK else {
            throw EngineError(.io, "the connection to PostgreSQL at \(location) was lost, and connecting again failed",
                              hint: "the next statement tries again; is the server running?")
        }
        return conn
    }

    func queryError(_ result: OpaquePointer?, sql: String) -> EngineError {
        if let conn, PQstatus(conn) != CONNECTION_OK {
            return EngineError(.io, "the connection to PostgreSQL at \(location) was lost", hint: "nothing was defined; the next statement connects again")
        }
        var message = result.map { String(cString: PQresultErrorMessage($0)) } ?? ""
        if message.isEmpty, let conn { message = String(cString: PQerrorMessage(conn)) }
        message = message.split(separator: "\n").first.map(String.init)?.replacingOccurrences(of: "ERROR:  ", with: "") ?? "the query failed"
        if let password { message = message.replacingOccurrences(of: password, with: "***") }
        return EngineError(.invalidInput, "PostgreSQL: \(message)", hint: "the query runs in PostgreSQL, in its SQL: \(sql)")
    }

    func closedError() -> EngineError { EngineError(.io, "\(location) is detached", hint: "attach it again") }
}

/// Calls `body` with the strings as a NULL-terminated array of C strings.
func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer { for p in pointers { free(p) } }
    return pointers.withUnsafeBufferPointer { buffer in
        buffer.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: buffer.count) { body($0) }
    }
}
