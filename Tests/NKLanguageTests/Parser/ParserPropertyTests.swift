import Foundation
import NKLanguage
import NKTestSupport
import Testing

/// The lexer and parser never crash or hang: any input gives statements or located diagnostics
/// whose spans lie inside the input.
@Suite struct ParserPropertyTests {
    static let seeds: [String] = {
        let folder = TestPaths.corpus("nk")
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".nk") }.sorted()
        return files.compactMap { try? String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }
    }()

    static let fragments = ["|", "(", ")", "\"", "'", "`", "--", "\n", " and ", " or ", " not ", "filter ", "segment by ", " agg ",
                            "count(distinct ", "12 months", "2025-02-30", "1e999", "9999999999999999999999", "case when ", " then ",
                            " end", "join ", " on ", ",", ";", "=", "<=", "é", "東", "\u{0}", "\u{FEFF}", "let ", "load \"", "why-not"]

    func check(_ text: String) {
        let source = Source(name: "fuzz", text: text)
        let (statements, diagnostics) = Parser.parse(source)
        let n = source.bytes.count
        for d in diagnostics {
            #expect(d.span.start >= 0 && d.span.start <= n && d.span.end <= n, "span \(d.span) outside \(n) bytes")
            _ = d.line
            _ = d.column
        }
        for s in statements { #expect(s.span.end <= n) }
    }

    @Test func randomBytes() {
        var rng = SeededGenerator(seed: 42)
        for _ in 0..<3_000 {
            let length = Int.random(in: 0...200, using: &rng)
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            check(String(decoding: bytes, as: UTF8.self))
        }
    }

    @Test func mutatedScripts() {
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<3_000 {
            var chars = Array(Self.seeds.randomElement(using: &rng) ?? "")
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                guard !chars.isEmpty else { break }
                let at = Int.random(in: 0..<chars.count, using: &rng)
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: chars.remove(at: at)
                case 1: chars.insert(contentsOf: Self.fragments.randomElement(using: &rng)!, at: at)
                case 2: chars[at] = Character(UnicodeScalar(UInt8.random(in: 32...126, using: &rng)))
                default:
                    let end = min(chars.count, at + Int.random(in: 1...20, using: &rng))
                    chars.removeSubrange(at..<end)
                }
            }
            check(String(chars))
        }
    }

    @Test func deepNestingIsALocatedErrorNotACrash() {
        let deep = "t | filter " + String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
        let (_, diagnostics) = Parser.parse(Source(name: "deep", text: deep))
        #expect(diagnostics.first?.message.hasPrefix("this is nested too deeply") == true)
        let minus = "t | filter " + String(repeating: "- ", count: 10_000) + "1 > 0"
        #expect(Parser.parse(Source(name: "deep", text: minus)).diagnostics.count == 1)
        let pipes = String(repeating: "(", count: 5_000) + "t" + String(repeating: ")", count: 5_000)
        #expect(Parser.parse(Source(name: "deep", text: pipes)).diagnostics.count == 1)
    }
}
