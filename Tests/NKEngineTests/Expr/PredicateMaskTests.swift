import NKEngine
import NKTestSupport
import Testing

/// Filters take a bitmask path; it must agree with the general three-valued evaluator row for
/// row, including nulls and a last chunk that does not fill its 64-row word.
@Suite struct PredicateMaskTests {
    static let table: Table = {
        var rng = SeededGenerator(seed: 5)
        let n = 250_003
        func maybe<T>(_ v: T) -> T? { Int.random(in: 0..<5, using: &rng) == 0 ? nil : v }
        let regions = ["Süd", "Nord", "Ost"]
        return makeTable([
            ("region", .strings((0..<n).map { _ in maybe(regions[Int.random(in: 0..<3, using: &rng)]) })),
            ("employees", .integers((0..<n).map { _ in maybe(Int64.random(in: 0..<200, using: &rng)) })),
            ("nps", .floats((0..<n).map { _ in maybe(Double(Int.random(in: -100...100, using: &rng))) })),
            ("since", .dates((0..<n).map { _ in maybe(Int32.random(in: 18_000..<20_000, using: &rng)) })),
        ])
    }()

    static let predicates: [Expr] = [
        .col("region") == .lit("Süd") && .col("employees") > .lit(50) && .col("nps") < .lit(0.0),
        .col("region") != .lit("Süd") || .col("nps") >= .lit(50.0),
        .col("region") == .lit("West"),
        .col("region") != .lit("West"),
        .lit(100) < .col("employees"),
        !(.col("employees") <= .lit(100)),
        .col("since") >= .lit("2024-01-01") && .isNull(.col("region")),
        .inList(.col("region"), [.lit("Ost"), .lit("Nord")]) || .col("employees") == .lit(7),
        .col("employees") + .lit(1) > .col("nps"),
    ]

    @Test(arguments: 0..<predicates.count)
    func maskAgreesWithEvaluator(_ index: Int) throws {
        let t = Self.table
        let predicate = Self.predicates[index]
        let truth = try t.evaluate(predicate).values
        let expected = truth.indices.filter { truth[$0] == .boolean(true) }.map { Int32($0) }
        #expect(try t.selection(where: predicate) == expected)
        #expect(try t.count(where: predicate) == expected.count)
    }
}
