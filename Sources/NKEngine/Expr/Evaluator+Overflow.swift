/// Arithmetic whose result may not fit its type. nk's rule, the same in every operator,
/// function and aggregate: a value that does not fit is null, and the statement notes how many
/// values (rows, counted once per expression) that made null; never a wrapped number, never a
/// stop.
///
/// - whole numbers: `+`, `-`, `*`, unary `-`, `abs` and `round`/`floor`/`ceil` to tens beyond
///   64 bits; `sum` of whole numbers per group (see ``AggregateKernels/sumInt``);
/// - dates: `date ± days` outside the years 1 to 9999;
/// - timestamps: the seconds between two timestamps when their difference passes 64 bits of
///   microseconds.
extension Evaluator {
    /// The first and last day a date may hold: 0001-01-01 and 9999-12-31.
    static let dayRange = Int64(CivilDate.days(year: 1, month: 1, day: 1))...Int64(CivilDate.days(year: 9999, month: 12, day: 31))

    static let wholeNumberNote = "the result does not fit a 64-bit whole number and is null (convert with float(…) first for larger numbers)"
    static let dateNote = "the date falls outside the years 1 to 9999 and is null"
    static let timestampNote = "the time between the two timestamps does not fit 64 bits and is null"

    /// `f` over two operands, where `f` also says whether its value fits. Rows that do not
    /// fit become null and are counted under `note`; `nil` when every row's result is null
    /// (both operands scalars that do not fit).
    ///
    /// The first pass is the plain loop with one flag; only when it saw a misfit does a second
    /// pass find the rows, so arithmetic that fits costs one comparison per row.
    @inline(__always)
    func fitting<A, B, R>(_ x: Operand<A>, _ y: Operand<B>, _ n: Int, _ validity: Validity?, note: String,
                          _ f: (A, B) -> (value: R, fits: Bool)) -> (values: Operand<R>, validity: Validity?)? {
        var misfit = false
        let values = elementwise(x, y, n) { a, b -> R in
            let r = f(a, b)
            misfit = misfit || !r.fits
            return r.value
        }
        guard misfit else { return (values, validity) }
        switch elementwise(x, y, n, { !f($0, $1).fits }) {
        case .scalar:
            // every row gets the same result, and it does not fit
            notes.count(note, values: validity?.validCount ?? n)
            return nil
        case .array(let flags):
            var out = validity ?? Validity(count: n, allValid: true)
            var rows = 0
            flags.withUnsafeBufferPointer { bad in
                for i in 0..<n where bad[i] && out.isValid(i) {
                    out.set(i, false)
                    rows += 1
                }
            }
            notes.count(note, values: rows)
            return (values, out)
        }
    }

    /// Whole-number `+`, `-` or `*`, null where the result passes 64 bits.
    func wholeNumberArithmetic(_ op: BinaryOperator, _ x: Operand<Int64>, _ y: Operand<Int64>, _ n: Int,
                               _ validity: Validity?) -> Vector {
        let r: (values: Operand<Int64>, validity: Validity?)?
        switch op {
        case .add: r = fitting(x, y, n, validity, note: Evaluator.wholeNumberNote) { let s = $0.addingReportingOverflow($1); return (s.partialValue, !s.overflow) }
        case .subtract: r = fitting(x, y, n, validity, note: Evaluator.wholeNumberNote) { let s = $0.subtractingReportingOverflow($1); return (s.partialValue, !s.overflow) }
        default: r = fitting(x, y, n, validity, note: Evaluator.wholeNumberNote) { let s = $0.multipliedReportingOverflow(by: $1); return (s.partialValue, !s.overflow) }
        }
        guard let r else { return .scalar(.null, count: n) }
        return Vector(ints: r.values, type: .integer, validity: r.validity, count: n)
    }

    /// `date ± days`, null outside the years 1 to 9999.
    func dateArithmetic(subtract: Bool, _ days: Operand<Int32>, _ by: Operand<Int64>, _ n: Int, _ validity: Validity?) -> Vector {
        let r = fitting(days, by, n, validity, note: Evaluator.dateNote) { d, k -> (value: Int32, fits: Bool) in
            let s = subtract ? Int64(d).subtractingReportingOverflow(k) : Int64(d).addingReportingOverflow(k)
            guard !s.overflow, Evaluator.dayRange.contains(s.partialValue) else { return (0, false) }
            return (Int32(s.partialValue), true)
        }
        guard let r else { return .scalar(.null, count: n) }
        return Vector(days: r.values, validity: r.validity, count: n)
    }

    /// Seconds from the second timestamp to the first, null when the difference passes 64 bits.
    func timestampDifference(_ a: Operand<Int64>, _ b: Operand<Int64>, _ n: Int, _ validity: Validity?) -> Vector {
        let r = fitting(a, b, n, validity, note: Evaluator.timestampNote) { x, y -> (value: Int64, fits: Bool) in
            let s = x.subtractingReportingOverflow(y)
            return (s.partialValue / 1_000_000, !s.overflow)
        }
        guard let r else { return .scalar(.null, count: n) }
        return Vector(ints: r.values, type: .integer, validity: r.validity, count: n)
    }

    /// Unary minus or `abs` of whole numbers: -9223372036854775808 has no positive twin, so
    /// that one value gives null.
    func wholeNumberNegation(_ x: Operand<Int64>, _ n: Int, _ validity: Validity?, absolute: Bool) -> Vector {
        let r = fitting(x, Operand<Int64>.scalar(0), n, validity, note: Evaluator.wholeNumberNote) { v, _ -> (value: Int64, fits: Bool) in
            if absolute, v >= 0 { return (v, true) }
            return v == .min ? (0, false) : (-v, true)
        }
        guard let r else { return .scalar(.null, count: n) }
        return Vector(ints: r.values, type: .integer, validity: r.validity, count: n)
    }

    /// Whole numbers rounded to a multiple of 10^`places` by `rule`, exactly (not through a
    /// float); null where that multiple passes 64 bits.
    func roundWholeNumbers(_ x: Operand<Int64>, places: Int64, rule: FloatingPointRoundingRule, _ n: Int, _ validity: Validity?) -> Vector {
        var power: Int64? = 1
        for _ in 0..<min(places, 19) { power = power.flatMap { p in let m = p.multipliedReportingOverflow(by: 10); return m.overflow ? nil : m.partialValue } }
        let r = fitting(x, Operand<Int64>.scalar(0), n, validity, note: Evaluator.wholeNumberNote) { v, _ -> (value: Int64, fits: Bool) in
            guard let rounded = Evaluator.roundedMultiple(v, power, rule) else { return (0, false) }
            return (rounded, true)
        }
        guard let r else { return .scalar(.null, count: n) }
        return Vector(ints: r.values, type: .integer, validity: r.validity, count: n)
    }

    /// `x` rounded to a multiple of `p` (nil: a power of ten beyond 64 bits); nil when the
    /// multiple does not fit.
    static func roundedMultiple(_ x: Int64, _ p: Int64?, _ rule: FloatingPointRoundingRule) -> Int64? {
        guard let p else {
            // every 64-bit number is less than half of 10^19 away from 0
            switch rule {
            case .down: return x >= 0 ? 0 : nil
            case .up: return x <= 0 ? 0 : nil
            default: return 0
            }
        }
        var q = x / p
        let r = x % p
        switch rule {
        case .down: if r < 0 { q -= 1 }
        case .up: if r > 0 { q += 1 }
        default: if r.magnitude * 2 >= p.magnitude { q += x < 0 ? -1 : 1 }
        }
        let m = q.multipliedReportingOverflow(by: p)
        return m.overflow ? nil : m.partialValue
    }

    /// The day `interval` after `day` (hours and smaller move whole days only as far as they
    /// make whole days); nil outside the years 1 to 9999.
    static func shiftedDay(_ day: Int64, _ interval: Interval) -> Int64? {
        let amount = Int64(interval.amount)
        let by: Int64
        switch interval.unit {
        case .years, .months:
            let months: (partialValue: Int64, overflow: Bool) = interval.unit == .years ? amount.multipliedReportingOverflow(by: 12) : (amount, false)
            // 9999 years are 119,988 months: anything further leaves the range from any day
            guard !months.overflow, months.partialValue.magnitude < 120_000, dayRange.contains(day) else { return nil }
            let moved = Int64(CivilDate.addMonths(Int(day), Int(months.partialValue)))
            return dayRange.contains(moved) ? moved : nil
        case .weeks:
            let w = amount.multipliedReportingOverflow(by: 7)
            guard !w.overflow else { return nil }
            by = w.partialValue
        case .days: by = amount
        case .hours: by = amount / 24
        case .minutes: by = amount / 1_440
        case .seconds: by = amount / 86_400
        }
        let s = day.addingReportingOverflow(by)
        return !s.overflow && dayRange.contains(s.partialValue) ? s.partialValue : nil
    }

    /// The timestamp `interval` after `t` (microseconds); nil outside the years 1 to 9999.
    static func shiftedTimestamp(_ t: Int64, _ interval: Interval) -> Int64? {
        let perDay: Int64 = 86_400_000_000
        var day = t / perDay, rest = t % perDay
        if rest < 0 { rest += perDay; day -= 1 }
        if interval.isCalendar {
            guard let moved = shiftedDay(day, interval) else { return nil }
            return moved * perDay + rest
        }
        let seconds: Int64 = interval.unit == .weeks ? 604_800 : interval.unit == .days ? 86_400
            : interval.unit == .hours ? 3_600 : interval.unit == .minutes ? 60 : 1
        let m = Int64(interval.amount).multipliedReportingOverflow(by: seconds * 1_000_000)
        guard !m.overflow else { return nil }
        let s = t.addingReportingOverflow(m.partialValue)
        guard !s.overflow else { return nil }
        var d = s.partialValue / perDay
        if s.partialValue % perDay < 0 { d -= 1 }
        return dayRange.contains(d) ? s.partialValue : nil
    }
}
