#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Customer lifetime value models, fitted by maximum likelihood: BG/NBD (Fader, Hardie & Lee
/// 2005) for the number of repeat purchases and whether a customer is still alive, and
/// Gamma-Gamma (Fader, Hardie & Lee 2005, "RFM and CLV") for the value of a purchase.
///
/// A customer is described by x (repeat purchases: purchase periods after the first),
/// t_x (time from the first to the last purchase) and T (time from the first purchase to the
/// end of observation), all in one time unit, and m (the mean value of the repeat purchases).
public enum CLVModels {
    public struct BGNBD: Sendable, Equatable {
        public var r, alpha, a, b: Double
        public init(r: Double, alpha: Double, a: Double, b: Double) { self.r = r; self.alpha = alpha; self.a = a; self.b = b }
    }

    public struct GammaGamma: Sendable, Equatable {
        public var p, q, v: Double
        public init(p: Double, q: Double, v: Double) { self.p = p; self.q = q; self.v = v }
    }

    /// Σ log-likelihood of the BG/NBD model over customers.
    public static func logLikelihood(_ m: BGNBD, x: [Double], tx: [Double], T: [Double]) -> Double {
        guard m.r > 0, m.alpha > 0, m.a > 0, m.b > 0 else { return -.infinity }
        var total = 0.0
        // the terms that depend on x alone, once per distinct x
        var byX: [Double: Double] = [:]
        for i in x.indices {
            let xi = x[i]
            let common: Double
            if let c = byX[xi] { common = c } else {
                common = lgamma(m.r + xi) - lgamma(m.r) + m.r * log(m.alpha)
                    + lgamma(m.a + m.b) + lgamma(m.b + xi) - lgamma(m.b) - lgamma(m.a + m.b + xi)
                byX[xi] = common
            }
            let a3 = -(m.r + xi) * log(m.alpha + T[i])
            if xi > 0 {
                let a4 = log(m.a) - log(m.b + xi - 1) - (m.r + xi) * log(m.alpha + tx[i])
                let high = max(a3, a4)
                total += common + high + log(exp(a3 - high) + exp(a4 - high))
            } else {
                total += common + a3
            }
        }
        return total
    }

    /// Σ log-likelihood of the Gamma-Gamma model over customers with x > 0.
    public static func logLikelihood(_ g: GammaGamma, x: [Double], m: [Double]) -> Double {
        guard g.p > 0, g.q > 0, g.v > 0 else { return -.infinity }
        var total = 0.0
        for i in x.indices where x[i] > 0 {
            let px = g.p * x[i]
            total += lgamma(px + g.q) - lgamma(px) - lgamma(g.q) + g.q * log(g.v) + (px - 1) * log(m[i]) + px * log(x[i])
                - (px + g.q) * log(x[i] * m[i] + g.v)
        }
        return total
    }

    public static func fitBGNBD(x: [Double], tx: [Double], T: [Double]) -> BGNBD {
        let best = maximize(4) { p in
            logLikelihood(BGNBD(r: exp(p[0]), alpha: exp(p[1]), a: exp(p[2]), b: exp(p[3])), x: x, tx: tx, T: T)
        }
        return BGNBD(r: exp(best[0]), alpha: exp(best[1]), a: exp(best[2]), b: exp(best[3]))
    }

    public static func fitGammaGamma(x: [Double], m: [Double]) -> GammaGamma {
        let best = maximize(3) { p in logLikelihood(GammaGamma(p: exp(p[0]), q: exp(p[1]), v: exp(p[2])), x: x, m: m) }
        return GammaGamma(p: exp(best[0]), q: exp(best[1]), v: exp(best[2]))
    }

    /// P(alive | x, t_x, T).
    public static func probabilityAlive(_ m: BGNBD, x: Double, tx: Double, T: Double) -> Double {
        guard x > 0 else { return 1 }
        let ratio = exp((m.r + x) * (log(m.alpha + T) - log(m.alpha + tx)))
        return 1 / (1 + m.a / (m.b + x - 1) * ratio)
    }

    /// E[purchases in the next t | x, t_x, T].
    public static func expectedPurchases(_ m: BGNBD, t: Double, x: Double, tx: Double, T: Double) -> Double {
        let z = t / (m.alpha + T + t)
        let hyper = hypergeometric2F1(m.r + x, m.b + x, m.a + m.b + x - 1, z)
        let first = (m.a + m.b + x - 1) / (m.a - 1) * (1 - exp((m.r + x) * (log(m.alpha + T) - log(m.alpha + T + t))) * hyper)
        let alive = x > 0 ? 1 + m.a / (m.b + x - 1) * exp((m.r + x) * (log(m.alpha + T) - log(m.alpha + tx))) : 1
        return first / alive
    }

    /// E[value of a purchase | x, m].
    public static func expectedValue(_ g: GammaGamma, x: Double, m: Double) -> Double {
        (g.p * (g.v + x * m)) / (g.p * x + g.q - 1)
    }

    /// Gauss's hypergeometric function ₂F₁(a, b; c; z) for 0 ≤ z < 1, by its series.
    static func hypergeometric2F1(_ a: Double, _ b: Double, _ c: Double, _ z: Double) -> Double {
        var term = 1.0, sum = 1.0
        for k in 0..<100_000 {
            let kd = Double(k)
            term *= (a + kd) * (b + kd) / ((c + kd) * (kd + 1)) * z
            sum += term
            if abs(term) < 1e-15 * abs(sum) { break }
        }
        return sum
    }

    /// The point of largest f found by Nelder-Mead from several starts, in the parameters'
    /// logarithms (so every parameter stays positive).
    static func maximize(_ dimension: Int, _ f: ([Double]) -> Double) -> [Double] {
        func objective(_ p: [Double]) -> Double {
            let v = f(p)
            return v.isFinite ? -v : .infinity
        }
        var best = [Double](repeating: 0, count: dimension)
        var bestValue = objective(best)
        for start in [[Double](repeating: 0, count: dimension), [Double](repeating: -1, count: dimension), [Double](repeating: 1, count: dimension)] {
            var point = start
            // restart from where the last run ended until it no longer moves
            for _ in 0..<4 {
                let (next, value) = nelderMead(objective, point, step: 0.5)
                let moved = zip(next, point).map { abs($0 - $1) }.max() ?? 0
                point = next
                if value < bestValue { bestValue = value; best = next }
                if moved < 1e-10 { break }
            }
        }
        return best
    }

    static func nelderMead(_ f: ([Double]) -> Double, _ start: [Double], step: Double) -> ([Double], Double) {
        let n = start.count
        var simplex = [start]
        for i in 0..<n { var p = start; p[i] += step; simplex.append(p) }
        var values = simplex.map(f)
        for _ in 0..<20_000 {
            let order = values.indices.sorted { values[$0] < values[$1] }
            simplex = order.map { simplex[$0] }
            values = order.map { values[$0] }
            if abs(values[n] - values[0]) <= 1e-13 * (abs(values[0]) + 1e-300),
               (0..<n).allSatisfy({ i in simplex.allSatisfy { abs($0[i] - simplex[0][i]) < 1e-11 } }) { break }
            var centroid = [Double](repeating: 0, count: n)
            for p in simplex.dropLast() { for i in 0..<n { centroid[i] += p[i] / Double(n) } }
            func along(_ t: Double) -> [Double] { (0..<n).map { centroid[$0] + t * (simplex[n][$0] - centroid[$0]) } }
            let reflected = along(-1), fr = f(reflected)
            if fr < values[0] {
                let expanded = along(-2), fe = f(expanded)
                if fe < fr { simplex[n] = expanded; values[n] = fe } else { simplex[n] = reflected; values[n] = fr }
            } else if fr < values[n - 1] {
                simplex[n] = reflected; values[n] = fr
            } else {
                let contracted = fr < values[n] ? along(-0.5) : along(0.5)
                let fc = f(contracted)
                if fc < min(fr, values[n]) {
                    simplex[n] = contracted; values[n] = fc
                } else {
                    for k in 1...n {
                        simplex[k] = (0..<n).map { simplex[0][$0] + 0.5 * (simplex[k][$0] - simplex[0][$0]) }
                        values[k] = f(simplex[k])
                    }
                }
            }
        }
        let i = values.indices.min { values[$0] < values[$1] }!
        return (simplex[i], values[i])
    }
}
