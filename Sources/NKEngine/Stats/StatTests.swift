#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Statistical tests and effect sizes for comparing groups: plain functions on plain numbers.
public enum StatTests {
    public struct ChiSquare: Sendable, Equatable {
        public var statistic: Double
        public var degreesOfFreedom: Int
        public var pValue: Double
        public var cramersV: Double
    }

    /// Pearson's chi-square test of independence on an r × c table of counts (no continuity
    /// correction), with Cramér's V = √(χ² / (n · (min(r, c) − 1))).
    public static func chiSquareIndependence(_ table: [[Double]]) -> ChiSquare {
        let rows = table.map { $0.reduce(0, +) }
        let columns = (0..<(table.first?.count ?? 0)).map { j in table.reduce(0) { $0 + $1[j] } }
        let n = rows.reduce(0, +)
        var chi2 = 0.0
        for (i, row) in table.enumerated() {
            for (j, observed) in row.enumerated() {
                let expected = rows[i] * columns[j] / n
                if expected > 0 { chi2 += (observed - expected) * (observed - expected) / expected }
            }
        }
        let r = rows.filter { $0 > 0 }.count, c = columns.filter { $0 > 0 }.count
        let dof = r > 0 && c > 0 ? (r - 1) * (c - 1) : 0
        let k = min(r, c) - 1
        return ChiSquare(statistic: chi2, degreesOfFreedom: dof,
                         pValue: dof == 0 ? 1 : Distributions.chiSquareSF(chi2, df: Double(dof)),
                         cramersV: k > 0 && n > 0 ? (chi2 / (n * Double(k))).squareRoot() : 0)
    }

    /// Fisher's exact test on a 2 × 2 table [[a, b], [c, d]], two-sided (the probabilities of
    /// all tables with the same margins no more likely than the observed one), and the sample
    /// odds ratio ad / bc.
    public static func fisherExact(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> (oddsRatio: Double, pValue: Double) {
        let odds = b * c == 0 ? (a * d == 0 ? Double.nan : Double.infinity) : Double(a) * Double(d) / (Double(b) * Double(c))
        return (odds, Hypergeometric.fisherTwoSided(a, b, c, d))
    }

    public struct TwoSample: Sendable {
        public var welchT: Double
        public var welchDF: Double
        public var welchP: Double
        /// U of the first sample: its rank sum minus n₁(n₁+1)/2.
        public var mannWhitneyU1: Double
        /// Two-sided, normal approximation with tie and continuity correction.
        public var mannWhitneyP: Double
        /// Difference of means over the pooled standard deviation (ddof 1).
        public var cohensD: Double
        /// 2 U₁ / (n₁ n₂) − 1: P(a > b) − P(a < b).
        public var cliffsDelta: Double
    }

    /// What the two-sample tests need to know of two samples: sizes, means, variances (ddof 1),
    /// the first sample's rank sum in the pooled sample (ties averaged) and Σ (t³ − t) over
    /// groups of t tied values.
    public struct TwoSampleSummary: Sendable {
        public var n1, n2, mean1, mean2, variance1, variance2, rankSum1, tieTerm: Double
        public init(n1: Double, n2: Double, mean1: Double, mean2: Double, variance1: Double, variance2: Double,
                    rankSum1: Double, tieTerm: Double) {
            self.n1 = n1; self.n2 = n2; self.mean1 = mean1; self.mean2 = mean2
            self.variance1 = variance1; self.variance2 = variance2; self.rankSum1 = rankSum1; self.tieTerm = tieTerm
        }
    }

    /// Welch's t-test, Mann-Whitney U, Cohen's d and Cliff's delta for two samples (`sorted`:
    /// both are already in ascending order).
    public static func twoSample(_ a: [Double], _ b: [Double], sorted: Bool = false) -> TwoSample {
        twoSample(summary(a, b, sorted: sorted))
    }

    /// The summary of two samples the tests need (`sorted`: both in ascending order).
    public static func summary(_ a: [Double], _ b: [Double], sorted: Bool = false) -> TwoSampleSummary {
        let ma = mean(a), mb = mean(b)
        // ranks of the pooled sample (ties averaged): the sorted samples merged without
        // branches on the data, and each run of equal values settled when the next one starts
        let sa = sorted ? a : a.sorted(), sb = sorted ? b : b.sorted()
        var rankSumA = 0.0, tieTerm = 0.0
        let na = sa.count, nb = sb.count
        if na + nb > 0 {
            sa.withUnsafeBufferPointer { a in
                sb.withUnsafeBufferPointer { b in
                    var i = 0, j = 0, runStart = 0
                    var runA = 0.0
                    var previous = nb == 0 || (na > 0 && a[0] <= b[0]) ? a[0] : b[0]
                    for k in 0..<(na + nb) {
                        let x = i < na ? a[i] : .infinity, y = j < nb ? b[j] : .infinity
                        let takeA = x <= y
                        let v = takeA ? x : y
                        i &+= takeA ? 1 : 0
                        j &+= takeA ? 0 : 1
                        let changed = v != previous
                        let t = Double(k &- runStart)
                        let settle = changed ? 1.0 : 0.0
                        rankSumA += settle * runA * (Double(runStart) + (t + 1) / 2)
                        tieTerm += settle * (t * t * t - t)
                        runStart = changed ? k : runStart
                        runA = (changed ? 0 : runA) + (takeA ? 1 : 0)
                        previous = v
                    }
                    let t = Double(na + nb - runStart)
                    rankSumA += runA * (Double(runStart) + (t + 1) / 2)
                    tieTerm += t * t * t - t
                }
            }
        }
        return TwoSampleSummary(n1: Double(a.count), n2: Double(b.count), mean1: ma, mean2: mb,
                                variance1: variance(a, mean: ma), variance2: variance(b, mean: mb),
                                rankSum1: rankSumA, tieTerm: tieTerm)
    }

    /// The two-sample tests from a summary of the samples.
    public static func twoSample(_ s: TwoSampleSummary) -> TwoSample {
        let na = s.n1, nb = s.n2, ma = s.mean1, mb = s.mean2, va = s.variance1, vb = s.variance2
        let wa = va / na, wb = vb / nb
        let t = (ma - mb) / (wa + wb).squareRoot()
        let df = (wa + wb) * (wa + wb) / (wa * wa / (na - 1) + wb * wb / (nb - 1))
        let n = na + nb
        let u1 = s.rankSum1 - na * (na + 1) / 2
        let mu = na * nb / 2
        let sigma = (na * nb / 12 * ((n + 1) - s.tieTerm / (n * (n - 1)))).squareRoot()
        let u = max(u1, na * nb - u1)
        let z = (u - mu - 0.5) / sigma
        let pooledSD = (((na - 1) * va + (nb - 1) * vb) / (na + nb - 2)).squareRoot()
        return TwoSample(welchT: t, welchDF: df, welchP: Distributions.tTwoSided(t, df: df),
                         mannWhitneyU1: u1, mannWhitneyP: sigma > 0 ? min(1, 2 * Distributions.normalSF(z)) : 1,
                         cohensD: (ma - mb) / pooledSD, cliffsDelta: 2 * u1 / (na * nb) - 1)
    }

    static func mean(_ x: [Double]) -> Double { sum(x) { $0 } / Double(x.count) }
    static func variance(_ x: [Double], mean m: Double) -> Double {
        sum(x) { ($0 - m) * ($0 - m) } / Double(x.count - 1)
    }

    /// Σ f(x) with four running sums, so the loop vectorises.
    @inline(__always)
    static func sum(_ x: [Double], _ f: (Double) -> Double) -> Double {
        x.withUnsafeBufferPointer { p in
            var s = SIMD4<Double>()
            var i = 0
            while i + 4 <= p.count {
                s += SIMD4(f(p[i]), f(p[i + 1]), f(p[i + 2]), f(p[i + 3]))
                i += 4
            }
            var total = s.sum()
            while i < p.count { total += f(p[i]); i += 1 }
            return total
        }
    }

    /// The 95 % Wilson score interval for k successes in n trials.
    public static func wilson(_ k: Int, _ n: Int, z: Double = 1.959963984540054) -> (low: Double, high: Double) {
        guard n > 0 else { return (0, 1) }
        let n = Double(n), p = Double(k) / n, z2 = z * z
        let denominator = 1 + z2 / n
        let center = (p + z2 / (2 * n)) / denominator
        let half = z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot() / denominator
        // exact at the ends (the formula leaves rounding residue there)
        return (k == 0 ? 0 : max(0, center - half), k == Int(n) ? 1 : min(1, center + half))
    }

    /// Risk ratio (a/(a+b)) / (c/(c+d)) with Katz's 95 % log interval: a, b the target and
    /// reference rows with the pattern, c, d those without.
    public static func riskRatio(_ a: Double, _ b: Double, _ c: Double, _ d: Double, z: Double = 1.959963984540054) -> (ratio: Double, low: Double, high: Double) {
        let rr = (a / (a + b)) / (c / (c + d))
        let se = (1 / a - 1 / (a + b) + 1 / c - 1 / (c + d)).squareRoot()
        return (rr, rr * exp(-z * se), rr * exp(z * se))
    }

    /// One stratum of a stratified 2 × 2 table: a, b the target and reference rows with the
    /// pattern, c, d those without.
    public struct Stratum: Sendable {
        public var a, b, c, d: Double
        public init(_ a: Double, _ b: Double, _ c: Double, _ d: Double) { self.a = a; self.b = b; self.c = c; self.d = d }
    }

    /// The Mantel-Haenszel risk ratio over strata, Σ a(c+d)/n ÷ Σ c(a+b)/n, with the
    /// Greenland-Robins 95 % interval on the log scale. Strata with fewer than two rows carry
    /// no information and are skipped; nil when the ratio is undefined (no target rows on
    /// one side of the pattern in any stratum).
    public static func mantelHaenszelRiskRatio(_ strata: [Stratum], z: Double = 1.959963984540054) -> (ratio: Double, low: Double, high: Double)? {
        var r = 0.0, s = 0.0, v = 0.0
        for t in strata {
            let n = t.a + t.b + t.c + t.d
            guard n > 1 else { continue }
            let exposed = t.a + t.b, unexposed = t.c + t.d, cases = t.a + t.c
            r += t.a * unexposed / n
            s += t.c * exposed / n
            v += (cases * exposed * unexposed / (n * n) - t.a * t.c / n)
        }
        guard r > 0, s > 0 else { return nil }
        let rr = r / s, se = (v / (r * s)).squareRoot()
        return (rr, rr * exp(-z * se), rr * exp(z * se))
    }

    /// p-values adjusted for testing several hypotheses at once.
    public enum Adjustment: String, Sendable { case bonferroni, holm, benjaminiHochberg = "benjamini_hochberg" }

    public static func adjust(_ p: [Double], _ method: Adjustment) -> [Double] {
        let m = Double(p.count)
        let order = p.indices.sorted { p[$0] < p[$1] }
        var adjusted = [Double](repeating: 0, count: p.count)
        switch method {
        case .bonferroni:
            return p.map { min(1, $0 * m) }
        case .holm:
            var running = 0.0
            for (rank, i) in order.enumerated() {
                running = max(running, (m - Double(rank)) * p[i])
                adjusted[i] = min(1, running)
            }
        case .benjaminiHochberg:
            var running = 1.0
            for (rank, i) in order.enumerated().reversed() {
                running = min(running, m / Double(rank + 1) * p[i])
                adjusted[i] = min(1, running)
            }
        }
        return adjusted
    }
}
