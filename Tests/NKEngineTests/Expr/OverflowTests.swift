import NKEngine
import NKTestSupport
import Testing

/// Arithmetic that does not fit its type gives null in that row and a counted note, in every
/// operator, function and aggregate; rows that fit keep their exact value.
@Suite struct OverflowTests {
    static func day(_ text: String) -> Int32 { Int32(CivilDate.parseISO(text)!) }
    static let big = Int64.max
    let big = Int64.max

    let t = makeTable([
        ("n", .integers([1, big, -big, nil, .min])),
        ("k", .integers([2, 1, 2, 5, 1])),
        ("day", .dates([day("2024-01-31"), day("9999-12-30"), day("0001-01-02"), nil, day("2000-02-29")])),
    ])

    /// The values of `e`, and the notes its evaluation left.
    func run(_ e: Expr) throws -> (values: [Value], notes: [String]) {
        let context = ExecutionContext(today: Self.day("2025-06-30"))
        let values = try t.evaluate(e, context: context).values
        return (values, context.notes.sentences)
    }

    func ints(_ xs: [Int64?]) -> [Value] { xs.map { $0.map(Value.integer) ?? .null } }
    func days(_ xs: [String?]) -> [Value] { xs.map { $0.map { .date(Self.day($0)) } ?? .null } }

    static let wholeNote = "the result does not fit a 64-bit whole number and is null (convert with float(…) first for larger numbers)"
    static let dateNote = "the date falls outside the years 1 to 9999 and is null"

    @Test func additionSubtractionAndMultiplicationGiveNullWhereTheyPass64Bits() throws {
        let add = try run(.col("n") + .col("k"))
        #expect(add.values == ints([3, nil, -big + 2, nil, .min + 1]))
        #expect(add.notes == ["1 value: \(Self.wholeNote)"])
        let sub = try run(.binary(.subtract, .col("n"), .col("k")))
        #expect(sub.values == ints([-1, big - 1, nil, nil, nil]))
        #expect(sub.notes == ["2 values: \(Self.wholeNote)"])
        let mul = try run(.col("n") * .col("k"))
        #expect(mul.values == ints([2, big, nil, nil, .min]))
        #expect(mul.notes == ["1 value: \(Self.wholeNote)"])
    }

    @Test func fittingArithmeticLeavesNoNote() throws {
        let r = try run(.col("k") * .lit(1000) + .lit(7))
        #expect(r.values == ints([2007, 1007, 2007, 5007, 1007]))
        #expect(r.notes.isEmpty)
    }

    @Test func scalarOverflowMakesEveryRowNull() throws {
        let r = try run(.literal(.integer(big)) + .lit(1))
        #expect(r.values == ints([nil, nil, nil, nil, nil]))
        #expect(r.notes == ["5 values: \(Self.wholeNote)"])
    }

    @Test func negationAbsAndModuloOfTheSmallestNumber() throws {
        let neg = try run(.unary(.negate, .col("n")))
        #expect(neg.values == ints([-1, -big, big, nil, nil]))
        #expect(neg.notes == ["1 value: \(Self.wholeNote)"])
        #expect(try run(.call("abs", [.col("n")])).values == ints([1, big, big, nil, nil]))
        // x % -1 is 0 for every x, the smallest number too (it would trap as a machine division)
        #expect(try run(.binary(.modulo, .col("n"), .lit(-1))).values == ints([0, 0, 0, nil, 0]))
    }

    @Test func roundingWholeNumbersToTensIsExact() throws {
        let values = makeTable([("x", .integers([1250, -1250, -1249, 9_007_199_254_740_993, big, 5]))])
        func rounded(_ f: String, _ digits: Int64) throws -> [Value] {
            try values.evaluate(.call(f, [.col("x"), .literal(.integer(digits))])).values
        }
        // through a float, 9007199254740993 would come back as …990 for -1 digits
        #expect(try rounded("round", -1) == ints([1250, -1250, -1250, 9_007_199_254_740_990, nil, 10]))
        #expect(try rounded("round", -2) == ints([1300, -1300, -1200, 9_007_199_254_741_000, 9_223_372_036_854_775_800, 0]))
        #expect(try rounded("round", -25) == ints([0, 0, 0, 0, 0, 0]))
    }

    @Test func dateArithmeticOutsideTheYearsOneTo9999IsNull() throws {
        let plus = try run(.col("day") + .literal(.integer(big)))
        #expect(plus.values == days([nil, nil, nil, nil, nil]))
        #expect(plus.notes == ["4 values: \(Self.dateNote)"])
        let minus = try run(.binary(.subtract, .col("day"), .literal(.integer(3_000_000_000))))
        #expect(minus.values == days([nil, nil, nil, nil, nil]))
        let one = try run(.col("day") + .lit(1))
        #expect(one.values == days(["2024-02-01", "9999-12-31", "0001-01-03", nil, "2000-03-01"]))
        #expect(one.notes.isEmpty)
        let two = try run(.col("day") + .lit(2))
        #expect(two.values == days(["2024-02-02", nil, "0001-01-04", nil, "2000-03-02"]))
        #expect(two.notes == ["1 value: \(Self.dateNote)"])
    }

    @Test func intervalsThatLeaveTheRangeAreNull() throws {
        let months = try run(.shift(.col("day"), Interval(1, .months)))
        #expect(months.values == days(["2024-02-29", nil, "0001-02-02", nil, "2000-03-29"]))
        #expect(months.notes == ["1 value: \(Self.dateNote)"])
        let huge = try run(.shift(.col("day"), Interval(Int.max, .weeks)))
        #expect(huge.values == days([nil, nil, nil, nil, nil]))
        let back = try run(.shift(.col("day"), Interval(-1, .years)))
        #expect(back.values == days(["2023-01-31", "9998-12-30", nil, nil, "1999-02-28"]))
    }

    @Test func timestampDifferenceThatPasses64BitsIsNull() throws {
        let times = makeTable([("a", .timestamps([Int64.max, 86_400_000_000])), ("b", .timestamps([-1_000_000, 0]))])
        let context = ExecutionContext()
        let r = try times.evaluate(.binary(.subtract, .col("a"), .col("b")), context: context).values
        #expect(r == ints([nil, 86_400]))
        #expect(context.notes.sentences == ["1 value: the time between the two timestamps does not fit 64 bits and is null"])
    }

    @Test func integerSumsAreNullPerGroupWhereTheyDoNotFit() throws {
        // 3 × 2^62 passes 2^63 in group a; group b passes it too on the way (three times 2^62
        // first), then comes back down to 2^62 + 5, which fits
        let quarter: Int64 = 1 << 62
        let rows = 300_000  // enough to be summed in parts on every core
        var g: [String?] = [], x: [Int64?] = []
        for i in 0..<rows {
            g.append(i % 2 == 0 ? "a" : "b")
            let b: Int64 = i < 6 ? quarter : i == 7 || i == 299_997 ? -quarter : i == 299_999 ? 5 : 0
            x.append(i % 2 == 0 ? (i < 6 ? quarter : 0) : b)
        }
        let table = makeTable([("g", .strings(g)), ("x", .integers(x))])
        let context = ExecutionContext()
        let out = try table.groupBy([NamedExpr("g", .col("g"))], [Aggregate(.sum, .col("x"), as: "total")], context: context)
        #expect(out.column("total")!.values == ints([nil, quarter + 5]))
        #expect(context.notes.sentences == ["1 group: total does not fit a 64-bit whole number and is null (sum float(…) for larger totals)"])
    }
}
