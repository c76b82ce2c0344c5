@testable import NKEngine
import NKTestSupport
import Testing

@Suite struct GroupByTests {
    let t = makeTable([
        ("industry", .strings(["Bau", "IT", "Bau", nil, "IT", "Bau", nil])),
        ("size", .strings(["S", "M", "S", "S", "M", "L", "S"])),
        ("revenue", .floats([10, 20, 30, 40, nil, 60, 70])),
        ("employees", .integers([5, 50, 7, nil, 60, 500, 3])),
        ("since", .dates([100, 200, 300, 400, 500, 600, nil])),
    ])

    @Test func countsAndShareInOrderOfFirstAppearance() throws {
        let g = try t.groupBy([NamedExpr("industry", .col("industry"))], [Aggregate(.count), Aggregate(.share)])
        #expect(g.column("industry")!.values == [.string("Bau"), .string("IT"), .null])
        #expect(g.column("count")!.values == [3, 2, 2].map(Value.integer))
        let shares = g.column("share")!.values.compactMap(\.doubleValue)
        #expect(zip(shares, [300.0 / 7, 200.0 / 7, 200.0 / 7]).allSatisfy { approximately($0, $1) })
    }

    @Test func everyAggregate() throws {
        let g = try t.groupBy([NamedExpr("industry", .col("industry"))], [
            Aggregate(.count, .col("revenue")),
            Aggregate(.countDistinct, .col("size")),
            Aggregate(.sum, .col("revenue")),
            Aggregate(.sum, .col("employees")),
            Aggregate(.avg, .col("employees")),
            Aggregate(.min, .col("size")),
            Aggregate(.max, .col("since")),
            Aggregate(.median, .col("revenue")),
            Aggregate(.quantile, .col("employees"), parameter: 0.9),
            Aggregate(.share, .col("revenue")),
        ])
        #expect(g.names == ["industry", "count(revenue)", "count_distinct_size", "sum(revenue)", "sum(employees)", "avg(employees)",
                            "min(size)", "max(since)", "median(revenue)", "quantile(employees, 0.9)", "share(revenue)"])
        #expect(g.row(0).map(\.description) == ["Bau", "3", "2", "100", "512", "170.66666666666666", "L", "1971-08-24", "30", "401.40000000000003", "43.47826086956522"])
        #expect(g.row(1).map(\.description) == ["IT", "1", "1", "20", "110", "55", "M", "1971-05-16", "20", "59", "8.695652173913043"])
        #expect(g.row(2).map(\.description) == ["", "2", "1", "110", "3", "3", "S", "1971-02-05", "55", "3", "47.82608695652174"])
    }

    @Test func multipleKeysIncludingNulls() throws {
        let g = try t.groupBy([NamedExpr("industry", .col("industry")), NamedExpr("size", .col("size"))], [Aggregate(.count)])
        #expect(g.rowCount == 4)
        #expect(goldenText(g) == """
            schema: industry string, size string, count integer
            rows: 4
            industry|size|count
            Bau|S|2
            IT|M|2
            null|S|2
            Bau|L|1

            """)
    }

    @Test func noKeysIsOneRowEvenWhenEmpty() throws {
        let empty = try t.filter(.col("employees") > .lit(10_000))
        #expect(empty.rowCount == 0)
        let g = try empty.groupBy([], [Aggregate(.count), Aggregate(.sum, .col("revenue")), Aggregate(.median, .col("revenue"))])
        #expect(g.rowCount == 1)
        #expect(g.row(0) == [.integer(0), .null, .null])
        let byKey = try empty.groupBy([NamedExpr("size", .col("size"))], [Aggregate(.count)])
        #expect(byKey.rowCount == 0 && byKey.names == ["size", "count"])
    }

    @Test func allNullColumn() throws {
        let allNull = makeTable([("k", .integers([1, 1, 2])), ("v", .floats([nil, nil, nil]))])
        let g = try allNull.groupBy([NamedExpr("k", .col("k"))], [Aggregate(.sum, .col("v")), Aggregate(.count, .col("v")), Aggregate(.max, .col("v"))])
        #expect(g.row(0) == [.integer(1), .null, .integer(0), .null])
    }

    /// Whole-number keys use their value as the slot, so the groups' order (first appearance)
    /// differs from the slots' order: each float total is read at its group's own slot.
    @Test func floatTotalsFollowTheGroupsNotTheSlots() throws {
        let t = makeTable([("k", .integers([5, 1, 5, 3, 1, 3])), ("v", .floats([1.5, nil, 2.5, 0, nil, 0]))])
        let g = try t.groupBy([NamedExpr("k", .col("k"))], [Aggregate(.sum, .col("v")), Aggregate(.avg, .col("v")), Aggregate(.share, .col("v"))])
        #expect(goldenText(g) == """
            schema: k integer, sum(v) float, avg(v) float, share(v) float
            rows: 3
            k|sum(v)|avg(v)|share(v)
            5|4|2|100
            1|null|null|0
            3|0|0|0

            """)
        // all sums 0: no share can be told
        let zero = try t.filter(.col("k") != .lit(5)).groupBy([NamedExpr("k", .col("k"))], [Aggregate(.share, .col("v"))])
        #expect(zero.column("share(v)")!.values == [.null, .null])
    }

    @Test func expressionKeysAndIntegerKeys() throws {
        let g = try t.groupBy([NamedExpr("big", .col("employees") >= .lit(50))], [Aggregate(.count)])
        #expect(g.column("big")!.values == [.boolean(false), .boolean(true), .null])
        #expect(g.column("count")!.values == [3, 3, 1].map(Value.integer))
    }

    @Test func quantileMatchesNumpyType7() {
        let values = [1.0, 2, 3, 4, 10]
        #expect(Quantile.of(values, 0.5) == 3)
        #expect(approximately(Quantile.of(values, 0.9), 7.6))
        #expect(approximately(Quantile.of(values, 0.25), 2))
        #expect(Quantile.of(values, 1) == 10)
        #expect(Quantile.of([], 0.5) == nil)
    }

    @Test func badQuantileAndTypeErrors() {
        #expect(throws: EngineError.self) { try t.groupBy([], [Aggregate(.quantile, .col("revenue"), parameter: 1.5)]) }
        #expect(throws: EngineError.self) { try t.groupBy([], [Aggregate(.sum, .col("size"))]) }
        #expect(throws: EngineError.self) { try t.groupBy([], [Aggregate(.avg)]) }
    }

    /// Large enough to run on all cores: compared with a plain dictionary-based computation.
    @Test func largeInputAgreesWithReference() throws {
        var rng = SeededGenerator(seed: 7)
        let n = 400_000
        let regions = ["Nord", "Süd", "Ost", "West", "Mitte"]
        let region: [String?] = (0..<n).map { _ in Int.random(in: 0..<12, using: &rng) == 0 ? nil : regions.randomElement(using: &rng)! }
        let customer: [Int64?] = (0..<n).map { _ in Int64.random(in: 0..<5000, using: &rng) }
        let revenue: [Double?] = (0..<n).map { _ in Int.random(in: 0..<20, using: &rng) == 0 ? nil : Double(Int.random(in: -100...10_000, using: &rng)) / 4 }
        let table = makeTable([("region", .strings(region)), ("customer", .integers(customer)), ("revenue", .floats(revenue))])

        let g = try table.groupBy([NamedExpr("region", .col("region"))], [Aggregate(.count), Aggregate(.sum, .col("revenue")), Aggregate(.max, .col("revenue"))])
        var count: [String: Int64] = [:], sum: [String: Double] = [:], maxima: [String: Double] = [:]
        for i in 0..<n {
            let key = region[i] ?? "∅"
            count[key, default: 0] += 1
            if let r = revenue[i] { sum[key, default: 0] += r; maxima[key] = max(maxima[key] ?? -.infinity, r) }
        }
        #expect(g.rowCount == count.count)
        for row in 0..<g.rowCount {
            let key = g.column("region")![row].isNull ? "∅" : g.column("region")![row].description
            #expect(g.column("count")![row] == .integer(count[key]!))
            #expect(approximately(g.column("sum(revenue)")![row].doubleValue, sum[key]))
            #expect(g.column("max(revenue)")![row].doubleValue == maxima[key])
        }

        let byCustomer = try table.groupBy([NamedExpr("customer", .col("customer"))], [Aggregate(.count), Aggregate(.countDistinct, .col("region"))])
        var perCustomer: [Int64: (Int64, Set<String>)] = [:]
        for i in 0..<n {
            var e = perCustomer[customer[i]!] ?? (0, [])
            e.0 += 1
            if let r = region[i] { e.1.insert(r) }
            perCustomer[customer[i]!] = e
        }
        #expect(byCustomer.rowCount == perCustomer.count)
        for row in stride(from: 0, to: byCustomer.rowCount, by: 37) {
            guard case .integer(let c) = byCustomer.column("customer")![row] else { Issue.record("key"); continue }
            #expect(byCustomer.column("count")![row] == .integer(perCustomer[c]!.0))
            #expect(byCustomer.column("count_distinct_region")![row] == .integer(Int64(perCustomer[c]!.1.count)))
        }
        #expect(try table.count(where: .col("region") == .lit("Süd") && .col("revenue") > .lit(1000.0))
            == (0..<n).filter { region[$0] == "Süd" && (revenue[$0] ?? -1) > 1000 }.count)
    }

    /// Ctrl-C stops the aggregate kernels between pieces of a million rows on every thread, and
    /// a group-by whose kernel stopped throws instead of returning short sums.
    @Test func kernelsStopTakingRowsOnceCancelled() throws {
        let n = 3 << 20
        let slots = (0..<n).map { Int32($0 % 5) }
        let flag = CancellationFlag()
        flag.cancel()
        let kernels = AggregateKernels(slotOfRow: slots, slotCount: 5, order: [0, 1, 2, 3, 4], cancellation: flag)
        #expect(kernels.sumFloat([Double](repeating: 1, count: n), nil) == [0, 0, 0, 0, 0])
        #expect(kernels.countRows() == [0, 0, 0, 0, 0])
        let going = AggregateKernels(slotOfRow: slots, slotCount: 5, order: [0, 1, 2, 3, 4], cancellation: CancellationFlag())
        #expect(going.countRows().reduce(0, +) == Int64(n))
    }
}
