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

    /// With enough groups to be split among the cores, each group's total, and whether it is
    /// null, is still the one of its own slot.
    @Test func floatTotalsOfManyGroups() {
        let groups = 300_001
        // slots in a scrambled order; every third slot has no value
        let order = (0..<groups).map { Int32(($0 * 7_919) % groups) }
        let sums = (0..<groups).map { Double($0) * 0.5 }
        let valid = (0..<groups).map { Int64($0 % 3) }
        let column = Table.floatTotals(.avg, sums: sums, valid: valid, order: order)
        let wrong = (0..<groups).first { g in
            let slot = Int(order[g])
            let expected: Value = valid[slot] == 0 ? .null : .float(sums[slot] / Double(valid[slot]))
            return column[g] != expected
        }
        #expect(wrong == nil)
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

    /// A slot's sum is its values added in row order within each core's rows, the cores' sums
    /// then added in core order; its count is the number of non-null values. The values are
    /// chosen so that any other order of addition gives a different sum.
    @Test func sumsAndCountsAddInRowOrderPerCore() {
        let n = 600_000, slotCount = 7
        let slots = (0..<n).map { Int32(($0 * 7_919) % slotCount) }
        // 1e16, then small values that vanish when added to it one at a time, then -1e16
        let values = (0..<n).map { (i: Int) -> Double in
            if i % 2_000 == 0 { return 1e16 }
            if i % 1_000 == 0 { return -1e16 }
            return Double(i % 13) + 0.25
        }
        let validity = Validity((0..<n).map { $0 % 11 != 3 })
        let kernels = AggregateKernels(slotOfRow: slots, slotCount: slotCount, order: (0..<Int32(slotCount)).map { $0 },
                                       cancellation: CancellationFlag())
        for nulls in [nil, validity] {
            var sums = [Double](repeating: 0, count: slotCount), counts = [Int64](repeating: 0, count: slotCount)
            for range in Parallel.split(n, parts: Parallel.workers) {
                var part = [Double](repeating: 0, count: slotCount)
                for i in range where nulls?.isValid(i) ?? true {
                    part[Int(slots[i])] += values[i]
                    counts[Int(slots[i])] += 1
                }
                for s in 0..<slotCount { sums[s] += part[s] }
            }
            let got = kernels.sumsAndCounts(values, nulls)
            #expect(got.counts == counts)
            #expect(got.sums.map { $0.bitPattern } == sums.map { $0.bitPattern })
            // the order matters for these values: all rows in one run give other sums
            var serial = [Double](repeating: 0, count: slotCount)
            for i in 0..<n where nulls?.isValid(i) ?? true { serial[Int(slots[i])] += values[i] }
            #expect(Parallel.workers == 1 || serial != sums)
        }
    }

    /// With many slots, the slots come in order of their first rows, each with that row, as one
    /// pass over all rows finds them: also for slots that only the later cores' rows hold, and
    /// slots that no row holds are left out.
    @Test func manySlotsInOrderOfTheirFirstRows() throws {
        let n = 900_000, space = 300_000
        var random = SeededGenerator(seed: 42)
        // the first half of the rows uses the lower slots only; slots from 290,000 on are unused
        let slots = (0..<n).map { i in Int32(truncatingIfNeeded: Int(random.next() % UInt64(i < n / 2 ? 150_000 : 290_000))) }
        var seen = Set<Int32>(), order: [Int32] = [], rows: [Int32] = []
        for (i, s) in slots.enumerated() where seen.insert(s).inserted {
            order.append(s)
            rows.append(Int32(i))
        }
        let got = try SlotAssignment.firstAppearance(slots, space: space, n)
        #expect(got.order.count == order.count)
        #expect(got.order.indices.first { got.order[$0] != order[$0] } == nil)
        #expect(got.firstRows.indices.first { got.firstRows[$0] != rows[$0] } == nil)
        let flag = CancellationFlag()
        flag.cancel()
        #expect(throws: EngineError.self) { try SlotAssignment.firstAppearance(slots, space: space, n, cancellation: flag) }
    }

    /// Ctrl-C stops the aggregate kernels between pieces of a million rows on every thread, and
    /// a group-by whose kernel stopped throws instead of returning short sums.
    @Test func kernelsStopTakingRowsOnceCancelled() throws {
        let n = 3 << 20
        let slots = (0..<n).map { Int32($0 % 5) }
        let flag = CancellationFlag()
        flag.cancel()
        let kernels = AggregateKernels(slotOfRow: slots, slotCount: 5, order: [0, 1, 2, 3, 4], cancellation: flag)
        let stopped = kernels.sumsAndCounts([Double](repeating: 1, count: n), nil)
        #expect(stopped.sums == [0, 0, 0, 0, 0] && stopped.counts == [0, 0, 0, 0, 0])
        #expect(kernels.countRows() == [0, 0, 0, 0, 0])
        let going = AggregateKernels(slotOfRow: slots, slotCount: 5, order: [0, 1, 2, 3, 4], cancellation: CancellationFlag())
        #expect(going.countRows().reduce(0, +) == Int64(n))
    }
}
