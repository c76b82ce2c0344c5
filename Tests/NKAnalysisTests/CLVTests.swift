import Foundation
@testable import NKAnalysis
import NKEngine
import NKTestSupport
import Testing

/// frequency, recency and T derived by `segment clv` from the raw CDNOW log equal the summary
/// that ships with it (39-week calibration ending 1997-09-30, weeks since each customer's
/// first purchase, several purchases on one day counting once), and the whole stage reproduces
/// the published parameters.
@Suite struct CLVTests {
    /// The raw log: customer, yyyymmdd, quantity, amount, separated by runs of spaces.
    static func log() throws -> Table? {
        guard let folder = CDNOWData.folder else { return nil }
        let text = try String(contentsOf: folder.appendingPathComponent("CDNOW_sample.txt"), encoding: .utf8)
        var customers: [Int64?] = [], days: [Int32?] = [], amounts: [Double?] = []
        for line in text.split(whereSeparator: \.isNewline) {
            let f = line.split(separator: " ")
            guard f.count == 5, let customer = Int64(f[1]), let date = Int(f[2]), let amount = Double(f[4]) else { continue }
            customers.append(customer)
            days.append(Int32(CivilDate.days(year: date / 10000, month: date / 100 % 100, day: date % 100)))
            amounts.append(amount)
        }
        return makeTable([("customer", .integers(customers)), ("day", .dates(days)), ("amount", .floats(amounts))])
    }

    @Test(.enabled(if: CDNOWData.folder != nil, "the CDNOW sample of Lifetimes 0.11.3 cannot be fetched with pip here"))
    func summaryFromTheRawLog() throws {
        let orders = try #require(try Self.log())
        var options = CLV.Options(customer: "customer", date: "day")
        options.asOf = Int32(CivilDate.days(year: 1997, month: 9, day: 30))
        options.value = "amount"
        let s = try CLV.summary(orders, options: options)
        let expected = try CDNOWData.rows("cdnow_customers_summary.csv")   // ID, frequency, recency, T
        #expect(s.frequency.count == expected.count)
        let ids = s.keys
        for (k, row) in expected.enumerated() where k < s.frequency.count {
            #expect(ids[k] == .integer(Int64(row[0])))
            #expect(s.frequency[k] == row[1], "customer \(row[0]) frequency")
            #expect(abs(s.recency[k] - row[2]) <= 0.005 + 1e-9, "customer \(row[0]) recency \(s.recency[k]) vs \(row[2])")
            #expect(abs(s.age[k] - row[3]) <= 0.005 + 1e-9, "customer \(row[0]) T \(s.age[k]) vs \(row[3])")
        }
        // the mean value of the repeat purchase days (zbar, given to the cent)
        let values = try CDNOWData.rows("cdnow_customers_summary_with_transactions.csv")   // ID, x, t_x, T, zbar
        #expect(values.count == s.monetary.count)
        for (k, row) in values.enumerated() where k < s.monetary.count {
            #expect(abs(s.monetary[k] - row[4]) <= 0.005 + 1e-9, "customer \(row[0]) monetary \(s.monetary[k]) vs \(row[4])")
        }
        // worked through in pieces as small as a few customers, the summary is the same
        for size in [1, 7, 500] {
            let small = try CLV.summary(orders, options: options, cancellation: CancellationFlag(), pieceSize: size)
            #expect(small.keys.values == s.keys.values && small.frequency == s.frequency && small.recency == s.recency
                    && small.age == s.age && small.monetary == s.monetary && small.asOf == s.asOf, "pieces of \(size)")
        }
        // the published parameters, from the log itself
        let r = try CLV.run(orders, options: options)
        let value = { (name: String) in
            (0..<r.parameters.rowCount).first { r.parameters.column("parameter")![$0] == .string(name) }.flatMap { r.parameters.column("value")![$0].doubleValue }
        }
        for (name, published) in [("r", 0.2426), ("alpha", 4.4136), ("a", 0.7930), ("b", 2.4261)] {
            let fitted = try #require(value(name))
            #expect(abs(fitted - published) <= 0.0005 * published, "\(name) \(fitted)")
        }
    }
}
