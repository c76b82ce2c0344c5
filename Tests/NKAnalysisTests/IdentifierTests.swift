import NKAnalysis
import NKEngine
import NKTestSupport
import Testing

/// Whole-number identifiers are no attributes: a column named like an id (even where ids repeat,
/// as a customer number does in an invoice export) or one with a different value in nearly
/// every row is left out of why-not's automatic columns, with the reason; an amount is kept.
@Suite struct IdentifierTests {
    @Test func idsAreLeftOutAmountsAreNot() throws {
        let n = 40
        let table = makeTable([
            ("CustomerID", .integers((0..<n).map { Int64(12_000 + $0 % 10) })),   // repeats: 4 rows per customer
            ("invoice", .integers((0..<n).map { $0 == 1 ? 0 : Int64($0) })),        // 39 of 40 distinct
            ("quantity", .integers((0..<n).map { Int64($0 % 3 + ($0 < 20 ? 5 : 1)) })),
        ])
        let target = (0..<n).map { UInt8($0 < 20 ? 1 : 0) }
        let result = try WhyNot.run(table, target: target, groups: WhyNot.Groups(target: "t", verb: "be t"), options: WhyNot.Options())
        let summary = result.summary.joined(separator: "\n")
        #expect(summary.contains("looking at quantity"))
        #expect(summary.contains("CustomerID (an identifier)"))
        #expect(summary.contains("invoice (an identifier)"))
        let patterns = result.patterns.column("pattern")!.values.map(\.description)
        #expect(!patterns.contains { $0.contains("CustomerID") || $0.contains("invoice") })
    }
}
