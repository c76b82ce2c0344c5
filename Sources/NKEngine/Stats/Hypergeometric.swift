#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The hypergeometric distribution, accurate to a few units in the last place even for
/// millions of rows: log probabilities come from Loader's saddle-point form (Stirling's error
/// term and the binomial deviance), never from differences of large log-gamma values.
public enum Hypergeometric {
    static let lnSqrt2Pi = 0.918938533204672741780329736406
    static let ln2Pi = 1.837877066409345483560659472811

    /// ln(n!) − ln(√(2π n) (n/e)ⁿ): the error of Stirling's formula.
    static func stirlingError(_ n: Double) -> Double {
        if n <= 15 {
            return n == 0 ? 0 : lgamma(n + 1) - (n + 0.5) * log(n) + n - lnSqrt2Pi
        }
        let s0 = 1.0 / 12, s1 = 1.0 / 360, s2 = 1.0 / 1260, s3 = 1.0 / 1680, s4 = 1.0 / 1188
        let nn = n * n
        if n > 500 { return (s0 - s1 / nn) / n }
        if n > 80 { return (s0 - (s1 - s2 / nn) / nn) / n }
        if n > 35 { return (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n }
        return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n
    }

    /// x ln(x / m) + m − x, the binomial deviance, without cancellation when x ≈ m.
    static func deviance(_ x: Double, _ m: Double) -> Double {
        if abs(x - m) < 0.1 * (x + m) {
            var v = (x - m) / (x + m)
            var s = (x - m) * v
            if abs(s) < Double.leastNormalMagnitude { return s }
            var term = 2 * x * v
            v *= v
            for j in 1..<1000 {
                term *= v
                let next = s + term / Double(2 * j + 1)
                if next == s { return next }
                s = next
            }
            return s
        }
        return x * log(x / m) + m - x
    }

    /// ln P(X = x) for X ~ Binomial(n, p), q = 1 − p given separately for accuracy.
    static func logBinomial(_ x: Double, _ n: Double, _ p: Double, _ q: Double) -> Double {
        if p == 0 { return x == 0 ? 0 : -.infinity }
        if q == 0 { return x == n ? 0 : -.infinity }
        if x == 0 {
            if n == 0 { return 0 }
            return p < 0.1 ? -deviance(n, n * q) - n * p : n * log(q)
        }
        if x == n { return q < 0.1 ? -deviance(n, n * p) - n * q : n * log(p) }
        if x < 0 || x > n { return -.infinity }
        let lc = stirlingError(n) - stirlingError(x) - stirlingError(n - x) - deviance(x, n * p) - deviance(n - x, n * q)
        let lf = ln2Pi + log(x) + log1p(-x / n)
        return lc - 0.5 * lf
    }

    /// ln P(X = x) when `drawn` items are taken without replacement from `marked` marked and
    /// `unmarked` unmarked ones and X counts the marked items drawn.
    public static func logProbability(_ x: Int, marked: Int, unmarked: Int, drawn: Int) -> Double {
        if x < 0 || x > marked || drawn - x < 0 || drawn - x > unmarked { return -.infinity }
        let total = Double(marked + unmarked)
        if drawn == 0 { return x == 0 ? 0 : -.infinity }
        let p = Double(drawn) / total, q = Double(marked + unmarked - drawn) / total
        return logBinomial(Double(x), Double(marked), p, q) + logBinomial(Double(drawn - x), Double(unmarked), p, q)
            - logBinomial(Double(drawn), total, p, q)
    }

    /// Fisher's exact test on the 2 × 2 table [[a, b], [c, d]], two-sided: the probability of
    /// every table with the same margins that is no more likely than the observed one (with a
    /// relative tolerance of 10⁻⁷ for ties, as R and SciPy use). The tails are summed outward
    /// from their largest term by the ratio of neighbouring probabilities, so the cost grows
    /// with the spread of the distribution, not with the number of rows.
    public static func fisherTwoSided(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> Double {
        let drawn = a + b, marked = a + c, unmarked = b + d
        let low = max(0, drawn - unmarked), high = min(drawn, marked)
        if low == high { return 1 }
        let total = Double(marked + unmarked)
        let mode = min(high, max(low, Int((Double(drawn + 1) * Double(marked + 1) / (total + 2)).rounded(.down))))
        func logP(_ x: Int) -> Double { logProbability(x, marked: marked, unmarked: unmarked, drawn: drawn) }
        // P(x + 1) / P(x) and P(x − 1) / P(x)
        func up(_ x: Int) -> Double {
            Double(drawn - x) * Double(marked - x) / (Double(x + 1) * Double(unmarked - drawn + x + 1))
        }
        func down(_ x: Int) -> Double {
            Double(x) * Double(unmarked - drawn + x) / (Double(drawn - x + 1) * Double(marked - x + 1))
        }
        /// Σ P(y) / P(start) for y from `start` outward (away from the mode) to the bound.
        func tail(from start: Int, upward: Bool) -> Double {
            var sum = 0.0, term = 1.0, x = start
            while true {
                sum += term
                if term < sum * 1e-17 { break }
                if upward { if x >= high { break }; term *= up(x); x += 1 }
                else { if x <= low { break }; term *= down(x); x -= 1 }
            }
            return sum
        }
        let observed = logP(a)
        let limit = observed + log1p(1e-7)
        if logP(mode) <= limit { return 1 }
        var p = 0.0
        if a < mode {
            // this side: a and below; other side: the first x above the mode as unlikely as a
            p += tail(from: a, upward: false)
            var lo = mode, hi = high + 1
            while lo + 1 < hi {
                let mid = (lo + hi) / 2
                if logP(mid) <= limit { hi = mid } else { lo = mid }
            }
            if hi <= high { p += exp(logP(hi) - observed) * tail(from: hi, upward: true) }
        } else {
            p += tail(from: a, upward: true)
            var lo = low - 1, hi = mode
            while lo + 1 < hi {
                let mid = (lo + hi) / 2
                if logP(mid) <= limit { lo = mid } else { hi = mid }
            }
            if lo >= low { p += exp(logP(lo) - observed) * tail(from: lo, upward: false) }
        }
        return min(1, p * exp(observed))
    }
}
