// Lexer and parser: any bytes give statements or located errors, never a crash or a hang.
import NKLanguage

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let source = Source(name: "fuzz.nk", text: text(data, size))
    let (statements, diagnostics) = Parser.parse(source)
    for d in diagnostics {
        // every error points into the text
        precondition(d.span.start >= 0 && d.span.start <= source.bytes.count, "an error outside the text")
        _ = d.message
    }
    for s in statements { precondition(s.span.end <= source.bytes.count, "a statement outside the text") }
    _ = Lexer.needsMoreInput(source.text)
    return 0
}
