import NKAnalysis
import NKEngine
import NKTestSupport
import Testing

/// The lookalike model is the L2-penalised logistic regression it claims to be: its scores
/// equal the probabilities of the same model fitted with scipy.optimize (BFGS on the penalised
/// log-likelihood, λ = 1, intercept unpenalised), and candidates come best first with reasons.
@Suite struct LookalikeTests {
    static let cells: [((String, String), (Int, Int))] = [
        (("red", "S"), (8, 2)), (("red", "L"), (5, 5)), (("blue", "S"), (3, 7)),
        (("blue", "L"), (2, 8)), (("green", "S"), (6, 4)), (("green", "L"), (1, 9)),
    ]
    /// scipy's fitted probability per (color, size).
    static let expected: [String: Double] = [
        "red S": 0.7459978103592033, "red L": 0.46780734604876645, "blue S": 0.39786818863923307,
        "blue L": 0.1651105065886687, "green S": 0.49581756219088546, "green L": 0.2273985860914405,
    ]

    @Test func scoresAreThePenalisedLogisticRegression() throws {
        var colors: [String?] = [], sizes: [String?] = [], isModel: [UInt8] = []
        for ((color, size), (positive, negative)) in Self.cells {
            for k in 0..<(positive + negative) { colors.append(color); sizes.append(size); isModel.append(k < positive ? 1 : 0) }
        }
        let model = makeTable([("color", .strings(colors)), ("size", .strings(sizes))])
        let candidates = makeTable([("color", .strings(Self.cells.map { $0.0.0 })), ("size", .strings(Self.cells.map { $0.0.1 }))])
        let r = try Lookalike.run(candidates: candidates, model: model, isModel: isModel, againstCandidates: false, options: .init())
        #expect(r.rows.rowCount == 6)
        for row in 0..<r.rows.rowCount {
            let key = "\(r.rows.column("color")![row]) \(r.rows.column("size")![row])"
            #expect(approximately(r.rows.column("lookalike_score")![row].doubleValue, Self.expected[key], relative: 1e-9), "\(key)")
        }
        // best first, with the values that speak for it
        #expect(r.rows.column("rank")![0] == .integer(1))
        #expect(r.rows.column("color")![0] == .string("red") && r.rows.column("size")![0] == .string("S"))
        #expect(r.rows.column("because")![0] == .string("color = \"red\", size = \"S\""))
        #expect(r.weights.column("value")![0] == .string("color = \"red\""))
    }

    @Test func emptyGroupsAreErrors() throws {
        let t = makeTable([("color", .strings(["red", "blue"]))])
        #expect(throws: EngineError.self) {
            try Lookalike.run(candidates: t, model: t, isModel: [0, 0], againstCandidates: false, options: .init())
        }
        #expect(throws: EngineError.self) {
            try Lookalike.run(candidates: t, model: t, isModel: [1, 1], againstCandidates: false, options: .init())
        }
    }
}
