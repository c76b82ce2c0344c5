import Foundation
import NKEngine
import NKTestSupport
import Testing

/// Fisher's exact test and the Mantel-Haenszel risk ratio on the table sizes why-not meets:
/// up to a million rows, p-values far below 1e-10.
@Suite struct LargeTableTests {
    /// Two-sided p-values from scipy.stats.fisher_exact (SciPy 1.17.1).
    @Test func fisherAgreesWithScipyOnLargeTables() {
        let cases: [(Int, Int, Int, Int, Double)] = [
            (1200, 800, 30000, 40000, 5.5521931260084e-52),
            (300, 100, 4000, 4500, 1.0945986777606485e-28),
            (50, 10, 20000, 45000, 5.5115876282275547e-17),
            (120, 80, 100_000, 80000, 0.22618500761294869),
            (3000, 2950, 497_000, 497_050, 0.5240383959050429),
            (10, 20000, 30, 60000, 1.0),
            (0, 12, 400, 600, 0.004690621897984998),
            (39922, 5289, 0, 0, 1.0),
            (7, 3, 2, 8, 0.06977851869492736),
            (13961, 2118, 415_160, 568_761, 0),
        ]
        for (a, b, c, d, expected) in cases {
            let p = StatTests.fisherExact(a, b, c, d).pValue
            #expect(approximately(p, expected, relative: 1e-9) || (expected == 0 && p < 1e-300), "\(a) \(b) \(c) \(d): \(p) vs \(expected)")
        }
    }

    /// The distribution sums to one, and the log probability matches a direct product of
    /// binomial coefficients where that is exact.
    @Test func hypergeometricProbabilities() {
        let marked = 40, unmarked = 60, drawn = 30
        let total = (0...drawn).reduce(0.0) { $0 + exp(Hypergeometric.logProbability($1, marked: marked, unmarked: unmarked, drawn: drawn)) }
        #expect(abs(total - 1) < 1e-13)
        func choose(_ n: Int, _ k: Int) -> Double { (0..<k).reduce(1.0) { $0 * Double(n - $1) / Double($1 + 1) } }
        let direct = choose(10, 3) * choose(12, 4) / choose(22, 7)
        #expect(approximately(exp(Hypergeometric.logProbability(3, marked: 10, unmarked: 12, drawn: 7)), direct, relative: 1e-13))
        #expect(Hypergeometric.logProbability(11, marked: 10, unmarked: 12, drawn: 7) == -.infinity)
    }

    /// With one stratum the Mantel-Haenszel ratio and its Greenland-Robins interval are the
    /// crude risk ratio and Katz's interval.
    @Test func mantelHaenszelWithOneStratumIsKatz() throws {
        let crude = StatTests.riskRatio(41, 59, 130, 870)
        let mh = try #require(StatTests.mantelHaenszelRiskRatio([.init(41, 59, 130, 870)]))
        #expect(approximately(mh.ratio, crude.ratio, relative: 1e-12))
        #expect(approximately(mh.low, crude.low, relative: 1e-12))
        #expect(approximately(mh.high, crude.high, relative: 1e-12))
    }

    /// Strata that share one risk ratio give exactly that ratio, however different their sizes;
    /// a pattern whose crude effect comes only from the strata vanishes.
    @Test func mantelHaenszelRemovesConfounding() throws {
        // risk ratio 2 in both strata: 20/100 vs 10/100, and 60/200 vs 15/100
        let same = try #require(StatTests.mantelHaenszelRiskRatio([.init(20, 80, 10, 90), .init(60, 140, 15, 85)]))
        #expect(approximately(same.ratio, 2, relative: 1e-12))
        // within each stratum the rate is the same with and without the pattern, but the
        // pattern is common where the rate is high: crude ratio far above 1, adjusted exactly 1
        let strata: [StatTests.Stratum] = [.init(45, 45, 5, 5), .init(1, 9, 9, 81)]
        let crude = StatTests.riskRatio(46, 54, 14, 86)
        #expect(crude.ratio > 3)
        let adjusted = try #require(StatTests.mantelHaenszelRiskRatio(strata))
        #expect(approximately(adjusted.ratio, 1, relative: 1e-12))
        #expect(adjusted.low < 1 && adjusted.high > 1)
        // no target rows without the pattern anywhere: undefined, not infinite
        #expect(StatTests.mantelHaenszelRiskRatio([.init(5, 5, 0, 10)]) == nil)
    }
}
