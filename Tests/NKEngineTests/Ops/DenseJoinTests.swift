import Foundation
@testable import NKEngine
import NKTestSupport
import Testing

/// The join's direct lookup for dense unique keys gives exactly the pairs the hash join
/// gives, and steps aside whenever the keys do not qualify.
@Suite struct DenseJoinTests {
    /// A left table of `n` rows with keys in -20…1,220 (some null) and a right table whose
    /// keys are 0…999 shuffled, with some null.
    static func tables(_ n: Int, seed: UInt64) -> (Table, Table) {
        var random = SeededGenerator(seed: seed)
        let leftKeys: [Int64?] = (0..<n).map { _ in Int.random(in: 0..<50, using: &random) == 0 ? nil : Int64.random(in: -20...1_220, using: &random) }
        var rightKeys: [Int64?] = (0..<1_000).map { Int64($0) }
        rightKeys.shuffle(using: &random)
        for k in stride(from: 3, to: 1_000, by: 97) { rightKeys[k] = nil }
        let left = makeTable([("id", .integers(leftKeys)), ("x", .floats((0..<n).map { Double($0) }))])
        let right = makeTable([("id", .integers(rightKeys)), ("name", .strings(rightKeys.map { $0.map { "c\($0)" } }))])
        return (left, right)
    }

    /// The pairs by direct lookup (nil when the keys do not qualify) and by the hash join,
    /// both as (left row, right row) lists.
    static func pairs(_ left: Table, _ right: Table, kind: JoinKind) throws -> (dense: ([Int32], [Int32])?, hash: ([Int32], [Int32])) {
        let lk = EncodedKeys([left.column("id")!], count: left.rowCount)
        let rk = EncodedKeys([right.column("id")!], count: right.rowCount)
        let hash = try left.matches(lk, rk, right, kind: kind, rowLimit: Int(Int32.max), context: .standard)
        guard let dense = try left.denseMatches(left.column("id")!, right.column("id")!, right, kind: kind, context: .standard) else {
            return (nil, hash)
        }
        let lefts = dense.lefts ?? (0..<Int32(left.rowCount)).map { $0 }
        return ((lefts, dense.rights), hash)
    }

    @Test(arguments: [JoinKind.inner, .left])
    func denseKeysGiveTheHashJoinsPairs(_ kind: JoinKind) throws {
        // more rows than one part, so both cores probe
        let (left, right) = Self.tables(300_001, seed: kind == .inner ? 1 : 2)
        let (dense, hash) = try Self.pairs(left, right, kind: kind)
        let d = try #require(dense, "keys 0…999 of 1,000 rows qualify")
        // a left join keeps every left row in order: no list of them is made
        if kind == .left { #expect(try left.denseMatches(left.column("id")!, right.column("id")!, right, kind: kind, context: .standard)?.lefts == nil) }
        #expect(d.0 == hash.0)
        #expect(d.1 == hash.1)
        // and the joined tables are the same, row by row
        let joined = try left.join(right, on: [("id", "id")], kind: kind)
        #expect(joined.rowCount == hash.0.count)
        let names = joined.column("name")!.values
        let ids = joined.column("id")!.values
        for i in stride(from: 0, to: joined.rowCount, by: 997) {
            if case .integer(let id) = ids[i], !names[i].isNull { #expect(names[i] == .string("c\(id)")) }
        }
    }

    @Test func keysThatDoNotQualifyGoToTheHashJoin() throws {
        let left = makeTable([("id", .integers([1, 2, 3]))])
        // a repeated right key
        let repeated = makeTable([("id", .integers([1, 2, 2]))])
        #expect(try Self.pairs(left, repeated, kind: .inner).dense == nil)
        #expect(try left.join(repeated, on: [("id", "id")]).rowCount == 3)
        // keys spread far wider than the rows
        let spread = makeTable([("id", .integers([1, 1_000_000_000]))])
        #expect(try Self.pairs(left, spread, kind: .inner).dense == nil)
        // only nulls on the right
        let nulls = makeTable([("id", .integers([nil, nil]))])
        #expect(try Self.pairs(left, nulls, kind: .inner).dense == nil)
        #expect(try left.join(nulls, on: [("id", "id")], kind: .left).rowCount == 3)
        // the extremes of Int64 do not wrap into the range
        let extremes = makeTable([("id", .integers([Int64.min, Int64.max, 0]))])
        let small = makeTable([("id", .integers([0, 1, 2]))])
        let (dense, hash) = try Self.pairs(extremes, small, kind: .left)
        #expect(dense?.0 == hash.0 && dense?.1 == hash.1)
        #expect(hash.1 == [-1, -1, 0])
    }

    @Test func everyRowMatchedKeepsTheLeftColumnsAndOtherKeyTypesGoTheSameWay() throws {
        let left = makeTable([("id", .integers([3, 1, 2, 3])), ("x", .strings(["a", "b", "c", "d"]))])
        let right = makeTable([("id", .integers([1, 2, 3])), ("y", .floats([0.1, 0.2, 0.3]))])
        let dense = try #require(try left.denseMatches(left.column("id")!, right.column("id")!, right, kind: .inner, context: .standard))
        #expect(dense.lefts == nil && dense.rights == [2, 0, 1, 2])
        let joined = try left.join(right, on: [("id", "id")])
        #expect(joined.column("x")!.values == left.column("x")!.values)
        #expect(joined.column("y")!.values == [.float(0.3), .float(0.1), .float(0.2), .float(0.3)])
        // dates as keys: their day numbers are dense
        let days = makeTable([("d", .dates([19_000, 19_002, nil])), ("n", .integers([1, 2, 3]))])
        let calendar = makeTable([("d", .dates([19_002, 19_001, 19_000])), ("w", .strings(["Mi", "Di", "Mo"]))])
        #expect(try days.join(calendar, on: [("d", "d")], kind: .left).column("w")!.values == [.string("Mo"), .string("Mi"), .null])
    }

    @Test func textKeysJoinThroughTheirCodes() throws {
        let left = makeTable([("k", .strings(["b", "a", nil, "z", "c"])), ("n", .integers([1, 2, 3, 4, 5]))])
        let right = makeTable([("k", .strings(["a", "b", "c"])), ("v", .floats([0.5, 1.5, 2.5]))])
        let joined = try left.join(right, on: [("k", "k")], kind: .left)
        #expect(joined.column("v")!.values == [.float(1.5), .float(0.5), .null, .null, .float(2.5)])
    }
}
