// The plan → SQL compiler: pipelines from the evaluator's grammar (Pipelines.swift), each
// written as SQL for PostgreSQL, DuckDB and Spark (`explain sql`). Each is SQL text or a
// located error, never a crash. With FUZZ_SQL_OUT=FILE each DuckDB statement is appended to
// FILE; Scripts/fuzz/replay-sql.sh then asks DuckDB to EXPLAIN every one of them.
import Foundation
import NKEngine
import NKLanguage

let sqlOut: UnsafeMutablePointer<FILE>? = getenv("FUZZ_SQL_OUT").flatMap { fopen(String(cString: $0), "a") }

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    var generator = Generator(c: Choices(data, size))
    var pipeline = "t"
    for _ in 0..<generator.c.next(4) + 1 { pipeline += " | " + generator.stage() }
    if getenv("FUZZ_PRINT") != nil { fputs(pipeline + "\n", stderr) }
    let session = Session()
    session.set("t", people)
    for dialect in ["postgresql", "duckdb", "spark"] {
        let text = "explain sql \(dialect) \(pipeline)"
        var statements: [String] = []
        let errors = session.run(Source(name: "fuzz.nk", text: text), keepGoing: true, emit: { output in
            if case .text(let sql) = output { statements.append(sql) }
        })
        for e in errors {
            // a located error the user can act on; an internal error is a bug in the compiler
            precondition(e.kind != .internalError, "an internal error for: \(text): \(e.message)")
        }
        precondition(errors.isEmpty == !statements.isEmpty, "neither SQL nor an error for: \(text)")
        for sql in statements where sql.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            preconditionFailure("empty SQL for: \(text)")
        }
        if dialect == "duckdb", let sqlOut, !statements.isEmpty {
            // one pipeline's statements, then a line the replay splits at
            fputs("-- " + pipeline.replacingOccurrences(of: "\n", with: " ") + "\n" + statements.joined(separator: "\n") + "\n-- end\n", sqlOut)
            fflush(sqlOut)
        }
    }
    return 0
}
