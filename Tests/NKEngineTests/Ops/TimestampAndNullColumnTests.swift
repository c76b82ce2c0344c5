import NKEngine
import NKTestSupport
import Testing

/// Timestamps through every operator, and columns that hold nothing but nulls.
@Suite struct TimestampAndNullColumnTests {
    static func ts(_ text: String) -> Int64 {
        if case .timestamp(let t) = Conversion.convert(.string(text), to: .timestamp) { return t }
        fatalError("bad timestamp \(text)")
    }

    let t = makeTable([
        ("at", .timestamps([ts("2025-01-31 23:30:00"), ts("2024-02-29 08:00:00"), nil, ts("2024-02-29 07:59:59.5")])),
        ("who", .strings(["a", "b", "c", "b"])),
        ("nothing", .floats([nil, nil, nil, nil])),
        ("none", .strings([nil, nil, nil, nil])),
    ])

    @Test func clockAndCalendarShifts() throws {
        let plusHour = try t.evaluate(.shift(.col("at"), Interval(1, .hours))).values.map(\.description)
        #expect(plusHour == ["2025-02-01 00:30:00", "2024-02-29 09:00:00", "", "2024-02-29 08:59:59.5"])
        let plusMonth = try t.evaluate(.shift(.col("at"), Interval(1, .months))).values.map(\.description)
        #expect(plusMonth[0] == "2025-02-28 23:30:00")
        let minusYear = try t.evaluate(.shift(.col("at"), Interval(-1, .years))).values.map(\.description)
        #expect(minusYear[1] == "2023-02-28 08:00:00")
    }

    @Test func partsAndConversion() throws {
        #expect(try t.evaluate(.call("hour", [.col("at")])).values == [.integer(23), .integer(8), .null, .integer(7)])
        #expect(try t.evaluate(.call("second", [.col("at")])).values[3] == .integer(59))
        #expect(try t.evaluate(.call("date", [.col("at")])).values.map(\.description) == ["2025-01-31", "2024-02-29", "", "2024-02-29"])
        #expect(try t.evaluate(.call("year", [.col("at")])).values[0] == .integer(2025))
        #expect(try t.evaluate(.col("at") - .col("at")).values[1] == .integer(0))
    }

    @Test func compareWithDatesAndText() throws {
        #expect(try t.selection(where: .col("at") >= .lit("2024-02-29 08:00:00")) == [0, 1])
        #expect(try t.selection(where: .col("at") < .literal(.date(Int32(CivilDate.days(year: 2024, month: 3, day: 1))))) == [1, 3])
    }

    @Test func sortGroupJoinDistinct() throws {
        #expect(try t.sorted(by: [.asc("at")]).column("who")!.values.map(\.description) == ["b", "b", "a", "c"])
        let g = try t.groupBy([NamedExpr("day", .call("date", [.col("at")]))], [Aggregate(.count), Aggregate(.min, .col("at")), Aggregate(.median, .col("at"))])
        #expect(goldenText(g) == """
            schema: day date, count integer, min(at) timestamp, median(at) timestamp
            rows: 3
            day|count|min(at)|median(at)
            2025-01-31|1|2025-01-31 23:30:00|2025-01-31 23:30:00
            2024-02-29|2|2024-02-29 07:59:59.5|2024-02-29 07:59:59.75
            null|1|null|null

            """)
        let other = makeTable([("at", .timestamps([Self.ts("2024-02-29 08:00:00")])), ("tag", .strings(["x"]))])
        #expect(try t.join(other, on: [("at", "at")]).column("who")!.values == [.string("b")])
        #expect(try t.distinct(["at"]).rowCount == 4)
    }

    @Test func allNullColumnsThroughOperators() throws {
        #expect(try t.count(where: .col("nothing") > .lit(0.0)) == 0)
        #expect(try t.count(where: .isNull(.col("none"))) == 4)
        #expect(try t.count(where: .col("none") == .lit("x") || .col("who") == .lit("a")) == 1)
        #expect(try t.sorted(by: [.desc("nothing"), .asc("who")]).column("who")!.values.map(\.description) == ["a", "b", "b", "c"])
        let g = try t.groupBy([NamedExpr("none", .col("none"))], [Aggregate(.count), Aggregate(.avg, .col("nothing")), Aggregate(.countDistinct, .col("nothing"))])
        #expect(g.row(0) == [.null, .integer(4), .null, .integer(0)])
        #expect(try t.distinct(["none", "nothing"]).rowCount == 1)
        let right = makeTable([("none", .strings([nil])), ("v", .integers([1]))])
        #expect(try t.join(right, on: [("none", "none")]).rowCount == 0)
        #expect(try t.join(right, on: [("none", "none")], kind: .left).column("v")!.values == Array(repeating: .null, count: 4))
    }

    @Test func textOfOnlyNullsFromExpressionsAndFiles() throws {
        let derived = try t.evaluate(.call("lower", [.call("coalesce", [.col("none"), .col("none")])]))
        #expect(derived.values == Array(repeating: .null, count: 4))
        #expect(try t.count(where: .call("coalesce", [.col("none"), .col("none")]) < .lit("x")) == 0)
        #expect(try t.count(where: .inList(.call("if", [.lit(true), .col("none"), .col("none")]), [.lit("a")])) == 0)
        let file = try CSVReader.load(text: "id,empty\n1,\n2,\n").table
        #expect(file.column("empty")?.type == .string)
        #expect(try file.sorted(by: [.desc("empty")]).rowCount == 2)
        #expect(try file.count(where: .col("empty") >= .lit("")) == 0)
        #expect(try file.groupBy([NamedExpr("empty", .col("empty"))], [Aggregate(.max, .col("empty"))]).row(0) == [.null, .null])
    }
}
