// The CSV reader with sniffing: any bytes give a table or a located error.
import NKEngine

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for encoding in [CSVOptions.TextEncoding.utf8, .latin1] {
        var options = CSVOptions()
        options.encoding = encoding
        do {
            let load = try CSVReader.load(bytes: bytes, name: "fuzz.csv", options: options)
            let t = load.table
            for c in t.columns { precondition(c.count == t.rowCount, "a column of the wrong length") }
            // every value can be shown
            for r in 0..<min(t.rowCount, 3) { _ = t.row(r).map(\.description) }
        } catch let e as EngineError {
            _ = e.description
        } catch {
            preconditionFailure("an error that is not an EngineError: \(error)")
        }
    }
    return 0
}
