import NKAnalysis
import NKEngine

/// The options of `why-not`, each nil or empty when not written.
public struct WhyNotOptions: Sendable {
    public var columns: [Identifier] = []
    public var depth: Int?
    /// Percent of the target group.
    public var minSupportPercent: Double?
    public var minRatio: Double?
    public var maxQ: Double?
    public var reasons: [Identifier] = []
    public var all = false
    /// `summary N`: most findings in the summary.
    public var summary: Int?
    /// `detail`: every surviving pattern after the summary.
    public var detail = false
    public init() {}

    /// The option words.
    public static let words = ["by", "depth", "min-support", "min-ratio", "max-q", "reasons", "summary", "detail", "all"]

    /// The analysis' options: what was written over the defaults; `excluded` columns define the
    /// target group and are not looked at.
    func analysisOptions(excluded: Set<String>) -> WhyNot.Options {
        var options = WhyNot.Options()
        options.columns = columns.isEmpty ? nil : columns.map(\.name)
        options.excluded = excluded
        if let depth { options.depth = depth }
        if let minSupportPercent { options.minSupportPercent = minSupportPercent }
        if let minRatio { options.minRatio = minRatio }
        if let maxQ { options.maxQ = maxQ }
        options.reasons = reasons.map(\.name)
        options.keepAll = all
        options.detail = detail
        if let summary { options.summaryLimit = summary }
        return options
    }

    /// The options after `why-not`, in any order.
    static func parse(_ parser: inout Parser) throws -> WhyNotOptions {
        var options = WhyNotOptions()
        func columns(_ what: String) throws -> [Identifier] {
            var list = [try parser.name(what)]
            while parser.acceptSymbol(",") != nil { list.append(try parser.name(what)) }
            return list
        }
        func number(_ what: String) throws -> (Double, SourceSpan) {
            let token = parser.current
            switch token.kind {
            case .integer(let v): parser.advance(); return (Double(v), token.span)
            case .float(let v): parser.advance(); return (v, token.span)
            default: throw Diagnostic("expected \(what), found \(parser.current.description)", at: parser.current.span, in: parser.source)
            }
        }
        while !parser.atStatementEnd, !parser.current.isSymbol("|"), !parser.current.isSymbol(")") {
            let option = parser.current
            if parser.accept("by") != nil {
                options.columns += try columns("a column to look at")
            } else if parser.accept("depth") != nil {
                let token = parser.current
                let depth = try parser.count("the depth (1, 2 or 3)")
                guard (1...3).contains(depth) else {
                    throw Diagnostic("depth must be 1, 2 or 3, not \(depth)", at: token.span, in: parser.source,
                                     hint: "depth 2 looks at single values and pairs of values")
                }
                options.depth = depth
            } else if parser.accept("min-support") != nil {
                let (value, span) = try number("the least support, as in min-support 1%")
                if parser.acceptSymbol("%") != nil {
                    guard value >= 0, value <= 100 else {
                        throw Diagnostic("min-support must be between 0% and 100%", at: span, in: parser.source)
                    }
                    options.minSupportPercent = value
                } else if value >= 0, value < 1 {
                    options.minSupportPercent = value * 100
                } else {
                    throw Diagnostic("min-support \(parser.source.text(of: span)) is ambiguous", at: span, in: parser.source,
                                     hint: "write a percentage, as in min-support \(parser.source.text(of: span))%, or a share below 1, as in 0.01")
                }
            } else if parser.accept("min-ratio") != nil {
                let (value, span) = try number("the least risk ratio, as in min-ratio 1.5")
                guard value >= 0 else { throw Diagnostic("min-ratio cannot be negative", at: span, in: parser.source) }
                options.minRatio = value
            } else if parser.accept("max-q") != nil {
                let (value, span) = try number("the largest q-value, as in max-q 0.05")
                guard value > 0, value <= 1 else {
                    throw Diagnostic("max-q must be above 0 and at most 1", at: span, in: parser.source, hint: "max-q 0.05 keeps a 5 % false discovery rate")
                }
                options.maxQ = value
            } else if parser.accept("reasons") != nil {
                options.reasons += try columns("a column of stated reasons")
            } else if parser.accept("all") != nil {
                options.all = true
            } else if parser.accept("detail") != nil {
                options.detail = true
            } else if parser.accept("summary") != nil {
                let token = parser.current
                let n = try parser.count("the most findings in the summary, as in summary 5")
                guard (1...63).contains(n) else {
                    throw Diagnostic("summary takes 1 to 63 findings, not \(n)", at: token.span, in: parser.source, hint: "summary 7 is the default")
                }
                options.summary = n
            } else {
                var hint = "options: " + WhyNotOptions.words.joined(separator: ", ")
                var written = ""
                if case .identifier(let w) = option.kind { written = w.lowercased() }
                // a misspelt hyphenated option (min-ratoi) arrives as `min`, `-`, `ratoi`
                if parser.next().isSymbol("-"), case .identifier(let rest) = parser.next(2).kind, parser.next().span.start == option.span.end,
                   parser.next(2).span.start == parser.next().span.end {
                    written += "-" + rest.lowercased()
                }
                if !written.isEmpty, let near = NameSuggestion.nearest(to: written, in: WhyNotOptions.words) {
                    hint = "did you mean `\(near)`?"
                }
                throw Diagnostic("unexpected \(parser.current.description) in why-not", at: parser.current.span, in: parser.source, hint: hint)
            }
        }
        return options
    }
}
