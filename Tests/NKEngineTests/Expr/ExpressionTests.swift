import NKEngine
import NKTestSupport
import Testing

/// Expression evaluation, one behaviour per test, over a small table with nulls in every column.
@Suite struct ExpressionTests {
    static func day(_ text: String) -> Int32 { Int32(CivilDate.parseISO(text)!) }

    let t = makeTable([
        ("id", .integers([1, 2, 3, 4, 5, 6])),
        ("region", .strings(["Süd", "Nord", nil, "Süd", "West", "Nord"])),
        ("employees", .integers([10, 60, 100, nil, 51, 200])),
        ("nps", .integers([-5, 10, -20, -1, nil, 0])),
        ("revenue", .floats([100.5, nil, 20, 0, 3.25, 1000])),
        ("flag", .booleans([true, false, nil, true, nil, false])),
        ("day", .dates([day("2024-01-31"), day("2024-02-29"), nil, day("2023-12-31"), day("2025-06-30"), day("2024-03-31")])),
        ("name", .strings(["anna", "Bernd", "carla", nil, "Dora", "anna"])),
    ])

    func ints(_ xs: [Int64?]) -> [Value] { xs.map { $0.map(Value.integer) ?? .null } }

    func values(_ e: Expr) throws -> [Value] { try t.evaluate(e, context: ExecutionContext(today: Self.day("2025-06-30"))).values }

    @Test func integerArithmetic() throws {
        #expect(try values(.col("employees") + .lit(1)) == ints([11, 61, 101, nil, 52, 201]))
        #expect(try values(.col("employees") * .col("id")) == ints([10, 120, 300, nil, 255, 1200]))
        #expect(try values(.binary(.modulo, .col("employees"), .lit(7))) == ints([3, 4, 2, nil, 2, 4]))
    }

    @Test func divisionGivesFloatAndNullForZero() throws {
        #expect(try values(.lit(7) / .lit(2)) == Array(repeating: .float(3.5), count: 6))
        #expect(try values(.col("revenue") / .col("nps")) == [.float(-20.1), .null, .float(-1), .float(-0.0), .null, .null])
    }

    @Test func integerOverflowIsNullNotAWrappedNumber() throws {
        // every row overflows here (the rule in full is in OverflowTests)
        #expect(try values(.literal(.integer(Int64.max)) + .col("id")) == Array(repeating: .null, count: 6))
    }

    @Test func mixedIntegerAndFloat() throws {
        #expect(try values(.col("employees") + .col("revenue")) == [.float(110.5), .null, .float(120), .null, .float(54.25), .float(1200)])
    }

    @Test func comparisonsWithNullAreNull() throws {
        #expect(try values(.col("nps") < .lit(0)) == [.boolean(true), .boolean(false), .boolean(true), .boolean(true), .null, .boolean(false)])
        #expect(try t.count(where: .col("nps") < .lit(0)) == 3)
        #expect(try t.count(where: !(.col("nps") < .lit(0))) == 2)
    }

    @Test func threeValuedLogicTruthTables() throws {
        let truth = makeTable([
            ("a", .booleans([true, true, true, false, false, false, nil, nil, nil])),
            ("b", .booleans([true, false, nil, true, false, nil, true, false, nil])),
        ])
        let and = try truth.evaluate(.col("a") && .col("b")).values
        let or = try truth.evaluate(.col("a") || .col("b")).values
        let T = Value.boolean(true), F = Value.boolean(false), N = Value.null
        #expect(and == [T, F, N, F, F, F, N, F, N])
        #expect(or == [T, T, T, T, F, N, T, N, N])
        #expect(try truth.evaluate(!.col("a")).values == [F, F, F, T, T, T, N, N, N])
    }

    @Test func stringEqualityUsesCodes() throws {
        #expect(try t.count(where: .col("region") == .lit("Süd")) == 2)
        #expect(try t.count(where: .col("region") != .lit("Süd")) == 3)
        #expect(try t.count(where: .col("region") == .lit("Ost")) == 0)
        #expect(try t.count(where: .lit("Nord") == .col("region")) == 2)
    }

    @Test func stringOrdering() throws {
        #expect(try t.selection(where: .col("region") < .lit("Süd")) == [1, 5])
        // two columns with different dictionaries, byte order (lower case after upper case):
        // anna >= Süd, Bernd < Nord, Dora < West, anna >= Nord; rows with a null are left out
        #expect(try t.selection(where: .col("name") >= .col("region")) == [0, 5])
    }

    @Test func inListAndBetween() throws {
        #expect(try t.selection(where: .inList(.col("region"), [.lit("Süd"), .lit("West")])) == [0, 3, 4])
        #expect(try t.selection(where: .inList(.col("employees"), [.lit(60), .lit(200)])) == [1, 5])
        #expect(try values(.inList(.col("id"), [.lit(1), .literal(.null)])) == [.boolean(true)] + Array(repeating: .null, count: 5))
        #expect(try t.selection(where: .between(.col("employees"), .lit(51), .lit(100))) == [1, 2, 4])
    }

    @Test func isNull() throws {
        #expect(try t.selection(where: .isNull(.col("region"))) == [2])
        #expect(try t.selection(where: !.isNull(.col("revenue"))) == [0, 2, 3, 4, 5])
        #expect(try values(.isNull(.col("flag"))) == [false, false, true, false, true, false].map(Value.boolean))
    }

    @Test func stringFunctions() throws {
        #expect(try values(.call("lower", [.col("region")])) == [.string("süd"), .string("nord"), .null, .string("süd"), .string("west"), .string("nord")])
        #expect(try values(.call("upper", [.col("name")]))[1] == .string("BERND"))
        #expect(try values(.call("length", [.col("region")])) == ints([3, 4, nil, 3, 4, 4]))
        #expect(try t.selection(where: .call("contains", [.col("name"), .lit("nn")])) == [0, 5])
        #expect(try t.selection(where: .call("starts_with", [.col("region"), .lit("N")])) == [1, 5])
        #expect(try t.selection(where: .call("ends_with", [.col("name"), .lit("a")])) == [0, 2, 4, 5])
    }

    @Test func dateArithmetic() throws {
        let plusMonth = try values(.shift(.col("day"), Interval(1, .months)))
        #expect(plusMonth.map(\.description) == ["2024-02-29", "2024-03-29", "", "2024-01-31", "2025-07-30", "2024-04-30"])
        let minusYear = try values(.shift(.col("day"), Interval(-1, .years)))
        #expect(minusYear[1].description == "2023-02-28")
        let plusDays = try values(.shift(.col("day"), Interval(1, .days)))
        #expect(plusDays[1].description == "2024-03-01")
        #expect(try values(.col("day") - .col("day")) == ints([0, 0, nil, 0, 0, 0]))
        #expect(try values(.call("today", []) - .col("day"))[4] == .integer(0))
    }

    @Test func dateParts() throws {
        #expect(try values(.call("year", [.col("day")]))[0] == .integer(2024))
        #expect(try values(.call("month", [.col("day")]))[1] == .integer(2))
        #expect(try values(.call("day", [.col("day")]))[1] == .integer(29))
        #expect(try values(.call("quarter", [.col("day")]))[5] == .integer(1))
        #expect(try values(.call("weekday", [.col("day")]))[4] == .integer(1))
        #expect(try values(.call("day_of_year", [.col("day")]))[5] == .integer(91))
    }

    @Test func dateComparedWithTextLiteral() throws {
        #expect(try t.selection(where: .col("day") >= .lit("2024-02-01")) == [1, 4, 5])
        #expect(throws: EngineError.self) { try t.selection(where: .col("day") >= .lit("soon")) }
    }

    @Test func coalesceIfCaseNullif() throws {
        #expect(try values(.call("coalesce", [.col("region"), .lit("?")])) == ["Süd", "Nord", "?", "Süd", "West", "Nord"].map(Value.string))
        #expect(try values(.call("coalesce", [.col("employees"), .col("nps")]))[3] == .integer(-1))
        #expect(try values(.call("if", [.col("nps") < .lit(0), .lit("detractor"), .lit("other")]))
            == ["detractor", "other", "detractor", "detractor", "other", "other"].map(Value.string))
        let segments = Expr.conditional([WhenClause(.col("employees") >= .lit(100), .lit("large")),
                                         WhenClause(.col("employees") >= .lit(50), .lit("mid"))], .lit("small"))
        #expect(try values(segments) == ["small", "mid", "large", "small", "mid", "large"].map(Value.string))
        #expect(try values(.call("nullif", [.col("nps"), .lit(0)]))[5] == .null)
    }

    /// A function that is null wherever its first argument is folds to a null when that
    /// argument is a bare null, as `null + 1` does, with the type the function gives; those that
    /// choose among nulls or write one as text do not.
    @Test func aFunctionOfABareNullIsANullOfItsType() throws {
        for (call, type) in [("abs", DataType.integer), ("round", .integer), ("length", .integer), ("upper", .string), ("year", .integer),
                             ("contains", .boolean)] {
            let arguments: [Expr] = call == "contains" ? [.literal(.null), .lit("a")] : [.literal(.null)]
            let bound = try t.bind(.call(call, arguments))
            #expect(bound.isNullLiteral, "\(call)")
            #expect(bound.type == type, "\(call)")
            #expect(try values(.call(call, arguments)) == Array(repeating: .null, count: 6))
        }
        #expect(try t.bind(.call("length", [.call("abs", [.literal(.null)])])).isNullLiteral)
        #expect(throws: EngineError.self) { try t.bind(.call("length", [.call("abs", [.lit(1)])])) }
        #expect(!(try t.bind(.call("coalesce", [.literal(.null), .col("nps")])).isNullLiteral))
        #expect(try values(.call("coalesce", [.literal(.null), .col("nps")])) == ints([-5, 10, -20, -1, nil, 0]))
        #expect(!(try t.bind(.call("concat", [.literal(.null), .col("name")])).isNullLiteral))
    }

    @Test func numericFunctions() throws {
        #expect(try values(.call("round", [.col("revenue")]))[0] == .float(101))
        #expect(try values(.call("round", [.col("revenue"), .lit(1)]))[4] == .float(3.3))
        #expect(try values(.call("abs", [.col("nps")]))[2] == .integer(20))
        #expect(try values(.call("sqrt", [.col("nps")]))[0] == .null)
        #expect(try values(.call("float", [.call("if", [.isNull(.col("region")), .lit("1.5"), .lit("2")])])) == [2, 2, 1.5, 2, 2, 2].map(Value.float))
        #expect(try values(.call("integer", [.col("revenue")]))[0] == .integer(100))
        #expect(try values(.call("string", [.col("employees")]))[1] == .string("60"))
    }

    @Test func badConversionNamesTheRow() {
        do {
            _ = try values(.call("integer", [.col("region")]))
            Issue.record("expected an error")
        } catch let e as EngineError {
            #expect(e.category == .conversion)
            #expect(e.message == "\"Süd\" in row 1 is not an integer")
        } catch { Issue.record("\(error)") }
    }

    @Test func daysBetween() throws {
        #expect(try values(.call("days_between", [.col("day"), .lit("2025-06-30")])) == ints([516, 487, nil, 547, 0, 456]))
        #expect(try values(.call("days_between", [.call("today", []), .col("day")]))[4] == .integer(0))
    }

    @Test func errorsCarryTheInnermostSourceTag() {
        let bad: Expr = .located(.binary(.add, .located(.col("region"), sourceRef: 1), .located(.lit(1), sourceRef: 2)), sourceRef: 3)
        #expect((try? values(bad)) == nil)
        do { _ = try values(bad) } catch let e as EngineError { #expect(e.sourceRef == 3) } catch {}
        let unknown: Expr = .located(.binary(.add, .located(.col("regoin"), sourceRef: 1), .lit(1)), sourceRef: 3)
        do { _ = try values(unknown) } catch let e as EngineError { #expect(e.sourceRef == 1) } catch {}
        let runtime: Expr = .located(.call("integer", [.located(.col("region"), sourceRef: 7)]), sourceRef: 8)
        do { _ = try values(runtime) } catch let e as EngineError { #expect(e.sourceRef == 8) } catch {}
    }

    @Test func typeErrorsNameTheProblem() {
        #expect(throws: EngineError.self) { try values(.col("region") + .lit(1)) }
        #expect(throws: EngineError.self) { try t.selection(where: .col("employees")) }
        #expect(throws: EngineError.self) { try values(.col("region") == .lit(3)) }
    }

    @Test func unknownNamesSuggestTheNearest() {
        do {
            _ = try values(.col("regoin"))
            Issue.record("expected an error")
        } catch let e as EngineError {
            #expect(e.category == .unknownColumn)
            #expect(e.message == "no column `regoin`")
            #expect(e.hint == "did you mean `region`?")
        } catch { Issue.record("\(error)") }
        do {
            _ = try values(.call("lowr", [.col("region")]))
            Issue.record("expected an error")
        } catch let e as EngineError {
            #expect(e.hint == "did you mean `lower`?")
        } catch { Issue.record("\(error)") }
    }

    @Test func columnNamesAreCaseInsensitiveWhenUnique() throws {
        #expect(try values(.col("REGION"))[0] == .string("Süd"))
    }
}
