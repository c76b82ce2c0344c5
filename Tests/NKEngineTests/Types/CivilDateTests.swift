import NKEngine
import Testing

@Suite struct CivilDateTests {
    @Test func knownDays() {
        #expect(CivilDate.days(year: 1970, month: 1, day: 1) == 0)
        #expect(CivilDate.days(year: 1969, month: 12, day: 31) == -1)
        #expect(CivilDate.days(year: 2000, month: 2, day: 29) == 11016)
        #expect(CivilDate.days(year: 2025, month: 6, day: 30) == 20269)
    }

    @Test func roundTripsEveryDayOfFourCenturies() {
        var day = CivilDate.days(year: 1800, month: 1, day: 1)
        let last = CivilDate.days(year: 2200, month: 12, day: 31)
        var expected = (year: 1800, month: 1, day: 1)
        while day <= last {
            let c = CivilDate.civil(day)
            #expect(c == expected, "day \(day)")
            if c != expected { return }
            // advance the expected calendar day by hand
            expected.day += 1
            if expected.day > CivilDate.daysInMonth(year: expected.year, month: expected.month) {
                expected.day = 1
                expected.month += 1
                if expected.month > 12 { expected.month = 1; expected.year += 1 }
            }
            day += 1
        }
    }

    @Test func leapYears() {
        #expect(CivilDate.isLeapYear(2024))
        #expect(!CivilDate.isLeapYear(2023))
        #expect(!CivilDate.isLeapYear(1900))
        #expect(CivilDate.isLeapYear(2000))
        #expect(CivilDate.isValid(year: 2024, month: 2, day: 29))
        #expect(!CivilDate.isValid(year: 2023, month: 2, day: 29))
        #expect(!CivilDate.isValid(year: 2024, month: 4, day: 31))
        #expect(!CivilDate.isValid(year: 2024, month: 13, day: 1))
    }

    @Test(arguments: [
        ("2024-01-31", 1, "2024-02-29"),
        ("2023-01-31", 1, "2023-02-28"),
        ("2024-02-29", 12, "2025-02-28"),
        ("2024-03-31", -1, "2024-02-29"),
        ("2025-06-30", -12, "2024-06-30"),
        ("2024-12-15", 1, "2025-01-15"),
        ("2025-01-15", -1, "2024-12-15"),
        ("2024-05-31", -15, "2023-02-28"),
    ])
    func addMonthsClampsToMonthEnd(_ start: String, _ months: Int, _ expected: String) throws {
        let day = try #require(CivilDate.parseISO(start))
        #expect(CivilDate.format(CivilDate.addMonths(day, months)) == expected)
    }

    @Test func weekdays() {
        #expect(CivilDate.isoWeekday(0) == 4)  // 1970-01-01 was a Thursday
        #expect(CivilDate.isoWeekday(CivilDate.days(year: 2025, month: 6, day: 30)) == 1)  // a Monday
        #expect(CivilDate.isoWeekday(-1) == 3)
    }

    @Test func formatting() {
        #expect(CivilDate.format(0) == "1970-01-01")
        #expect(CivilDate.formatTimestamp(0) == "1970-01-01 00:00:00")
        #expect(CivilDate.formatTimestamp(-1_000_000) == "1969-12-31 23:59:59")
        #expect(CivilDate.formatTimestamp(1_500_000) == "1970-01-01 00:00:01.5")
    }
}
