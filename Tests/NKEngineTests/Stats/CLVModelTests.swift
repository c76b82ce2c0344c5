import Foundation
@testable import NKEngine
import NKTestSupport
import Testing

/// BG/NBD and Gamma-Gamma fitted by maximum likelihood on the CDNOW sample reproduce the
/// published parameters to three significant digits. The data ship inside the PyPI package
/// Lifetimes 0.11.3 (lifetimes/datasets/); the test fetches it with `pip download` into a cache
/// folder and says plainly when it cannot.
@Suite struct CLVModelTests {
    static var data: URL? { CDNOWData.folder }

    static func rows(_ name: String) throws -> [[Double]] { try CDNOWData.rows(name) }

    static func threeDigits(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 0.0005 * abs(b) + 1e-12 }

    @Test(.enabled(if: CDNOWData.folder != nil, "the CDNOW sample of Lifetimes 0.11.3 cannot be fetched with pip here"))
    func bgnbdOnCDNOW() throws {
        let rows = try Self.rows("cdnow_customers_summary.csv")   // ID, frequency, recency, T
        #expect(rows.count == 2357)
        let model = try CLVModels.fitBGNBD(x: rows.map { $0[1] }, tx: rows.map { $0[2] }, T: rows.map { $0[3] })
        #expect(Self.threeDigits(model.r, 0.2426), "r \(model.r)")
        #expect(Self.threeDigits(model.alpha, 4.4136), "alpha \(model.alpha)")
        #expect(Self.threeDigits(model.a, 0.7930), "a \(model.a)")
        #expect(Self.threeDigits(model.b, 2.4261), "b \(model.b)")
    }

    @Test(.enabled(if: CDNOWData.folder != nil, "the CDNOW sample of Lifetimes 0.11.3 cannot be fetched with pip here"))
    func gammaGammaOnCDNOW() throws {
        let rows = try Self.rows("cdnow_customers_summary_with_transactions.csv").filter { $0[1] > 0 }   // ID, x, t_x, T, zbar
        #expect(rows.count == 946)
        let model = try CLVModels.fitGammaGamma(x: rows.map { $0[1] }, m: rows.map { $0[4] })
        #expect(Self.threeDigits(model.p, 6.2488), "p \(model.p)")
        #expect(Self.threeDigits(model.q, 3.7446), "q \(model.q)")
        #expect(Self.threeDigits(model.v, 15.4477), "v \(model.v)")
    }
}

/// The analytic gradients the fits climb agree with finite differences of the log-likelihoods.
@Suite struct CLVGradientTests {
    @Test func gradientsMatchFiniteDifferences() {
        let x: [Double] = [0, 1, 2, 5, 0, 3], tx: [Double] = [0, 3.2, 10.5, 30, 0, 12], T: [Double] = [38, 38, 35, 39, 20, 25]
        let m: [Double] = [0, 12.5, 30, 22, 0, 15]
        let logs = [log(0.5), log(3.0), log(0.9), log(2.1)]
        func bg(_ l: [Double]) -> Double {
            CLVModels.logLikelihood(CLVModels.BGNBD(r: exp(l[0]), alpha: exp(l[1]), a: exp(l[2]), b: exp(l[3])), x: x, tx: tx, T: T)
        }
        let (value, gradient) = CLVModels.bgnbdValueAndGradient(logs, x: x, tx: tx, T: T)
        #expect(approximately(value, bg(logs), relative: 1e-12))
        for k in 0..<4 {
            var up = logs, down = logs
            up[k] += 1e-6; down[k] -= 1e-6
            #expect(approximately(gradient[k], (bg(up) - bg(down)) / 2e-6, relative: 1e-6), "BG/NBD parameter \(k)")
        }
        let gLogs = [log(6.0), log(3.5), log(15.0)]
        func gg(_ l: [Double]) -> Double { CLVModels.logLikelihood(CLVModels.GammaGamma(p: exp(l[0]), q: exp(l[1]), v: exp(l[2])), x: x, m: m) }
        let (gValue, gGradient) = CLVModels.gammaGammaValueAndGradient(gLogs, x: x, m: m)
        #expect(approximately(gValue, gg(gLogs), relative: 1e-12))
        for k in 0..<3 {
            var up = gLogs, down = gLogs
            up[k] += 1e-6; down[k] -= 1e-6
            #expect(approximately(gGradient[k], (gg(up) - gg(down)) / 2e-6, relative: 1e-6), "Gamma-Gamma parameter \(k)")
        }
    }
}
