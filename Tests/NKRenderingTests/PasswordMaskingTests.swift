import NKLanguage
@testable import NKRendering
import Testing

@Suite struct PasswordMaskingTests {
    /// The line under an error is shown with a typed password's characters as `*`, so that the
    /// caret still points where it did.
    @Test func aPasswordInTheShownLineIsMasked() {
        let text = "attach \"postgresql://ann:s3cret@127.0.0.1:1/crm\" as pg"
        let source = Source(name: "s.nk", text: text)
        let start = Array(text.utf8).firstIndex(of: UInt8(ascii: "\""))!
        let diagnostic = Diagnostic("cannot connect to PostgreSQL at 127.0.0.1:1/crm: Connection refused", at: SourceSpan(start, text.utf8.count - 6),
                                    in: source, hint: "is the server running?", kind: .io)
        #expect(ErrorRenderer.render(diagnostic) == """
            s.nk:1:8: error: cannot connect to PostgreSQL at 127.0.0.1:1/crm: Connection refused
              attach "postgresql://ann:******@127.0.0.1:1/crm" as pg
                     ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
            hint: is the server running?

            """)
    }
}
