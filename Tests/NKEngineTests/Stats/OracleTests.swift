import Foundation
import NKEngine
import NKTestSupport
import Testing

/// Every statistic against the reference values computed with scipy (`../shared/oracles/
/// stats.json`): agreement to 1e-9 relative, 1e-6 for p-values below 1e-10.
@Suite struct OracleTests {
    nonisolated(unsafe) static let cases: [String: Any] = {
        let url = TestPaths.root.deletingLastPathComponent().appendingPathComponent("shared/oracles/stats.json")
        guard let data = try? Data(contentsOf: url),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        return json["cases"] as? [String: Any] ?? [:]
    }()

    static func list(_ name: String) -> [[String: Any]] { cases[name] as? [[String: Any]] ?? [] }
    static func number(_ x: Any?) -> Double { (x as? NSNumber)?.doubleValue ?? .nan }

    func close(_ actual: Double, _ expected: Double, _ what: String, p: Bool = false) {
        let tolerance = p && abs(expected) < 1e-10 ? 1e-6 : 1e-9
        let ok = actual == expected || abs(actual - expected) <= tolerance * max(abs(expected), 1e-300)
            || (expected == 0 && abs(actual) < 1e-15)
        #expect(ok, "\(what): \(actual) vs \(expected)")
    }

    @Test func oracleIsPresent() {
        #expect(Self.cases.isEmpty || Self.cases.count >= 12)
    }

    @Test func normal() {
        for c in Self.list("normal_cdf") {
            let x = Self.number(c["x"])
            close(Distributions.normalCDF(x), Self.number(c["cdf"]), "cdf(\(x))", p: true)
            close(Distributions.normalSF(x), Self.number(c["sf"]), "sf(\(x))", p: true)
        }
        for c in Self.list("normal_ppf") {
            let p = Self.number(c["p"])
            let expected = Self.number(c["x"])
            if expected == 0 { #expect(abs(Distributions.normalQuantile(p)) < 1e-15) } else {
                close(Distributions.normalQuantile(p), expected, "ppf(\(p))")
            }
        }
    }

    @Test func chiSquareTAndSpecialFunctions() {
        for c in Self.list("chi2_sf") {
            close(Distributions.chiSquareSF(Self.number(c["x"]), df: Self.number(c["df"])), Self.number(c["sf"]), "chi2 sf \(c)", p: true)
        }
        for c in Self.list("t_sf_two_sided") {
            close(Distributions.tTwoSided(Self.number(c["t"]), df: Self.number(c["df"])), Self.number(c["p"]), "t \(c)", p: true)
        }
        for c in Self.list("regularized_gamma_p") {
            close(Distributions.regularizedGammaP(Self.number(c["a"]), Self.number(c["x"])), Self.number(c["p"]), "P \(c)")
        }
        for c in Self.list("regularized_beta") {
            close(Distributions.regularizedBeta(Self.number(c["x"]), Self.number(c["a"]), Self.number(c["b"])), Self.number(c["i"]), "I \(c)")
        }
    }

    @Test func contingencyTables() {
        for c in Self.list("chi2_independence_no_correction") {
            let table = (c["table"] as? [[NSNumber]] ?? []).map { $0.map(\.doubleValue) }
            let r = StatTests.chiSquareIndependence(table)
            close(r.statistic, Self.number(c["chi2"]), "chi2 \(table)")
            close(r.pValue, Self.number(c["p"]), "p \(table)", p: true)
            #expect(Double(r.degreesOfFreedom) == Self.number(c["dof"]))
            close(r.cramersV, Self.number(c["cramers_v"]), "V \(table)")
        }
        for c in Self.list("fisher_exact_two_sided") {
            let t = (c["table"] as? [[NSNumber]] ?? []).map { $0.map(\.intValue) }
            let r = StatTests.fisherExact(t[0][0], t[0][1], t[1][0], t[1][1])
            close(r.pValue, Self.number(c["p"]), "fisher p \(t)", p: true)
            let odds = Self.number(c["odds_ratio"])
            if odds.isFinite { close(r.oddsRatio, odds, "odds \(t)") } else { #expect(r.oddsRatio.isInfinite || r.oddsRatio.isNaN) }
        }
    }

    @Test func twoSamples() {
        for c in Self.list("two_sample") {
            let a = (c["a"] as? [NSNumber] ?? []).map(\.doubleValue), b = (c["b"] as? [NSNumber] ?? []).map(\.doubleValue)
            let r = StatTests.twoSample(a, b)
            close(r.welchT, Self.number(c["welch_t"]), "welch t")
            close(r.welchDF, Self.number(c["welch_df"]), "welch df")
            close(r.welchP, Self.number(c["welch_p"]), "welch p", p: true)
            close(r.mannWhitneyU1, Self.number(c["mann_whitney_u1"]), "U1")
            close(r.mannWhitneyP, Self.number(c["mann_whitney_p_asymptotic"]), "MW p", p: true)
            close(r.cohensD, Self.number(c["cohens_d_pooled"]), "d")
            close(r.cliffsDelta, Self.number(c["cliffs_delta"]), "delta")
            close(Quantile.of(a, 0.5)!, Self.number(c["median_a"]), "median a")
            close(Quantile.of(b, 0.5)!, Self.number(c["median_b"]), "median b")
            close(Quantile.of(a, 0.9)!, Self.number(c["quantile90_a_linear"]), "q90 a")
        }
    }

    @Test func intervalsAndRiskRatios() {
        for c in Self.list("wilson_95") {
            let r = StatTests.wilson(Int(Self.number(c["k"])), Int(Self.number(c["n"])))
            close(r.low, Self.number(c["low"]), "wilson low \(c)")
            close(r.high, Self.number(c["high"]), "wilson high \(c)")
        }
        for c in Self.list("risk_ratio_katz_95") {
            let r = StatTests.riskRatio(Self.number(c["a"]), Self.number(c["b"]), Self.number(c["c"]), Self.number(c["d"]))
            close(r.ratio, Self.number(c["rr"]), "rr \(c)")
            close(r.low, Self.number(c["low"]), "rr low \(c)")
            close(r.high, Self.number(c["high"]), "rr high \(c)")
        }
    }

    @Test func multipleTesting() {
        guard let c = Self.cases["p_adjust"] as? [String: Any] else { return }
        let p = (c["p"] as? [NSNumber] ?? []).map(\.doubleValue)
        for (key, method) in [("bonferroni", StatTests.Adjustment.bonferroni), ("holm", .holm), ("benjamini_hochberg", .benjaminiHochberg)] {
            let expected = (c[key] as? [NSNumber] ?? []).map(\.doubleValue)
            for (x, e) in zip(StatTests.adjust(p, method), expected) { close(x, e, key) }
        }
    }
}

/// Edge cases the oracle does not cover: empty rows, zero cells, no data.
@Suite struct StatisticsEdgeCaseTests {
    @Test func chiSquareIgnoresEmptyRowsAndColumns() {
        let r = StatTests.chiSquareIndependence([[10, 20, 0], [30, 40, 0], [0, 0, 0]])
        let plain = StatTests.chiSquareIndependence([[10, 20], [30, 40]])
        #expect(r.degreesOfFreedom == 1 && r.statistic == plain.statistic && r.pValue == plain.pValue)
        let single = StatTests.chiSquareIndependence([[5, 7]])
        #expect(single.degreesOfFreedom == 0 && single.pValue == 1 && single.cramersV == 0)
    }

    @Test func fisherWithZeroCells() {
        let r = StatTests.fisherExact(5, 0, 0, 5)
        #expect(r.oddsRatio.isInfinite)
        #expect(abs(r.pValue - 2.0 / 252.0) < 1e-12)  // two of C(10,5) = 252 tables are as extreme
        #expect(abs(StatTests.fisherExact(3, 3, 3, 3).pValue - 1) < 1e-12)
    }

    @Test func wilsonAtTheEdges() {
        #expect(StatTests.wilson(0, 0) == (0, 1))
        let all = StatTests.wilson(10, 10)
        #expect(abs(all.high - 1) < 1e-12 && all.low > 0.7)
    }

    @Test func adjustingNothingOrOne() {
        #expect(StatTests.adjust([], .holm).isEmpty)
        #expect(StatTests.adjust([0.3], .benjaminiHochberg) == [0.3])
        #expect(StatTests.adjust([0.6, 0.7], .bonferroni) == [1, 1])
    }

    @Test func tailsStayAccurateFarOut() {
        #expect(Distributions.normalSF(10) > 0 && Distributions.normalSF(10) < 1e-22)
        #expect(Distributions.chiSquareSF(200, df: 2) > 0)
        #expect(abs(Distributions.normalQuantile(1e-10) + 6.361340902404056) < 1e-9)
    }
}
