import NKEngine

/// One option of a segmentation: `on revenue`, `a 80%`, `as of 2025-06-30`.
public struct SegmentOption: Sendable {
    public enum Value: Sendable {
        case column(Identifier)
        case number(Double, percent: Bool)
        case expression(Expression)
    }
    /// What follows an option's word.
    public enum Kind: Sendable {
        case column, percent, expression
        /// `as of <date>`.
        case date
        /// `by <column>` after the word (`orders by InvoiceNo`).
        case byColumn
    }
    public var name: Identifier
    public var value: Value
    public var span: SourceSpan
}

extension Parser {
    /// The options after a segmentation's words, in any order: each a word of `words`, then
    /// what its kind says.
    mutating func segmentOptions(_ verb: String, _ words: [String: SegmentOption.Kind]) throws -> [SegmentOption] {
        var options: [SegmentOption] = []
        while !atStatementEnd, !current.isSymbol("|"), !current.isSymbol(")") {
            let start = current.span
            guard case .identifier(let w) = current.kind, let kind = words[w.lowercased()] else {
                var hint = "options: " + words.keys.sorted().joined(separator: ", ")
                if case .identifier(let w) = current.kind, let near = NameSuggestion.nearest(to: w.lowercased(), in: words.keys.sorted()) {
                    hint = "did you mean `\(near)`?"
                }
                throw Diagnostic("unexpected \(current.description) in segment \(verb)", at: current.span, in: source, hint: hint)
            }
            let name = Identifier(name: w.lowercased(), span: current.span)
            advance()
            let value: SegmentOption.Value
            switch kind {
            case .column: value = .column(try self.name("a column after `\(name.name)`"))
            case .byColumn:
                try expectWord("by", "in `\(name.name) by column`")
                value = .column(try self.name("a column after `\(name.name) by`"))
            case .percent: value = try percentage(after: name.name)
            case .expression: value = .expression(try expression())
            case .date:
                try expectWord("of", "in `as of 2025-06-30`")
                value = .expression(try expression())
            }
            options.append(SegmentOption(name: name, value: value, span: start.to(tokens[position - 1].span)))
        }
        return options
    }

    /// A number with an optional `%`.
    private mutating func percentage(after word: String) throws -> SegmentOption.Value {
        let number: Double
        switch current.kind {
        case .integer(let v): number = Double(v)
        case .float(let v): number = v
        default:
            throw Diagnostic("expected a percentage after `\(word)`, found \(current.description)", at: current.span, in: source,
                             hint: "e.g. \(word) 80%")
        }
        advance()
        return .number(number, percent: acceptSymbol("%") != nil)
    }
}

/// A segmentation's options while binding: each looked up by name and checked against the
/// columns flowing in, with defaults guessed where only one column fits.
struct SegmentOptions {
    let options: [SegmentOption]
    let schema: Schema
    let binder: StageBinder

    /// Checks that no option is given twice.
    init(_ options: [SegmentOption], over schema: Schema, _ binder: StageBinder) throws {
        var seen = Set<String>()
        for o in options where !seen.insert(o.name.name).inserted {
            throw binder.error("`\(o.name.name)` is given twice", at: o.name.span)
        }
        self.options = options
        self.schema = schema
        self.binder = binder
    }

    func option(_ name: String) -> SegmentOption? { options.first { $0.name.name == name } }

    /// The column an option names.
    func named(_ name: String) -> Identifier? {
        option(name).flatMap { if case .column(let c) = $0.value { c } else { nil } }
    }

    /// The expression an option holds.
    func expression(_ name: String) -> Expression? {
        option(name).flatMap { if case .expression(let e) = $0.value { e } else { nil } }
    }

    /// A named column (checked), or the first present of the default names; nil when none is
    /// and the column is not `required`.
    func column(_ name: String, defaults: [String], what: String, required: Bool = true) throws -> String? {
        if let id = named(name) {
            try binder.requireColumns([id], in: schema)
            return id.name
        }
        if let found = defaults.first(where: { schema.index(of: $0) != nil }) { return found }
        if !required { return nil }
        throw binder.error("cannot tell \(what): name it, as in \(name) \(defaults.first ?? "column")", at: binder.stage.keyword,
                           hint: "columns: " + schema.names.joined(separator: ", "))
    }

    /// A share in percent (`a 80%` or `a 0.8`), between 0 and 100.
    func percent(_ name: String, _ fallback: Double) throws -> Double {
        guard let o = option(name), case .number(let x, let isPercent) = o.value else { return fallback }
        let value = isPercent ? x : x * 100
        guard value > 0, value <= 100 else {
            throw binder.error("`\(name)` must be a share between 0 and 100 %", at: o.span, hint: "e.g. \(name) 80%")
        }
        return value
    }

    /// The customer and order date columns of an order log: `by` and `on`, else guessed.
    func orderColumns() throws -> (customer: String, date: String) {
        (try binder.column(named("by"), in: schema, named: "the input", guess: ColumnGuess.customer,
                           what: "the customer column", example: "by customer_id"),
         try binder.column(named("on"), in: schema, named: "the input", guess: ColumnGuess.date,
                           what: "the order date", example: "on order_date"))
    }
}
