import Foundation
import NKEngine
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

    @Test func bgnbdOnCDNOW() throws {
        guard Self.data != nil else {
            print("CLVModelTests: Lifetimes 0.11.3 could not be fetched with pip; BG/NBD not checked")
            return
        }
        let rows = try Self.rows("cdnow_customers_summary.csv")   // ID, frequency, recency, T
        #expect(rows.count == 2357)
        let model = CLVModels.fitBGNBD(x: rows.map { $0[1] }, tx: rows.map { $0[2] }, T: rows.map { $0[3] })
        #expect(Self.threeDigits(model.r, 0.2426), "r \(model.r)")
        #expect(Self.threeDigits(model.alpha, 4.4136), "alpha \(model.alpha)")
        #expect(Self.threeDigits(model.a, 0.7930), "a \(model.a)")
        #expect(Self.threeDigits(model.b, 2.4261), "b \(model.b)")
    }

    @Test func gammaGammaOnCDNOW() throws {
        guard Self.data != nil else {
            print("CLVModelTests: Lifetimes 0.11.3 could not be fetched with pip; Gamma-Gamma not checked")
            return
        }
        let rows = try Self.rows("cdnow_customers_summary_with_transactions.csv").filter { $0[1] > 0 }   // ID, x, t_x, T, zbar
        #expect(rows.count == 946)
        let model = CLVModels.fitGammaGamma(x: rows.map { $0[1] }, m: rows.map { $0[4] })
        #expect(Self.threeDigits(model.p, 6.2488), "p \(model.p)")
        #expect(Self.threeDigits(model.q, 3.7446), "q \(model.q)")
        #expect(Self.threeDigits(model.v, 15.4477), "v \(model.v)")
    }
}
