import CLibPQ
import Foundation
import NKEngine

/// Reading rows with `COPY (query) TO STDOUT`: PostgreSQL's text format, one row per message,
/// parsed field by field straight into typed columns. The connection is polled, not waited on,
/// so Ctrl-C is heard within 100 ms and cancels the query on the server (`PQcancel`).
extension PostgresDatabase {
    func copy(_ sql: String, expectedRows: Int, context: ExecutionContext) throws -> SourceRead {
        var text = sql.trimmingCharacters(in: .whitespacesAndNewlines)
        while text.hasSuffix(";") { text = String(text.dropLast()).trimmingCharacters(in: .whitespacesAndNewlines) }
        let columns = try describe(sql: text)
        guard let conn = connection else { throw closedError() }
        var builders = columns.map { CopyColumn(type: $0.type.nkType, reserve: expectedRows) }
        context.cancellation.begin(total: expectedRows)
        guard PQsendQuery(conn, "COPY (\(text)) TO STDOUT") == 1 else { throw queryError(nil, sql: text) }
        var cancelled = false
        func listen() {
            if !cancelled, context.cancellation.isCancelled {
                cancelled = true
                if let cancel = PQgetCancel(conn) {
                    var buffer = [CChar](repeating: 0, count: 256)
                    _ = PQcancel(cancel, &buffer, 256)
                    PQfreeCancel(cancel)
                }
            }
        }
        // wait for the server to start sending, listening for Ctrl-C
        while PQisBusy(conn) == 1 {
            wait(conn)
            listen()
            if PQconsumeInput(conn) == 0 { throw queryError(nil, sql: text) }
        }
        let started = PQgetResult(conn)
        guard PQresultStatus(started) == PGRES_COPY_OUT else {
            let error = cancelled ? EngineError.cancelled : queryError(started, sql: text)
            PQclear(started)
            drain(conn)
            throw error
        }
        PQclear(started)
        var rows = 0
        var bad = 0
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let n = PQgetCopyData(conn, &buffer, 1)
            if n > 0, let buffer {
                if !cancelled {
                    buffer.withMemoryRebound(to: UInt8.self, capacity: Int(n)) { bad += CopyColumn.parseRow($0, Int(n), &builders) }
                }
                PQfreemem(buffer)
                rows += 1
                if rows & 0x3FFF == 0 {
                    listen()
                    context.cancellation.advance(0x4000)
                }
            } else if n == 0 {
                wait(conn)
                listen()
                if PQconsumeInput(conn) == 0 { break }
            } else {
                break
            }
        }
        // the COPY's closing result says whether every row came
        var failure: EngineError?
        while let result = PQgetResult(conn) {
            if PQresultStatus(result) != PGRES_COMMAND_OK, failure == nil { failure = queryError(result, sql: text) }
            PQclear(result)
        }
        if cancelled || context.cancellation.isCancelled { throw EngineError.cancelled }
        if PQstatus(conn) != CONNECTION_OK {
            throw EngineError(.io, "the connection to PostgreSQL at \(location) was lost while reading", hint: "nothing was defined; the next statement connects again")
        }
        if let failure { throw failure }
        let table = try Table.uniquelyNamed(zip(columns, builders).map { ($0.name, $1.finish()) })
        let warnings = bad > 0 ? ["\(Value.grouped(bad)) values nk cannot represent (such as infinite dates) were read as null"] : []
        return SourceRead(table: table, notes: columns.compactMap(\.note), warnings: warnings)
    }

    /// Waits up to 100 ms for the server to send something.
    func wait(_ conn: OpaquePointer) {
        var descriptor = pollfd(fd: PQsocket(conn), events: Int16(POLLIN), revents: 0)
        _ = poll(&descriptor, 1, 100)
    }

    /// Reads and drops what is left of a query's results.
    func drain(_ conn: OpaquePointer) {
        while let result = PQgetResult(conn) { PQclear(result) }
    }
}

/// One column's values while COPY rows arrive, in the storage of its nk type.
struct CopyColumn {
    var values: ColumnValues
    var scratch: [UInt8] = []

    init(type: DataType, reserve: Int) {
        values = ColumnValues(type: type, reserve: reserve)
    }

    /// Splits one row (tab-separated, `\N` for null, ending in a newline) into the columns;
    /// returns how many values could not be represented (read as null).
    static func parseRow(_ p: UnsafePointer<UInt8>, _ n: Int, _ columns: inout [CopyColumn]) -> Int {
        var end = n
        if end > 0, p[end - 1] == 10 { end -= 1 }
        var start = 0, bad = 0
        for k in 0..<columns.count {
            var stop = start
            var escaped = false
            while stop < end, p[stop] != 9 {
                if p[stop] == 92 { escaped = true; stop += 1 }
                stop += 1
            }
            stop = min(stop, end)
            if !columns[k].append(p + start, stop - start, escaped: escaped) { bad += 1 }
            start = stop + 1
        }
        return bad
    }

    /// Appends one field; false when it could not be read (then it is null).
    mutating func append(_ p: UnsafePointer<UInt8>, _ n: Int, escaped: Bool) -> Bool {
        if n == 2, p[0] == 92, p[1] == 78 { values.appendNull(); return true }   // \N
        guard escaped, values.type == .string else { return values.appendText(p, n) }
        CopyColumn.unescape(p, n, into: &scratch)
        values.codes.append(scratch.withUnsafeBytes { values.dictionary.insert($0.baseAddress ?? UnsafeRawPointer(p), $0.count) })
        values.count += 1
        return true
    }

    /// The text of a field with COPY's backslash escapes (`\t`, `\n`, `\\`, octal, `\x` hex).
    static func unescape(_ p: UnsafePointer<UInt8>, _ n: Int, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        var i = 0
        while i < n {
            let c = p[i]
            guard c == 92, i + 1 < n else { out.append(c); i += 1; continue }
            let e = p[i + 1]
            i += 2
            switch e {
            case 98: out.append(8)
            case 102: out.append(12)
            case 110: out.append(10)
            case 114: out.append(13)
            case 116: out.append(9)
            case 118: out.append(11)
            case 48...55:
                var v = Int(e - 48), digits = 1
                while digits < 3, i < n, p[i] >= 48, p[i] <= 55 { v = v * 8 + Int(p[i] - 48); i += 1; digits += 1 }
                out.append(UInt8(truncatingIfNeeded: v))
            case 120:
                var v = 0, digits = 0
                while digits < 2, i < n, let d = hexDigit(p[i]) { v = v * 16 + d; i += 1; digits += 1 }
                out.append(UInt8(truncatingIfNeeded: v))
            default: out.append(e)
            }
        }
    }

    static func hexDigit(_ c: UInt8) -> Int? {
        switch c {
        case 48...57: return Int(c - 48)
        case 97...102: return Int(c - 87)
        case 65...70: return Int(c - 55)
        default: return nil
        }
    }

    func finish() -> Column { values.build() }

}
