// The SQLite reader's value mapping: a database made through libsqlite3 from the fuzzer's
// bytes (declared types right and wrong, values of every storage class in any column, text
// that is not UTF-8, dates and half-dates) reads as tables whose columns all have the row
// count, or as an EngineError; never a crash. Whole numbers in an INTEGER column come back
// as the same whole numbers.
import CSQLite
import Foundation
import NKEngine
import NKSources

// in memory's file system where there is one: a database is written for every input
let path = (FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm/" : NSTemporaryDirectory()) + "nk-fuzz-\(getpid()).sqlite"
let declaredTypes = ["INTEGER", "INT", "BIGINT", "TEXT", "VARCHAR(20)", "REAL", "DOUBLE", "FLOAT", "NUMERIC",
                     "DECIMAL(10,2)", "BOOLEAN", "DATE", "DATETIME", "TIMESTAMP", "BLOB", "", "CHARINT", "uuid"]
let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

enum Cell {
    case null, integer(Int64), real(Double), text([UInt8]), blob([UInt8])
}

extension Choices {
    mutating func int64() -> Int64 {
        var v: UInt64 = 0
        for _ in 0..<8 { v = v << 8 | UInt64(next(256)) }
        return Int64(bitPattern: v)
    }

    mutating func someBytes() -> [UInt8] {
        let samples: [[UInt8]] = [Array("2024-02-29".utf8), Array("2024-13-45".utf8), Array("12".utf8), Array("1e400".utf8),
                                  Array("-0.5".utf8), Array("true".utf8), Array("".utf8), [0xC3], [0xFF, 0xFE], Array("2024-01-02 10:11:12".utf8)]
        if next(3) == 0 { return pick(samples) }
        return (0..<next(12)).map { _ in UInt8(next(256)) }
    }

    mutating func cell() -> Cell {
        switch next(6) {
        case 0: return .null
        case 1: return .integer(int64())
        case 2: return .integer(Int64(next(256)) - 128)
        case 3: return .real(pick([Double.nan, .infinity, -0.0, 1e308, 0.5, Double(int64()), Double(bitPattern: UInt64(bitPattern: int64()))]))
        case 4: return .text(someBytes())
        default: return .blob(someBytes())
        }
    }
}

/// Makes the database; the cells by column, as inserted.
func makeDatabase(_ c: inout Choices) -> (declared: [String], cells: [[Cell]])? {
    unlink(path)
    var db: OpaquePointer?
    guard sqlite3_open(path, &db) == SQLITE_OK else { return nil }
    defer { sqlite3_close(db) }
    sqlite3_exec(db, "pragma journal_mode = off; pragma synchronous = off", nil, nil, nil)
    let width = 1 + c.next(4)
    let declared = (0..<width).map { _ in c.pick(declaredTypes) }
    let columns = declared.enumerated().map { "c\($0.offset) \($0.element)" }.joined(separator: ", ")
    guard sqlite3_exec(db, "create table t (\(columns))", nil, nil, nil) == SQLITE_OK else { return nil }
    var statement: OpaquePointer?
    let marks = Array(repeating: "?", count: width).joined(separator: ", ")
    guard sqlite3_prepare_v2(db, "insert into t values (\(marks))", -1, &statement, nil) == SQLITE_OK else { return nil }
    defer { sqlite3_finalize(statement) }
    var cells = Array(repeating: [Cell](), count: width)
    for _ in 0..<c.next(24) {
        sqlite3_reset(statement)
        for k in 0..<width {
            let cell = c.cell()
            let i = Int32(k + 1)
            switch cell {
            case .null: sqlite3_bind_null(statement, i)
            case .integer(let v): sqlite3_bind_int64(statement, i, v)
            case .real(let v): sqlite3_bind_double(statement, i, v)
            case .text(let b):
                // a zero byte at the end keeps the pointer valid for empty text
                (b + [0]).withUnsafeBufferPointer { p in
                    p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: p.count) { _ = sqlite3_bind_text(statement, i, $0, Int32(b.count), transient) }
                }
            case .blob(let b): (b + [0]).withUnsafeBufferPointer { p in _ = sqlite3_bind_blob(statement, i, p.baseAddress!, Int32(b.count), transient) }
            }
            cells[k].append(cell)
        }
        guard sqlite3_step(statement) == SQLITE_DONE else { return nil }
    }
    return (declared, cells)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    var c = Choices(data, size)
    guard let made = makeDatabase(&c) else { return 0 }
    do {
        let database = try SQLiteDatabase(path: path, shown: "fuzz.sqlite")
        defer { database.close() }
        let read = try database.read("t", columns: nil, context: ExecutionContext())
        let t = read.table
        for column in t.columns where column.count != t.rowCount { fatalError("a column of \(column.count) rows in a table of \(t.rowCount)") }
        if t.rowCount != made.cells.first?.count ?? 0 { fatalError("\(t.rowCount) rows read, \(made.cells.first?.count ?? 0) written") }
        for (k, declared) in made.declared.enumerated() where declared.uppercased().contains("INT") {
            // whole numbers (or nulls) only: they must come back as themselves
            var expected: [Value] = []
            for cell in made.cells[k] {
                switch cell {
                case .null: expected.append(.null)
                case .integer(let v): expected.append(.integer(v))
                default: expected = []
                }
                if expected.isEmpty { break }
            }
            if !expected.isEmpty, expected.count == t.rowCount, t.columns[k].type == .integer, t.columns[k].values != expected {
                fatalError("column c\(k) \(declared): \(t.columns[k].values) read, \(expected) written")
            }
        }
        _ = try database.describe("t")
        _ = try database.read(query: "select * from t where rowid % 2 = 0", context: ExecutionContext())
    } catch is EngineError {
    } catch {
        fatalError("not an EngineError: \(error)")
    }
    return 0
}
