import NKEngine
import NKTestSupport
import Testing

@Suite struct SortTests {
    let t = makeTable([
        ("name", .strings(["b", "a", nil, "c", "a"])),
        ("score", .floats([2, nil, 1, 2, -0.5])),
        ("id", .integers([1, 2, 3, 4, 5])),
    ])

    @Test func ascendingWithNullsLastAndStable() throws {
        let s = try t.sorted(by: [.asc("score")])
        #expect(s.column("id")!.values == [5, 3, 1, 4, 2].map(Value.integer))
    }

    @Test func descendingStillPutsNullsLast() throws {
        let s = try t.sorted(by: [.desc("score")])
        #expect(s.column("id")!.values == [1, 4, 3, 5, 2].map(Value.integer))
    }

    @Test func multipleKeys() throws {
        let s = try t.sorted(by: [.asc("name"), .desc("id")])
        #expect(s.column("id")!.values == [5, 2, 1, 4, 3].map(Value.integer))
    }

    @Test func expressionKey() throws {
        let s = try t.sorted(by: [SortKey(.binary(.modulo, .col("id"), .lit(2)), descending: true), .asc("id")])
        #expect(s.column("id")!.values == [1, 3, 5, 2, 4].map(Value.integer))
    }

    @Test func topNEqualsHeadOfSort() throws {
        var rng = SeededGenerator(seed: 3)
        let n = 50_000
        let big = makeTable([("v", .integers((0..<n).map { _ in Bool.random(using: &rng) && Bool.random(using: &rng) && Bool.random(using: &rng) ? nil : Int64.random(in: 0..<1000, using: &rng) })),
                             ("row", .integers((0..<n).map { Int64($0) }))])
        for keys in [[SortKey.desc("v")], [SortKey.asc("v")], [SortKey.asc("v"), SortKey.desc("row")]] {
            let top = try big.top(25, by: keys)
            let head = try big.sorted(by: keys).head(25)
            #expect(top.column("row")!.values == head.column("row")!.values)
        }
        // large enough for the two-way parallel sort: every neighbour pair in order, stable
        let sorted = try big.sorted(by: [.asc("v")])
        let v = sorted.column("v")!, row = sorted.column("row")!
        for i in 1..<n where !v.isNull(i) {
            #expect(!v.isNull(i - 1))
            if case .integer(let a) = v[i - 1], case .integer(let b) = v[i] {
                #expect(a < b || (a == b && row[i - 1].doubleValue! < row[i].doubleValue!))
            }
        }
    }

    /// Without nulls and with many rows a single key is radix-sorted; the order must be the
    /// comparison sort's exactly: numeric order with -0 = 0 and NaN last, ties in row order,
    /// for floats, integers, dates and texts, either direction.
    @Test func aLargeSingleKeySortIsTheComparisonSortsOrder() throws {
        var rng = SeededGenerator(seed: 11)
        let n = 100_000
        let specials: [Double] = [0, -0.0, .infinity, -.infinity, .nan, 1e-300, -1e300, 2.5]
        let floats = (0..<n).map { _ in Bool.random(using: &rng) ? specials.randomElement(using: &rng)! : Double(Int.random(in: -500...500, using: &rng)) / 4 }
        let integers = (0..<n).map { _ in Int64.random(in: -3...3, using: &rng) * (Bool.random(using: &rng) ? 1 : Int64.max / 4) }
        let words = (0..<n).map { _ in ["Süd", "Nord", "Ost", "West", "Äpfel", "apfel"].randomElement(using: &rng)! }
        let days = (0..<n).map { _ in Int32.random(in: -40_000...40_000, using: &rng) }
        // money: whole hundredths, which sort as such (-0 among them)
        let money = (0..<n).map { i in i % 1_000 == 0 ? -0.0 : Double(Int.random(in: -99_999...99_999, using: &rng)) / 100 }
        let big = makeTable([("f", .floats(floats)), ("m", .floats(money)), ("i", .integers(integers)), ("s", .strings(words)),
                             ("row", .integers((0..<n).map { Int64($0) }))])
        let withDates = try big.setting("d", Column(.date(days), validity: nil))
        // the reference: a plain stable comparison of the values themselves
        func expected<T>(_ values: [T], descending: Bool, _ less: (T, T) -> Bool) -> [Int64] {
            (0..<n).sorted { a, b in
                let (x, y) = (values[a], values[b])
                if less(x, y) { return !descending }
                if less(y, x) { return descending }
                return a < b
            }.map { Int64($0) }
        }
        func floatLess(_ x: Double, _ y: Double) -> Bool { x.isNaN ? false : (y.isNaN ? true : x < y) }
        for descending in [false, true] {
            let key = { (name: String) in descending ? SortKey.desc(name) : SortKey.asc(name) }
            for (name, reference) in [("f", expected(floats, descending: descending, floatLess)),
                                      ("m", expected(money, descending: descending, floatLess)),
                                      ("i", expected(integers, descending: descending, <)),
                                      ("d", expected(days, descending: descending, <))] {
                let order = try withDates.sorted(by: [key(name)]).column("row")!.values
                // (the first difference, not the whole arrays: a failure stays readable)
                let differs = order.indices.first { $0 >= reference.count || order[$0] != Value.integer(reference[$0]) }
                #expect(order.count == n && differs == nil, "sort \(name)\(descending ? " desc" : ""): first difference at \(differs ?? -1)")
            }
            // texts in the collation's order: the same as with the row as a second key, which
            // takes the comparison sort
            let texts = try withDates.sorted(by: [key("s")]).column("row")!.values
            let byComparison = try withDates.sorted(by: [key("s"), .asc("row")]).column("row")!.values
            #expect(texts.count == n && texts.elementsEqual(byComparison), "sort s\(descending ? " desc" : "")")
        }
    }

    @Test func emptyAndOneRowTables() throws {
        let one = t.head(1)
        #expect(try one.sorted(by: [.desc("id")]).rowCount == 1)
        #expect(try t.head(0).sorted(by: [.asc("name")]).rowCount == 0)
        #expect(try t.top(0, by: [.asc("id")]).rowCount == 0)
        #expect(try t.top(10, by: [.asc("id")]).rowCount == 5)
    }
}

@Suite struct DistinctJoinAppendTests {
    @Test func distinctRowsAndColumns() throws {
        let t = makeTable([("a", .strings(["x", "y", "x", nil, nil])), ("b", .integers([1, 2, 1, 3, 3]))])
        #expect(try t.distinct().rowCount == 3)
        #expect(try t.distinct(["a"]).column("a")!.values == [.string("x"), .string("y"), .null])
        #expect(try t.head(0).distinct().rowCount == 0)
    }

    let customers = makeTable([
        ("customer_id", .integers([1, 2, 3, nil])),
        ("region", .strings(["Süd", "Nord", "Ost", "West"])),
    ])
    let orders = makeTable([
        ("customer_id", .integers([2, 1, 2, 9, nil])),
        ("revenue", .floats([10, 20, 30, 40, 50])),
        ("region", .strings(["x", "y", "z", "w", "v"])),
    ])

    @Test func innerJoinKeepsLeftOrder() throws {
        let j = try customers.join(orders, on: [("customer_id", "customer_id")])
        #expect(j.names == ["customer_id", "region", "revenue", "region_right"])
        #expect(goldenText(j) == """
            schema: customer_id integer, region string, revenue float, region_right string
            rows: 3
            customer_id|region|revenue|region_right
            1|Süd|20|y
            2|Nord|10|x
            2|Nord|30|z

            """)
    }

    @Test func leftJoinKeepsUnmatchedAndNullKeys() throws {
        let j = try customers.join(orders, on: [("customer_id", "customer_id")], kind: .left)
        #expect(j.rowCount == 5)
        #expect(j.column("revenue")!.values.map(\.description) == ["20", "10", "30", "", ""])
        #expect(j.column("region")!.values.map(\.description) == ["Süd", "Nord", "Nord", "Ost", "West"])
    }

    @Test func leftJoinWithNullsOnTheRightAndUnmatchedRows() throws {
        let left = makeTable([("k", .integers([1, 2, 3]))])
        let right = makeTable([("k", .integers([1, 3])), ("v", .floats([nil, 2.5])), ("s", .strings([nil, "x"]))])
        let j = try left.join(right, on: [("k", "k")], kind: .left)
        #expect(j.column("v")!.values == [.null, .null, .float(2.5)])
        #expect(j.column("s")!.values == [.null, .null, .string("x")])
    }

    @Test func textKeysWithDifferentDictionariesAndSeveralKeys() throws {
        let a = makeTable([("k", .strings(["p", "q", "r"])), ("n", .integers([1, 2, 3]))])
        let b = makeTable([("key", .strings(["z", "r", "p", "p"])), ("n", .integers([1, 3, 1, 2]))])
        let one = try a.join(b, on: [("k", "key")])
        #expect(one.column("k")!.values.map(\.description) == ["p", "p", "r"])
        let two = try a.join(b, on: [("k", "key"), ("n", "n")])
        #expect(two.rowCount == 2)
        #expect(two.names == ["k", "n", "key"])
    }

    @Test func joinErrors() {
        #expect(throws: EngineError.self) { try customers.join(orders, on: [("customer", "customer_id")]) }
        #expect(throws: EngineError.self) { try customers.join(orders, on: [("region", "revenue")]) }
        let dup = makeTable([("k", .integers(Array(repeating: 1, count: 100)))])
        #expect(throws: EngineError.self) { try dup.join(dup, on: [("k", "k")], rowLimit: 5000) }
    }

    @Test func appendPromotesAndChecksColumns() throws {
        let a = makeTable([("x", .integers([1, 2])), ("s", .strings(["a", "b"]))])
        let b = makeTable([("s", .strings(["c", "a"])), ("x", .floats([2.5, nil]))])
        let c = try Table.append([a, b])
        #expect(goldenText(c) == """
            schema: x float, s string
            rows: 4
            x|s
            1|a
            2|b
            2.5|c
            null|a

            """)
        #expect(throws: EngineError.self) { try Table.append([a, makeTable([("x", .integers([1]))])]) }
        #expect(throws: EngineError.self) { try Table.append([a, makeTable([("x", .strings(["1"])), ("s", .strings(["a"]))])]) }
    }

    @Test func projectAndDerive() throws {
        let p = try orders.project([NamedExpr("double", .col("revenue") * .lit(2.0)), NamedExpr("id", .col("customer_id"))])
        #expect(p.names == ["double", "id"])
        #expect(p.column("double")!.values.first == .float(20))
        let d = try orders.deriving([NamedExpr("net", .col("revenue") - .lit(5.0)), NamedExpr("net2", .col("net") * .lit(2.0))])
        #expect(d.names == ["customer_id", "revenue", "region", "net", "net2"])
        #expect(d.column("net2")!.values.first == .float(10))
        #expect(throws: EngineError.self) { try orders.project([NamedExpr("a", .col("revenue")), NamedExpr("a", .col("region"))]) }
    }

    @Test func tableRejectsDuplicateNames() {
        #expect(throws: EngineError.self) { try Table([("a", .integers([1])), ("a", .integers([2]))]) }
    }
}
