import NKEngine
import Testing

private func parse<T>(_ text: String, _ f: (UnsafePointer<UInt8>, Int) -> T) -> T {
    var bytes = Array(text.utf8) + [0]
    return bytes.withUnsafeMutableBufferPointer { f(UnsafePointer($0.baseAddress!), $0.count - 1) }
}

@Suite struct TextParsingTests {
    @Test func integers() {
        #expect(parse("42", DateParsing.parseInt) == 42)
        #expect(parse("-7", DateParsing.parseInt) == -7)
        #expect(parse("+7", DateParsing.parseInt) == 7)
        #expect(parse("9223372036854775807", DateParsing.parseInt) == Int64.max)
        #expect(parse("-9223372036854775808", DateParsing.parseInt) == Int64.min)
        #expect(parse("9223372036854775808", DateParsing.parseInt) == nil)
        #expect(parse("", DateParsing.parseInt) == nil)
        #expect(parse("-", DateParsing.parseInt) == nil)
        #expect(parse("1.0", DateParsing.parseInt) == nil)
        #expect(parse("12a", DateParsing.parseInt) == nil)
    }

    @Test func doublesWithDotMark() {
        #expect(parse("1234.56") { DateParsing.parseDouble($0, $1) } == 1234.56)
        #expect(parse("-0.5") { DateParsing.parseDouble($0, $1) } == -0.5)
        #expect(parse(".5") { DateParsing.parseDouble($0, $1) } == 0.5)
        #expect(parse("5.") { DateParsing.parseDouble($0, $1) } == 5)
        #expect(parse("1e-3") { DateParsing.parseDouble($0, $1) } == 0.001)
        #expect(parse("2.5E2") { DateParsing.parseDouble($0, $1) } == 250)
        #expect(parse("0.1234567890123456789") { DateParsing.parseDouble($0, $1) } == 0.1234567890123456789)
        #expect(parse("1.2.3") { DateParsing.parseDouble($0, $1) } == nil)
        #expect(parse("12,5") { DateParsing.parseDouble($0, $1) } == nil)
        #expect(parse(".") { DateParsing.parseDouble($0, $1) } == nil)
        #expect(parse("-") { DateParsing.parseDouble($0, $1) } == nil)
        #expect(parse("abc") { DateParsing.parseDouble($0, $1) } == nil)
    }

    @Test func doublesWithCommaMark() {
        let comma = UInt8(ascii: ",")
        #expect(parse("12,5") { DateParsing.parseDouble($0, $1, decimal: comma) } == 12.5)
        #expect(parse("1.234,56") { DateParsing.parseDouble($0, $1, decimal: comma) } == 1234.56)
        #expect(parse("1.234.567") { DateParsing.parseDouble($0, $1, decimal: comma) } == 1_234_567)
        #expect(parse("-3,0") { DateParsing.parseDouble($0, $1, decimal: comma) } == -3)
        #expect(parse("1.5") { DateParsing.parseDouble($0, $1, decimal: comma) } == nil)
        #expect(parse("12.34,5") { DateParsing.parseDouble($0, $1, decimal: comma) } == nil)
        #expect(parse("1234.567,8") { DateParsing.parseDouble($0, $1, decimal: comma) } == nil)
    }

    @Test func dates() {
        #expect(parse("2024-02-29") { DateParsing.parseDate($0, $1, format: .iso) } == CivilDate.days(year: 2024, month: 2, day: 29))
        #expect(parse("2023-02-29") { DateParsing.parseDate($0, $1, format: .iso) } == nil)
        #expect(parse("31.12.2024") { DateParsing.parseDate($0, $1, format: .german) } == CivilDate.days(year: 2024, month: 12, day: 31))
        #expect(parse("1.2.2024") { DateParsing.parseDate($0, $1, format: .german) } == CivilDate.days(year: 2024, month: 2, day: 1))
        #expect(parse("05/03/2024") { DateParsing.parseDate($0, $1, format: .dmySlash) } == CivilDate.days(year: 2024, month: 3, day: 5))
        #expect(parse("2024-01-01x") { DateParsing.parseDate($0, $1, format: .iso) } == nil)
        #expect(parse("24-01-01") { DateParsing.parseDate($0, $1, format: .iso) } == nil)
        #expect(DateFormat(pattern: "dd.mm.yyyy") == .german)
        #expect(DateFormat(pattern: "MM/DD/YYYY") == DateFormat(order: .mdy, separator: UInt8(ascii: "/")))
        #expect(DateFormat(pattern: "dd.mm-yyyy") == nil)
    }

    @Test func timestamps() {
        let day = Int64(CivilDate.days(year: 2024, month: 3, day: 5))
        let base = day * 86_400_000_000
        #expect(parse("2024-03-05 14:30:00") { DateParsing.parseTimestamp($0, $1, format: .iso) } == base + (14 * 3600 + 30 * 60) * 1_000_000)
        #expect(parse("2024-03-05T14:30") { DateParsing.parseTimestamp($0, $1, format: .iso) } == base + (14 * 3600 + 30 * 60) * 1_000_000)
        #expect(parse("2024-03-05 00:00:01.25") { DateParsing.parseTimestamp($0, $1, format: .iso) } == base + 1_250_000)
        #expect(parse("2024-03-05T02:00:00+02:00") { DateParsing.parseTimestamp($0, $1, format: .iso) } == base)
        #expect(parse("2024-03-05T00:00:00Z") { DateParsing.parseTimestamp($0, $1, format: .iso) } == base)
        #expect(parse("2024-03-05 25:00:00") { DateParsing.parseTimestamp($0, $1, format: .iso) } == nil)
        #expect(parse("2024-03-05") { DateParsing.parseTimestamp($0, $1, format: .iso) } == nil)
    }

    @Test func booleansAreTrueFalseOnly() {
        #expect(parse("true", DateParsing.parseBool) == true)
        #expect(parse("FALSE", DateParsing.parseBool) == false)
        #expect(parse("yes", DateParsing.parseBool) == nil)
        #expect(parse("ja", DateParsing.parseBool) == nil)
        #expect(parse("1", DateParsing.parseBool) == nil)
    }

    @Test func conversions() {
        #expect(Conversion.convert(.string("12"), to: .integer) == .integer(12))
        #expect(Conversion.convert(.string("x"), to: .integer) == .null)
        #expect(Conversion.convert(.string("31.12.2024"), to: .date) == .date(Int32(CivilDate.days(year: 2024, month: 12, day: 31))))
        #expect(Conversion.convert(.float(2.9), to: .integer) == .integer(2))
        #expect(Conversion.convert(.integer(3), to: .string) == .string("3"))
        #expect(Conversion.convert(.date(1), to: .timestamp) == .timestamp(86_400_000_000))
    }
}
