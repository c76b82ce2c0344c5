import NKEngine
import NKTestSupport
import Testing

/// The text repair functions at their edges: positions before the start or past the end,
/// negative counts, parts that do not exist, padding that is not needed; nulls give null
/// except in `concat`, which skips them.
@Suite struct TextRepairTests {
    static let table = makeTable([("s", .strings(["Müller", "ab", nil])), ("n", .integers([3, nil, 1]))])

    static func values(_ call: String, _ args: [Expr]) throws -> [Value] {
        try table.evaluate(.call(call, args)).values
    }

    @Test func partsCountCharactersFromOne() throws {
        #expect(try Self.values("substring", [.col("s"), .lit(2), .lit(3)]) == [.string("üll"), .string("b"), .null])
        #expect(try Self.values("substring", [.col("s"), .lit(0), .lit(2)]) == [.string("M"), .string("a"), .null])
        #expect(try Self.values("substring", [.col("s"), .lit(9)]) == [.string(""), .string(""), .null])
        #expect(try Self.values("left", [.col("s"), .lit(-2)]) == [.string("Müll"), .string(""), .null])
        #expect(try Self.values("right", [.col("s"), .lit(2)]) == [.string("er"), .string("ab"), .null])
        #expect(try Self.values("substring", [.col("s"), .lit(1), .col("n")]) == [.string("Mül"), .null, .null])
    }

    @Test func replacingSplittingPadding() throws {
        #expect(try Self.values("replace", [.col("s"), .lit("l"), .lit("L")]) == [.string("MüLLer"), .string("ab"), .null])
        #expect(try Self.values("split_part", [.lit("a,b,,c"), .lit(","), .lit(3)]) == [.string(""), .string(""), .string("")])
        #expect(try Self.values("split_part", [.lit("a,b,,c"), .lit(","), .lit(-1)]) == [.string("c"), .string("c"), .string("c")])
        #expect(try Self.values("pad_left", [.col("n"), .lit(3), .lit("0")]) == [.string("003"), .null, .string("001")])
        #expect(try Self.values("pad_left", [.col("s"), .lit(4), .lit("xy")]) == [.string("Müller"), .string("xyab"), .null])
    }

    @Test func concatSkipsNullsTheOperatorDoesNot() throws {
        #expect(try Self.values("concat", [.col("s"), .lit("-"), .col("n")]) == [.string("Müller-3"), .string("ab-"), .string("-1")])
    }

    @Test func datesReadWithAFormat() throws {
        #expect(try Self.values("date", [.lit(19970101), .lit("yyyymmdd")]) == Array(repeating: .date(Int32(CivilDate.days(year: 1997, month: 1, day: 1))), count: 3))
        #expect(throws: EngineError.self) { try Self.values("date", [.lit("1997-13-01"), .lit("yyyy-mm-dd")]) }
        #expect(throws: EngineError.self) { try Self.values("split_part", [.col("s"), .lit("l"), .lit(0)]) }
    }
}

extension TextRepairTests {
    /// A width with a zero too many is an error, not a gigabyte of text per row.
    @Test func padLeftHasALimit() throws {
        do {
            _ = try Self.values("pad_left", [.col("s"), .lit(1_000_000_000), .lit("0")])
            Issue.record("expected an error")
        } catch let e as EngineError {
            #expect(e.message == "pad_left fills to at most 10,000 characters, not 1,000,000,000")
        }
        #expect(try Self.values("pad_left", [.lit("7"), .lit(10_000), .lit("0")])[0].description.count == 10_000)
    }
}
