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

    /// Σ log-likelihood of BG/NBD and its gradient in the parameters' logarithms.
    static func bgnbdValueAndGradient(_ logs: [Double], x: [Double], tx: [Double], T: [Double]) -> (Double, [Double]) {
        let r = exp(logs[0]), alpha = exp(logs[1]), a = exp(logs[2]), b = exp(logs[3])
        // terms of x alone, once per distinct x
        var cache: [Double: (c: Double, dr: Double, da: Double, db: Double)] = [:]
        func common(_ xi: Double) -> (c: Double, dr: Double, da: Double, db: Double) {
            if let v = cache[xi] { return v }
            let v = (lgamma(r + xi) - lgamma(r) + r * log(alpha) + lgamma(a + b) + lgamma(b + xi) - lgamma(b) - lgamma(a + b + xi),
                     digamma(r + xi) - digamma(r) + log(alpha),
                     digamma(a + b) - digamma(a + b + xi),
                     digamma(a + b) + digamma(b + xi) - digamma(b) - digamma(a + b + xi))
            cache[xi] = v
            return v
        }
        for xi in Set(x) { _ = common(xi) }
        let parts = Parallel.split(x.count, parts: Parallel.workers)
        let sums = Parallel.map(parts.count, minimumWork: x.count * 200) { p -> [Double] in
            var s = [Double](repeating: 0, count: 5)
            for i in parts[p] {
                let xi = x[i], c = cache[xi]!
                let a3 = -(r + xi) * log(alpha + T[i])
                var w4 = 0.0, value = a3
                if xi > 0 {
                    let a4 = log(a) - log(b + xi - 1) - (r + xi) * log(alpha + tx[i])
                    let high = max(a3, a4)
                    let e3 = exp(a3 - high), e4 = exp(a4 - high)
                    value = high + log(e3 + e4)
                    w4 = e4 / (e3 + e4)
                }
                let w3 = 1 - w4
                s[0] += c.c + value
                s[1] += c.dr - w3 * log(alpha + T[i]) - w4 * log(alpha + tx[i])
                s[2] += r / alpha - w3 * (r + xi) / (alpha + T[i]) - w4 * (r + xi) / (alpha + tx[i])
                s[3] += c.da + w4 / a
                s[4] += c.db - (xi > 0 ? w4 / (b + xi - 1) : 0)
            }
            return s
        }
        var total = [Double](repeating: 0, count: 5)
        for s in sums { for k in 0..<5 { total[k] += s[k] } }
        return (total[0], [total[1] * r, total[2] * alpha, total[3] * a, total[4] * b])
    }

    /// Σ log-likelihood of Gamma-Gamma (customers with x > 0) and its gradient in the logarithms.
    static func gammaGammaValueAndGradient(_ logs: [Double], x: [Double], m: [Double]) -> (Double, [Double]) {
        let p = exp(logs[0]), q = exp(logs[1]), v = exp(logs[2])
        var cache: [Double: (c: Double, dp: Double, dq: Double)] = [:]
        for xi in Set(x) where xi > 0 {
            let px = p * xi
            cache[xi] = (lgamma(px + q) - lgamma(px) - lgamma(q), xi * (digamma(px + q) - digamma(px)), digamma(px + q) - digamma(q))
        }
        var value = 0.0, dp = 0.0, dq = 0.0, dv = 0.0
        for i in x.indices where x[i] > 0 {
            let xi = x[i], c = cache[xi]!, px = p * xi, denominator = xi * m[i] + v
            value += c.c + q * log(v) + (px - 1) * log(m[i]) + px * log(xi) - (px + q) * log(denominator)
            dp += c.dp + xi * log(m[i]) + xi * log(xi) - xi * log(denominator)
            dq += c.dq + log(v) - log(denominator)
            dv += q / v - (px + q) / denominator
        }
        return (value, [dp * p, dq * q, dv * v])
    }

    public static func fitBGNBD(x: [Double], tx: [Double], T: [Double], cancellation: CancellationFlag = .shared) throws -> BGNBD {
        let best = try maximize([0, 0, 0, 0], cancellation) { bgnbdValueAndGradient($0, x: x, tx: tx, T: T) }
        return BGNBD(r: exp(best[0]), alpha: exp(best[1]), a: exp(best[2]), b: exp(best[3]))
    }

    public static func fitGammaGamma(x: [Double], m: [Double], cancellation: CancellationFlag = .shared) throws -> GammaGamma {
        let best = try maximize([0, 0, 0], cancellation) { gammaGammaValueAndGradient($0, x: x, m: m) }
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

    /// ψ(x), the digamma function, for x > 0: the recurrence up to 6, then the asymptotic series.
    static func digamma(_ x: Double) -> Double {
        var x = x, result = 0.0
        while x < 6 { result -= 1 / x; x += 1 }
        let f = 1 / (x * x)
        return result + log(x) - 0.5 / x - f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f / 132))))
    }

    /// The point of largest f by BFGS with a backtracking line search, from `start` (the
    /// parameters' logarithms, so each stays positive).
    static func maximize(_ start: [Double], _ cancellation: CancellationFlag, _ f: ([Double]) -> (Double, [Double])) throws -> [Double] {
        let n = start.count
        var point = start
        var (value, gradient) = f(point)
        var inverse = (0..<n).map { i in (0..<n).map { j in i == j ? 1.0 : 0 } }
        for _ in 0..<500 {
            try cancellation.check()
            // ascent direction: H⁻¹ g
            var direction = (0..<n).map { i in (0..<n).reduce(0.0) { $0 + inverse[i][$1] * gradient[$1] } }
            var slope = zip(direction, gradient).reduce(0.0) { $0 + $1.0 * $1.1 }
            if !(slope > 0) {
                inverse = (0..<n).map { i in (0..<n).map { j in i == j ? 1.0 : 0 } }
                direction = gradient
                slope = gradient.reduce(0) { $0 + $1 * $1 }
            }
            var step = 1.0, next = point, nextValue = -Double.infinity, nextGradient = gradient
            // at most a few units in the logarithms per step
            let longest = direction.map(abs).max() ?? 0
            if longest > 2 { step = 2 / longest }
            for _ in 0..<60 {
                try cancellation.check()
                next = (0..<n).map { point[$0] + step * direction[$0] }
                (nextValue, nextGradient) = f(next)
                if nextValue.isFinite, nextValue >= value + 1e-4 * step * slope { break }
                step /= 2
            }
            guard nextValue.isFinite, nextValue >= value else { break }
            let s = (0..<n).map { next[$0] - point[$0] }, y = (0..<n).map { gradient[$0] - nextGradient[$0] }
            let moved = s.map(abs).max() ?? 0
            point = next
            let improvement = nextValue - value
            value = nextValue
            gradient = nextGradient
            if moved < 1e-12 || (gradient.map(abs).max() ?? 0) < 1e-9 || improvement < 1e-14 * (abs(value) + 1) { break }
            // BFGS update of the inverse Hessian of −f
            let sy = zip(s, y).reduce(0.0) { $0 + $1.0 * $1.1 }
            guard sy > 1e-300 else { continue }
            let hy = (0..<n).map { i in (0..<n).reduce(0.0) { $0 + inverse[i][$1] * y[$1] } }
            let yhy = zip(y, hy).reduce(0.0) { $0 + $1.0 * $1.1 }
            for i in 0..<n {
                for j in 0..<n {
                    inverse[i][j] += (sy + yhy) * s[i] * s[j] / (sy * sy) - (hy[i] * s[j] + s[i] * hy[j]) / sy
                }
            }
        }
        return point
    }
}
