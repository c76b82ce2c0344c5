import NKEngine

/// What the rows of a target group (the non-buyers) have in common that the other rows have
/// less often: patterns of one, two or three attribute values, each with its risk ratio, a
/// Katz interval, Fisher's exact p-value and a Benjamini-Hochberg q-value; patterns that are
/// no stronger than a simpler one are dropped, and the strongest are checked for confounding
/// (Mantel-Haenszel within the strongest other attribute).
///
/// For a pattern, a = target rows with it, n1 = rows with it, c = target rows without it,
/// n2 = rows without it: support = a / target rows, target_rate = a / n1, rest_rate = c / n2,
/// risk_ratio = target_rate / rest_rate.
public enum WhyNot {
    public struct Options: Sendable {
        /// The columns to look at; nil: every suitable column (text and true/false columns with
        /// 2–50 values, numbers cut into quantile bins), except `excluded`.
        public var columns: [String]?
        /// Columns never chosen automatically (those that define the groups).
        public var excluded: Set<String> = []
        /// Most values in one pattern (1, 2 or 3).
        public var depth = 2
        /// Least share of the target group a pattern must cover, in percent.
        public var minSupportPercent = 1.0
        /// Least risk ratio of a pattern that is reported.
        public var minRatio = 1.5
        /// Largest q-value of a pattern that is reported.
        public var maxQ = 0.05
        /// Report every pattern tested, with a note on why it would have been dropped.
        public var keepAll = false
        /// Text columns holding what the target group says (a lost reason, a competitor).
        public var reasons: [String] = []
        /// Quantile bins for number columns.
        public var bins = 5
        /// Patterns checked for confounding.
        public var confoundingChecks = 10
        /// Most findings in the summary (`summary N`).
        public var summaryLimit = 7
        /// Show every surviving pattern after the summary (`detail`; `all` shows them too).
        public var detail = false
        public init() {}
    }

    /// Patterns that fewer rows have than this are marked as resting on few rows, in their
    /// note and their sentence: a rate of 100 % on 9 rows is a hint, not a finding.
    public static let fewRows = 20

    /// How the two groups are named in sentences.
    public struct Groups: Sendable {
        /// The target group as a condition or name: `status != "customer"`.
        public var target: String
        /// What rows of the target group do: "match status != \"customer\"", "are in lost".
        public var verb: String
        /// The statement asking the mirror question, when there is one.
        public var mirror: String?
        public init(target: String, verb: String, mirror: String? = nil) {
            self.target = target; self.verb = verb; self.mirror = mirror
        }
    }

    public struct Result: Sendable {
        /// pattern, order, target_count, reference_count, support, target_rate, rest_rate,
        /// risk_ratio, rr_low, rr_high, p_value, q_value, note.
        public var patterns: Table
        /// What was looked at and how many patterns were tested and survive.
        public var summary: [String]
        /// The summary's findings, one sentence each, in order, each with what it adds.
        public var findings: [String]
        /// The few distinct findings: rank, pattern, target_count, risk_ratio, rr_low, rr_high,
        /// adds, overlap (see `WhyNot+Summary.swift` for the rule).
        public var distinct: Table = Table.empty([])
        /// Per attribute: values, cramers_v, chi_square, df, p_value; strongest first.
        public var attributes: Table = Table.empty([])
        /// Whether the full pattern table is shown after the summary.
        public var detail = false
        /// Per `reasons` column: each stated value's count and share in the target group.
        public var reasons: [(column: String, table: Table)]
        public var tested: Int
        public var survived: Int
    }

    /// The columns of the pattern table.
    public static let schema: [Field] = [
        Field("pattern", .string), Field("order", .integer), Field("target_count", .integer), Field("reference_count", .integer),
        Field("support", .float), Field("target_rate", .float), Field("rest_rate", .float), Field("risk_ratio", .float),
        Field("rr_low", .float), Field("rr_high", .float), Field("p_value", .float), Field("q_value", .float), Field("note", .string),
    ]

    struct Pattern {
        var items: [(attribute: Int, code: Int)]
        var a: Int
        var n1: Int
        var stats = Stats()
        var q = 1.0
        var note = ""
        var survives = false
        /// The confounding check found it explained by another attribute.
        var explained = false
        /// Index of the better parent when no stronger than it.
        var notStrongerThan: Int?
        var order: Int { items.count }
        var key: [Int] { items.flatMap { [$0.attribute, $0.code] } }
    }

    struct Stats {
        var targetRate = 0.0
        var restRate: Double?
        /// nil: undefined (the pattern covers every row); +∞: no target row lacks it.
        var ratio: Double?
        var low: Double?
        var high: Double?
        var p = 1.0
    }

    /// Runs the analysis. `target[i]` is 1 for a row of the target group, 0 for the reference.
    public static func run(_ table: Table, target: [UInt8], groups: Groups, options: Options,
                           cancellation: CancellationFlag = .shared) throws -> Result {
        let targetRows = target.reduce(0) { $0 + Int($1) }
        try checkGroups(rows: table.rowCount, targetRows: targetRows, groups)
        let (attributes, skipped) = try chooseAttributes(table, target: target, options: options, cancellation: cancellation)
        var reasons: [Attribute] = []
        for name in options.reasons {
            guard let column = table.column(name) else { throw EngineError.unknownColumn(name, available: table.names) }
            if case .success(let reason) = try Attribute.make(name, column, automatic: false, bins: 5, cancellation: cancellation) { reasons.append(reason) }
        }
        return try analyse(attributes, skipped: skipped, reasons: reasons, counting: .memory(target, targetRows: targetRows),
                           groups: groups, options: options, cancellation: cancellation)
    }

    /// The error when one of the groups is empty.
    static func checkGroups(rows: Int, targetRows: Int, _ groups: Groups) throws {
        if targetRows == 0 {
            throw EngineError.invalidInput("no rows \(groups.verb): the target group is empty",
                                           hint: "check the condition on its own, e.g. filter … | count")
        }
        if targetRows == rows {
            throw EngineError.invalidInput("every row \(groups.verb): there are no other rows to compare with",
                                           hint: "why-not needs rows outside the target group")
        }
    }

    /// The analysis of chosen attributes, whichever way they are counted.
    static func analyse(_ attributes: [Attribute], skipped: [SkipReason], reasons: [Attribute], counting: Counting, groups: Groups,
                        options: Options, cancellation: CancellationFlag) throws -> Result {
        let n = counting.rows, targetRows = counting.targetRows, referenceRows = n - targetRows
        let depth = max(1, min(options.depth, 3, attributes.count))
        var mined = try mine(attributes, depth: depth, counting: counting, options: options, cancellation: cancellation)
        try cancellation.check()
        score(&mined.patterns, targetRows: targetRows, rows: n)
        judge(&mined.patterns, attributes, options: options)
        let patterns = mined.patterns
        let survivors = patterns.indices.filter { patterns[$0].survives }
        let shown = ordered(options.keepAll ? Array(patterns.indices) : survivors, patterns)
        let confounders = try checkConfounding(shown, &mined, attributes, counting: counting, options: options, cancellation: cancellation)
        // the few distinct findings, told as sentences in their order
        let candidates = Array(shown.filter { mined.patterns[$0].survives && !mined.patterns[$0].explained }.prefix(summaryCandidates))
        let coverage = try counting.coverage(candidates.map { mined.patterns[$0] }, attributes)
        let minTargetRows = max(1, Int((options.minSupportPercent / 100 * Double(targetRows)).rounded(.up)))
        var chosen = choose(coverage, candidates: candidates.count, limit: options.summaryLimit, minTargetRows: minTargetRows)
        for i in chosen.indices { chosen[i].pattern = candidates[chosen[i].pattern] }
        var findings = sentences(chosen.map { mined.patterns[$0.pattern] }, confounders: chosen.map { confounders[$0.pattern] },
                                 attributes, groups: groups, targetRows: targetRows, referenceRows: referenceRows, adds: chosen.map(\.adds))
        var reasonTables: [(String, Table)] = []
        if !reasons.isEmpty {
            let told = try statedReasons(reasons, counting: counting,
                                         top: shown.filter { mined.patterns[$0].survives && !mined.patterns[$0].explained }.prefix(3).map { mined.patterns[$0] },
                                         attributes, groups: groups, minRatio: max(1.2, options.minRatio))
            reasonTables = told.tables
            findings += told.sentences
        }
        let summary = summaryLines(attributes, skipped: skipped, depth: depth, tested: patterns.count, survived: survivors.count,
                                   targetRows: targetRows, referenceRows: referenceRows, groups: groups, options: options)
        var result = Result(patterns: try patternTable(shown, mined.patterns, attributes, targetRows: targetRows), summary: summary,
                            findings: findings, reasons: reasonTables, tested: patterns.count, survived: survivors.count)
        result.distinct = try summaryTable(chosen, mined.patterns, attributes)
        result.attributes = try attributeRanking(attributes, tallies: mined.tallies, tallyIndex: mined.tallyIndex)
        result.detail = options.detail || options.keepAll
        return result
    }

    /// Counts, rates, risk ratio with Katz's interval, and Fisher's two-sided p-value.
    static func statistics(a: Int, n1: Int, targetRows: Int, rows: Int) -> Stats {
        let b = n1 - a, c = targetRows - a, n2 = rows - n1, d = n2 - c
        var s = Stats()
        s.targetRate = Double(a) / Double(n1)
        s.p = StatTests.fisherExact(a, b, c, d).pValue
        guard n2 > 0 else { return s }
        s.restRate = Double(c) / Double(n2)
        if c == 0 {
            s.ratio = .infinity
            return s
        }
        let rr = StatTests.riskRatio(Double(a), Double(b), Double(c), Double(d))
        s.ratio = rr.ratio
        if a > 0 { s.low = rr.low; s.high = rr.high }
        return s
    }

    static func conditionText(_ p: Pattern, _ attributes: [Attribute]) -> String {
        p.items.map { attributes[$0.attribute].conditions[$0.code] }.joined(separator: " and ")
    }

    /// A number for prose: whole numbers as they are, others with two decimals at most
    /// (three below 1), trailing zeros dropped: 1.5, 0.05, 2.06.
    static func format(_ x: Double) -> String {
        trim(x, abs(x) >= 1 ? 2 : 3)
    }

    static func pow10(_ k: Int) -> Double { (0..<k).reduce(1.0) { r, _ in r * 10 } }
    /// `x` with exactly `digits` decimals, trailing zeros dropped.
    static func trim(_ x: Double, _ digits: Int) -> String {
        let scaled = Int64((abs(x) * pow10(digits)).rounded())
        let whole = scaled / Int64(pow10(digits)), fraction = scaled % Int64(pow10(digits))
        var text = String(whole)
        if fraction != 0 {
            var f = String(fraction)
            f = String(repeating: "0", count: digits - f.count) + f
            while f.hasSuffix("0") { f.removeLast() }
            text += "." + f
        }
        return (x < 0 && scaled != 0 ? "-" : "") + text
    }

    /// A share as a percentage for prose: "41 %", "4.2 %", "0.35 %".
    static func percent(_ share: Double) -> String {
        let x = share * 100
        if x >= 9.5 { return trim(x, 0) + " %" }
        if x >= 0.95 { return trim(x, 1) + " %" }
        return trim(x, 2) + " %"
    }
}
