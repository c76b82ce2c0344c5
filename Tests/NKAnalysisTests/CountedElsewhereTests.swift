import Foundation
import NKAnalysis
import NKEngine
import Testing

/// What an engine sends back for lifecycle, cohort and RFM (per-customer aggregates, customers
/// per cohort and period), computed here straight from the rows, gives exactly the answer the
/// order log gives in memory. The engine-backed tests check the SQL; these check that the
/// aggregates are enough, on random logs whose gaps straddle every boundary.
@Suite struct CountedElsewhereTests {
    struct Log {
        var customers: [Int64]
        var days: [Int32]
        var table: Table
    }

    /// A log over four years: bursts of orders, long pauses, several orders a day.
    static func log(seed: UInt64) throws -> Log {
        var state = seed
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        let start = Int32(CivilDate.days(year: 2021, month: 1, day: 1))
        var customers: [Int64] = [], days: [Int32] = [], revenue: [Double] = []
        for c in 0..<300 {
            var day = start + Int32(next(1400))
            for _ in 0..<(1 + next(12)) {
                customers.append(Int64(1000 + c * 7)); days.append(day); revenue.append(Double(next(50_000)) / 100)
                day += Int32([0, 1, 30, 200, 400][next(5)])
                if day > start + 1600 { break }
            }
        }
        let table = try Table([("customer_id", .integers(customers)), ("order_date", Column(.date(days))), ("revenue", .floats(revenue))])
        return Log(customers: customers, days: days, table: table)
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func lifecycleFromPurchasesPerCustomer(_ seed: UInt64) throws {
        let log = try Self.log(seed: seed)
        for asOf in [nil, Int32(CivilDate.days(year: 2023, month: 6, day: 30)), Int32(CivilDate.days(year: 2024, month: 2, day: 29))] {
            var options = Lifecycle.Options(customer: "customer_id", date: "order_date")
            options.asOf = asOf
            options.lapsedAfter = Interval(9, .months)
            let memory = try Lifecycle.run(log.table, options: options)
            // the aggregates an engine's grouped query returns, from the rows directly
            let d = memory.asOf, lb = Lifecycle.subtract(options.lapsedAfter, from: d)
            var per: [Int64: Lifecycle.Purchases] = [:], dayset: [Int64: Set<Int32>] = [:]
            var future = 0
            for (c, day) in zip(log.customers, log.days) {
                guard day <= d else { future += 1; continue }
                var p = per[c] ?? Lifecycle.Purchases(first: day, last: day)
                p.first = min(p.first, day); p.last = max(p.last, day); p.orders += 1
                dayset[c, default: []].insert(day)
                if day >= lb { p.recent += 1; p.since = min(p.since ?? day, day) } else { p.before = max(p.before ?? day, day) }
                if day <= lb { p.atStart = max(p.atStart ?? day, day) }
                per[c] = p
            }
            let keys = per.keys.sorted()
            let purchases = keys.map { k -> Lifecycle.Purchases in
                var p = per[k]!
                p.days = dayset[k]!.count
                return p
            }
            let elsewhere = try Lifecycle.run(purchases: purchases, keys: .integers(keys), earliest: log.days.min(), asOf: d,
                                              skipped: (0, 0, future), options: options)
            #expect(elsewhere.customers.rows == memory.customers.rows)
            #expect(elsewhere.classes.rows == memory.classes.rows)
            #expect(elsewhere.churn == memory.churn && elsewhere.reactivation == memory.reactivation)
            #expect(elsewhere.skipped == memory.skipped && elsewhere.notes == memory.notes)
        }
    }

    @Test(arguments: [1, 2] as [UInt64])
    func cohortsFromCustomersPerCohortAndPeriod(_ seed: UInt64) throws {
        let log = try Self.log(seed: seed)
        for period in [Cohorts.Period.month, .quarter, .year] {
            var options = Cohorts.Options(customer: "customer_id", date: "order_date")
            options.period = period
            let memory = try Cohorts.run(log.table, options: options)
            func index(_ day: Int32) -> Int {
                let c = CivilDate.civil(Int(day))
                switch period {
                case .month: return c.year * 12 + c.month - 1
                case .quarter: return c.year * 4 + (c.month - 1) / 3
                case .year: return c.year
                }
            }
            var periods: [Int64: Set<Int>] = [:]
            for (c, day) in zip(log.customers, log.days) { periods[c, default: []].insert(index(day)) }
            var counted: [[Int]: Int] = [:]
            for (_, set) in periods { for p in set { counted[[set.min()!, p], default: 0] += 1 } }
            let rows = counted.map { (cohort: $0.key[0], period: $0.key[1], customers: $0.value) }
            let elsewhere = try Cohorts.run(counted: rows.shuffled(), period: period)
            #expect(elsewhere.table.rows == memory.table.rows)
            #expect(elsewhere.table.names == memory.table.names)
        }
    }

    @Test func rfmFromCustomerTotals() throws {
        let log = try Self.log(seed: 4)
        let options = RFM.Options(customer: "customer_id", date: "order_date", value: "revenue")
        let memory = try RFM.run(log.table, options: options)
        let per = try log.table.groupBy([NamedExpr("customer_id", .col("customer_id"))], [
            Aggregate(.max, .col("order_date"), as: "last"), Aggregate(.count, as: "frequency"), Aggregate(.sum, .col("revenue"), as: "monetary"),
        ]).sorted(by: [.asc("customer_id")])
        let elsewhere = try RFM.run(perCustomer: per, options: options)
        #expect(elsewhere.customers.rows == memory.customers.rows)
        #expect(elsewhere.segments.rows == memory.segments.rows)
    }
}

extension Table {
    /// Every row's values, for comparing whole tables.
    var rows: [[Value]] { (0..<rowCount).map { row($0) } }
}
