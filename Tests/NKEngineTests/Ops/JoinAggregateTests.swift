import Foundation
@testable import NKEngine
import NKTestSupport
import Testing

/// Grouping while joining gives exactly the table the join followed by the group-by gives:
/// the same groups in the same order, the same values to the last bit, for inner and left
/// joins, dense and hashed keys, keys on either side, and every aggregate.
@Suite struct JoinAggregateTests {
    /// Orders (`rows` of them, some without a known customer, some with a null customer) and
    /// customers (ids 0…999 shuffled, a few null; regions with nulls; a repeated id when
    /// `repeated`, which turns the dense lookup off).
    static func tables(_ rows: Int, seed: UInt64, repeated: Bool = false, textKeys: Bool = false) -> (Table, Table) {
        var random = SeededGenerator(seed: seed)
        let ids: [Int64?] = (0..<rows).map { _ in
            Int.random(in: 0..<40, using: &random) == 0 ? nil : Int64.random(in: -5...1_050, using: &random)
        }
        let revenue: [Double?] = (0..<rows).map { _ in
            Int.random(in: 0..<30, using: &random) == 0 ? nil : Double(Int.random(in: 1...1_000_000, using: &random)) / 100
        }
        let quantity: [Int64?] = (0..<rows).map { _ in Int64.random(in: -3...40, using: &random) }
        let product = (0..<rows).map { _ in ["a", "b", "c"].randomElement(using: &random)! }
        var customerIDs: [Int64?] = (0..<1_000).map { Int64($0) }
        customerIDs.shuffle(using: &random)
        for k in stride(from: 5, to: 1_000, by: 111) { customerIDs[k] = nil }
        if repeated { customerIDs[0] = customerIDs[1] }
        let regions: [String?] = (0..<1_000).map { _ in [nil, "Nord", "Süd", "Ost", "West"].randomElement(using: &random)! }
        let employees: [Int64?] = (0..<1_000).map { _ in Int64.random(in: 1...5_000, using: &random) }
        let name = customerIDs.map { $0.map { "c\($0)" } }
        func key(_ v: [Int64?]) -> Column { textKeys ? .strings(v.map { $0.map { "k\($0)" } }) : .integers(v) }
        let orders = makeTable([("customer_id", key(ids)), ("revenue", .floats(revenue)), ("quantity", .integers(quantity)),
                                ("name", .strings(product))])
        let customers = makeTable([("customer_id", key(customerIDs)), ("region", .strings(regions)),
                                   ("employees", .integers(employees)), ("name", .strings(name))])
        return (orders, customers)
    }

    static let aggregates: [(Aggregate, JoinedColumn?)] = [
        (Aggregate(.count), nil),
        (Aggregate(.sum, .column("revenue")), JoinedColumn(.left, "revenue")),
        (Aggregate(.sum, .column("quantity")), JoinedColumn(.left, "quantity")),
        (Aggregate(.avg, .column("employees")), JoinedColumn(.right, "employees")),
        (Aggregate(.share), nil),
        (Aggregate(.share, .column("revenue"), as: "share_revenue"), JoinedColumn(.left, "revenue")),
        (Aggregate(.count, .column("region"), as: "regions"), JoinedColumn(.right, "region")),
        (Aggregate(.countDistinct, .column("name_right")), JoinedColumn(.right, "name")),
        (Aggregate(.median, .column("revenue")), JoinedColumn(.left, "revenue")),
        (Aggregate(.min, .column("name")), JoinedColumn(.left, "name")),
        (Aggregate(.max, .column("employees")), JoinedColumn(.right, "employees")),
    ]

    /// Both ways, as whole tables' text.
    static func both(_ orders: Table, _ customers: Table, kind: JoinKind, keys: [(name: String, column: JoinedColumn)],
                     joinedKeys: [String], aggregates: [(Aggregate, JoinedColumn?)] = aggregates) throws -> (fused: String, joined: String) {
        let fused = try orders.joinGroupBy(customers, on: [("customer_id", "customer_id")], kind: kind, keys: keys,
                                           aggregates: aggregates)
        let joined = try orders.join(customers, on: [("customer_id", "customer_id")], kind: kind)
            .groupBy(joinedKeys.map { NamedExpr($0, .column($0)) }, aggregates.map(\.0))
        return (goldenText(fused), goldenText(joined))
    }

    @Test(arguments: [JoinKind.inner, .left], [false, true])
    func rightKeysGiveTheJoinedGroups(_ kind: JoinKind, _ repeated: Bool) throws {
        // more rows than one part, so both cores work
        let (orders, customers) = Self.tables(200_003, seed: repeated ? 3 : 4, repeated: repeated)
        let r = try Self.both(orders, customers, kind: kind, keys: [("region", JoinedColumn(.right, "region"))], joinedKeys: ["region"])
        #expect(r.fused == r.joined)
        // the null region holds the customers without one, and in a left join the orders without a customer
        #expect(r.fused.contains("\nnull|"))
    }

    /// Right keys, arguments from the left only: the probe gives each order its group directly.
    @Test(arguments: [JoinKind.inner, .left], [1, 100_003])
    func theProbeGivesEachRowItsGroup(_ kind: JoinKind, _ rows: Int) throws {
        let (orders, customers) = Self.tables(rows, seed: UInt64(rows) + (kind == .inner ? 0 : 1))
        let leftOnly = Self.aggregates.filter { $0.1?.side != .right }
        for keys in [["region"], ["region", "name_right"]] {
            let r = try Self.both(orders, customers, kind: kind, keys: keys.map { ($0, JoinedColumn(.right, $0 == "region" ? $0 : "name")) },
                                  joinedKeys: keys, aggregates: leftOnly)
            #expect(r.fused == r.joined, "\(keys)")
        }
        let none = try Self.both(orders.filter(.binary(.less, .column("quantity"), .lit(-100))), customers, kind: kind,
                                 keys: [("region", JoinedColumn(.right, "region"))], joinedKeys: ["region"], aggregates: leftOnly)
        #expect(none.fused == none.joined)
        #expect(none.fused.contains("rows: 0"))
    }

    /// Every order has its customer: the inner join keeps every row, and the groups' counts
    /// and first rows come from the probe itself instead of a pass over the groups found.
    @Test(arguments: [JoinKind.inner, .left])
    func everyOrderMatchedTakesTheProbesTally(_ kind: JoinKind) throws {
        var random = SeededGenerator(seed: 10)
        let customers = makeTable([("customer_id", .integers((0..<1_000).map { Int64(999 - $0) })),
                                   ("region", .strings((0..<1_000).map { _ in ["Nord", "Süd", "Ost", nil].randomElement(using: &random)! }))])
        let orders = makeTable([("customer_id", .integers((0..<150_001).map { _ in Int64.random(in: 0..<1_000, using: &random) })),
                                ("revenue", .floats((0..<150_001).map { _ in Double(Int.random(in: 1...99_999, using: &random)) / 100 })),
                                ("quantity", .integers((0..<150_001).map { Int64($0 % 7) }))])
        let leftOnly = Self.aggregates.filter { $0.1 == nil || $0.1 == JoinedColumn(.left, "revenue") || $0.1 == JoinedColumn(.left, "quantity") }
        let r = try Self.both(orders, customers, kind: kind, keys: [("region", JoinedColumn(.right, "region"))], joinedKeys: ["region"],
                              aggregates: leftOnly)
        #expect(r.fused == r.joined)
        // the tally itself: each group's rows add up to every order, and its first row is the
        // first order of a customer in it
        let groups = try RightGroups([customers.column("region")!], rightCount: 1_000, nullRow: false, context: ExecutionContext())
        let dense = try #require(try orders.denseMatches(orders.column("customer_id")!, customers.column("customer_id")!, customers,
                                                         kind: kind, context: ExecutionContext(),
                                                         through: (groups.slots.slotOfRow, groups.slots.slotCount)))
        let tally = try #require(dense.groups)
        #expect(tally.counts.reduce(0, +) == 150_001)
        for slot in 0..<groups.slots.slotCount {
            let rows = dense.rights.indices.filter { dense.rights[$0] == Int32(slot) }
            #expect(tally.counts[slot] == Int64(rows.count))
            #expect(tally.firstRows[slot] == (rows.first.map { Int32($0) } ?? .max))
        }
    }

    /// Counts, sums, means and shares of left float columns only: one pass over the orders adds
    /// each to its group, and every sum is the joined table's to the last bit. An inner join
    /// where an order has no customer takes the way that writes each match down; in a left
    /// join such orders, null customers too, fall in the group of null keys.
    @Test(arguments: [JoinKind.inner, .left], [true, false])
    func countsAndSumsAddUpWhileProbing(_ kind: JoinKind, _ everyOrderMatched: Bool) throws {
        var random = SeededGenerator(seed: everyOrderMatched ? 11 : 12)
        let rows = 150_001
        let customers = makeTable([("customer_id", .integers((0..<1_000).map { Int64(999 - $0) })),
                                   ("region", .strings((0..<1_000).map { _ in ["Nord", "Süd", "Ost", nil].randomElement(using: &random)! }))])
        // without a match: customers that do not exist, and null customers (a left join's null group)
        let ids: [Int64?] = (0..<rows).map { row in
            let id = Int64.random(in: 0..<(everyOrderMatched ? 1_000 : 1_003), using: &random)
            return everyOrderMatched || row % 17 != 0 ? id : nil
        }
        let orders = makeTable([("customer_id", .integers(ids)),
                                ("revenue", .floats((0..<rows).map { $0 % 13 == 0 ? nil : Double(Int.random(in: 1...99_999, using: &random)) / 100 })),
                                ("cost", .floats((0..<rows).map { _ in Double(Int.random(in: 1...9_999, using: &random)) / 7 }))])
        let aggregates: [(Aggregate, JoinedColumn?)] = [
            (Aggregate(.count), nil),
            (Aggregate(.sum, .column("revenue")), JoinedColumn(.left, "revenue")),
            (Aggregate(.avg, .column("revenue")), JoinedColumn(.left, "revenue")),
            (Aggregate(.count, .column("revenue")), JoinedColumn(.left, "revenue")),
            (Aggregate(.share, .column("cost")), JoinedColumn(.left, "cost")),
            (Aggregate(.sum, .column("cost")), JoinedColumn(.left, "cost")),
        ]
        let fused = try orders.joinGroupBy(customers, on: [("customer_id", "customer_id")], kind: kind,
                                           keys: [("region", JoinedColumn(.right, "region"))], aggregates: aggregates)
        let joined = try orders.join(customers, on: [("customer_id", "customer_id")], kind: kind)
            .groupBy([NamedExpr("region", .column("region"))], aggregates.map(\.0))
        #expect(fused.names == joined.names)
        #expect(fused.rowCount == joined.rowCount)
        for name in joined.names {
            let mine = fused.column(name)!.values, theirs = joined.column(name)!.values
            #expect(mine == theirs, "\(name)")
            // to the last bit
            for (a, b) in zip(mine, theirs) { if case .float(let x) = a, case .float(let y) = b { #expect(x.bitPattern == y.bitPattern) } }
        }
        // the one pass was taken exactly when the join keeps every order
        let groups = try RightGroups([customers.column("region")!], rightCount: 1_000, nullRow: kind == .left, context: ExecutionContext())
        let totals = try orders.denseTotals(orders.column("customer_id")!, customers.column("customer_id")!, customers, kind: kind,
                                            through: (groups.slots.slotOfRow, groups.slots.slotCount), unmatched: groups.nullSlot,
                                            summing: [orders.column("revenue")!], context: ExecutionContext())
        #expect((totals != nil) == (kind == .left || everyOrderMatched))
        if let totals {
            #expect(totals.tally.counts.reduce(0, +) == Int64(rows))
            #expect(totals.valid[0].reduce(0, +) == Int64(rows - (rows + 12) / 13))
        }
    }

    /// More groups than two bytes number: the probe's table of groups takes four bytes a key.
    @Test func moreGroupsThanTwoBytesNumber() throws {
        var random = SeededGenerator(seed: 9)
        let customers = makeTable([("customer_id", .integers((0..<70_000).map { Int64($0) })),
                                   ("name", .strings((0..<70_000).map { "c\($0 % 69_000)" }))])
        let orders = makeTable([("customer_id", .integers((0..<100_000).map { _ in Int64.random(in: 0..<71_000, using: &random) })),
                                ("revenue", .floats((0..<100_000).map { Double($0 % 977) }))])
        for kind in [JoinKind.inner, .left] {
            let r = try Self.both(orders, customers, kind: kind, keys: [("name", JoinedColumn(.right, "name"))], joinedKeys: ["name"],
                                  aggregates: [(Aggregate(.count), nil), (Aggregate(.sum, .column("revenue")), JoinedColumn(.left, "revenue"))])
            #expect(r.fused == r.joined)
            // 69,000 names, of which about 52,000 have an order
            #expect(r.fused.split(separator: "\n").count > 50_000)
        }
    }

    @Test(arguments: [JoinKind.inner, .left])
    func manyRightGroupsAndTextKeys(_ kind: JoinKind) throws {
        let (orders, customers) = Self.tables(50_000, seed: 5, textKeys: true)
        let r = try Self.both(orders, customers, kind: kind, keys: [("name_right", JoinedColumn(.right, "name")), ("region", JoinedColumn(.right, "region"))],
                              joinedKeys: ["name_right", "region"])
        #expect(r.fused == r.joined)
        #expect(r.fused.split(separator: "\n").count > 800)
    }

    @Test(arguments: [JoinKind.inner, .left])
    func leftAndMixedKeysAndNoKeys(_ kind: JoinKind) throws {
        let (orders, customers) = Self.tables(30_000, seed: 6)
        let left = try Self.both(orders, customers, kind: kind, keys: [("name", JoinedColumn(.left, "name"))], joinedKeys: ["name"])
        #expect(left.fused == left.joined)
        let mixed = try Self.both(orders, customers, kind: kind,
                                  keys: [("region", JoinedColumn(.right, "region")), ("name", JoinedColumn(.left, "name"))], joinedKeys: ["region", "name"])
        #expect(mixed.fused == mixed.joined)
        let none = try Self.both(orders, customers, kind: kind, keys: [], joinedKeys: [])
        #expect(none.fused == none.joined)
    }

    @Test func anEmptyJoinGivesNoGroups() throws {
        let (orders, customers) = Self.tables(100, seed: 7)
        let empty = try customers.filter(.binary(.less, .column("employees"), .lit(0)))
        let r = try Self.both(orders, empty, kind: .inner, keys: [("region", JoinedColumn(.right, "region"))], joinedKeys: ["region"])
        #expect(r.fused == r.joined)
        #expect(r.fused.contains("rows: 0"))
    }

    @Test func aSumThatDoesNotFitIsNullWithANoteAsWithoutFusing() throws {
        let orders = makeTable([("customer_id", .integers([1, 1, 2])), ("quantity", .integers([Int64.max, 5, 1]))])
        let customers = makeTable([("customer_id", .integers([1, 2])), ("region", .strings(["Nord", "Süd"]))])
        let context = ExecutionContext()
        let fused = try orders.joinGroupBy(customers, on: [("customer_id", "customer_id")], kind: .inner,
                                           keys: [("region", JoinedColumn(.right, "region"))],
                                           aggregates: [(Aggregate(.sum, .column("quantity")), JoinedColumn(.left, "quantity"))], context: context)
        #expect(fused.column("sum(quantity)")?.values == [.null, .integer(1)])
        #expect(context.notes.sentences.count == 1)
    }

    @Test func aCancelledJoinStops() throws {
        let (orders, customers) = Self.tables(10_000, seed: 8)
        let context = ExecutionContext(cancellation: CancellationFlag())
        context.cancellation.cancel()
        #expect(throws: EngineError.self) {
            try orders.joinGroupBy(customers, on: [("customer_id", "customer_id")], kind: .inner,
                                   keys: [("region", JoinedColumn(.right, "region"))], aggregates: Self.aggregates, context: context)
        }
    }
}
