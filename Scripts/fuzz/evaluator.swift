// The evaluator: well-formed pipelines over a small table, built from the fuzzer's bytes
// (Pipelines.swift), so the engine itself is exercised. Every result is a valid table or a
// located error.
import Foundation
import NKEngine
import NKLanguage

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    var generator = Generator(c: Choices(data, size))
    let text = generator.script()
    // FUZZ_PRINT=1 .build/fuzz-plain/fuzz-evaluator CRASH shows the script a crash came from
    if getenv("FUZZ_PRINT") != nil { fputs(text + "\n", stderr) }
    let session = Session()
    session.set("t", people)
    _ = session.run(Source(name: "fuzz.nk", text: text), keepGoing: true, emit: { output in
        let table: Table
        switch output {
        case .table(let t, _): table = t
        case .result(let r): table = r.table
        default: return
        }
        for column in table.columns { precondition(column.count == table.rowCount, "a column of the wrong length in: \(text)") }
        for r in 0..<min(table.rowCount, 5) { _ = table.row(r).map(\.description) }
    })
    // the columns binding promises are the columns running produces
    for line in text.split(separator: "\n") {
        guard let plan = session.plan(ofPipeline: String(line)), let result = try? session.run(plan) else { continue }
        let produced = result.table.schema
        let bound = plan.schema
        precondition(bound.describes(produced),
                     "bound \(bound) but produced \(produced) in: \(line)")
    }
    return 0
}
