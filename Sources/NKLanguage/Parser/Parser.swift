import NKEngine

/// Parses a source into statements. A statement with a syntax error is reported and skipped up
/// to the next line break or `;`, so one run reports every independent error.
public struct Parser {
    let source: Source
    var tokens: [Token]
    var position = 0
    var diagnostics: [Diagnostic] = []
    /// Nesting depth of parentheses and pipelines, bounded so hostile input cannot exhaust the stack.
    var depth = 0
    static let maximumDepth = 200

    public static let statementWords = ["load", "let", "save", "show", "describe", "drop", "print", "set"]
    public static let stageWords = ["filter", "select", "derive", "sort", "top", "head", "segment", "count", "join", "distinct", "compare", "why-not", "lookalike"]
    /// The options of why-not.
    public static let whyNotWords = ["by", "depth", "min-support", "min-ratio", "max-q", "reasons", "all"]

    public init(_ source: Source) {
        self.source = source
        let lexed = Lexer.tokenize(source)
        tokens = lexed.tokens
        diagnostics = lexed.diagnostics
        lexicalErrors = lexed.diagnostics.map(\.span.start).sorted()
    }

    /// Where the lexer found errors; a statement with one of them reports only that one, not
    /// what it made the parser trip over next (`print 1e400` says the number is too large, not
    /// also that print wants a text).
    let lexicalErrors: [Int]

    func lexicalError(from start: Int, to end: Int) -> Bool {
        var lo = 0, hi = lexicalErrors.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if lexicalErrors[mid] < start { lo = mid + 1 } else { hi = mid }
        }
        return lo < lexicalErrors.count && lexicalErrors[lo] <= end
    }

    /// Statements of the whole source and every problem found.
    /// Statements and syntax errors in source order, for running what parsed.
    public enum Item {
        case statement(Statement)
        case error(Diagnostic)
    }

    /// Every statement and every syntax error, in the order they appear.
    public static func items(_ source: Source) -> [Item] {
        let (statements, diagnostics) = parse(source)
        var items = statements.map { (start: $0.span.start, item: Item.statement($0)) }
            + diagnostics.map { (start: $0.span.start, item: Item.error($0)) }
        items.sort { $0.start < $1.start }
        return items.map(\.item)
    }

    public static func parse(_ source: Source) -> (statements: [Statement], diagnostics: [Diagnostic]) {
        var parser = Parser(source)
        let statements = parser.script()
        return (statements, parser.diagnostics.sorted { $0.span.start < $1.span.start })
    }

    mutating func script() -> [Statement] {
        var statements: [Statement] = []
        while true {
            while current.kind == .newline || current.isSymbol(";") { advance() }
            if current.kind == .end { break }
            let before = diagnostics.count
            let start = current.span.start
            do {
                let s = try statement()
                if !atStatementEnd {
                    throw Diagnostic("unexpected \(current.description) after the statement", at: current.span, in: source,
                                     hint: "one statement per line, or separate them with ;")
                }
                if diagnostics.count == before { statements.append(s) }
            } catch let d as Diagnostic {
                if !lexicalError(from: start, to: d.span.end) { diagnostics.append(d) }
                skipStatement()
            } catch {
                skipStatement()
            }
        }
        return statements
    }

    // MARK: tokens

    var current: Token { tokens[min(position, tokens.count - 1)] }
    func next(_ k: Int = 1) -> Token { tokens[min(position + k, tokens.count - 1)] }
    mutating func advance() { if position < tokens.count - 1 { position += 1 } }
    var atStatementEnd: Bool { current.kind == .newline || current.kind == .end || current.isSymbol(";") }

    mutating func skipStatement() {
        while !atStatementEnd { advance() }
    }

    mutating func accept(_ word: String) -> Token? {
        if current.isWord(word) { let t = current; advance(); return t }
        return nil
    }

    mutating func acceptSymbol(_ symbol: String) -> Token? {
        if current.isSymbol(symbol) { let t = current; advance(); return t }
        return nil
    }

    @discardableResult
    mutating func expectSymbol(_ symbol: String, _ context: String) throws -> Token {
        if let t = acceptSymbol(symbol) { return t }
        throw Diagnostic("expected `\(symbol)` \(context), found \(current.description)", at: current.span, in: source)
    }

    @discardableResult
    mutating func expectWord(_ word: String, _ context: String) throws -> Token {
        if let t = accept(word) { return t }
        throw Diagnostic("expected `\(word)` \(context), found \(current.description)", at: current.span, in: source)
    }

    mutating func name(_ what: String) throws -> Identifier {
        switch current.kind {
        case .identifier(let s), .quotedIdentifier(let s):
            let t = current
            advance()
            return Identifier(name: s, span: t.span)
        default:
            throw Diagnostic("expected \(what), found \(current.description)", at: current.span, in: source)
        }
    }

    mutating func text(_ what: String, example: String) throws -> (String, SourceSpan) {
        if case .string(let s) = current.kind { let t = current; advance(); return (s, t.span) }
        throw Diagnostic("expected \(what) in quotes, found \(current.description)", at: current.span, in: source,
                         hint: "e.g. \(example)")
    }

    mutating func count(_ what: String) throws -> Int {
        if case .integer(let v) = current.kind, v >= 0, v <= Int64(Int32.max) { advance(); return Int(v) }
        throw Diagnostic("expected \(what) (a whole number), found \(current.description)", at: current.span, in: source)
    }

    mutating func enter() throws {
        depth += 1
        if depth > Parser.maximumDepth {
            throw Diagnostic("this is nested too deeply (more than \(Parser.maximumDepth) levels)", at: current.span, in: source,
                             hint: "split it into steps with let")
        }
    }

    // MARK: statements

    mutating func statement() throws -> Statement {
        let start = current.span
        func done(_ kind: Statement.Kind) -> Statement {
            Statement(kind: kind, span: start.to(tokens[max(0, position - 1)].span))
        }
        if accept("load") != nil {
            let (path, pathSpan) = try text("a file or folder", example: "load \"Datasets/demo/customers.csv\"")
            var alias: Identifier?
            if accept("as") != nil { alias = try name("a table name after `as`") }
            var options: [LoadOption] = []
            if accept("with") != nil {
                repeat { options.append(try loadOption()) } while acceptSymbol(",") != nil
            }
            return done(.load(path: path, pathSpan: pathSpan, name: alias, options: options))
        }
        if accept("let") != nil {
            let target = try name("a name after `let`")
            try expectSymbol("=", "after `let \(target.name)`")
            return done(.assign(target, try pipeline()))
        }
        if accept("save") != nil {
            let what = try pipeline()
            try expectWord("to", "in `save … to \"file\"`")
            let (path, pathSpan) = try text("a file name", example: "save lost to \"lost.csv\"")
            let overwrite = accept("overwrite") != nil
            return done(.save(what, path: path, pathSpan: pathSpan, overwrite: overwrite))
        }
        if accept("show") != nil {
            let table = try name("a table name after `show`")
            var rows: Int?
            if case .integer = current.kind { rows = try count("the number of rows") }
            return done(.show(table, rows: rows))
        }
        if accept("describe") != nil {
            return done(.describe(try pipeline()))
        }
        if accept("drop") != nil {
            var names = [try name("a table name after `drop`")]
            while acceptSymbol(",") != nil { names.append(try name("a table name")) }
            return done(.drop(names))
        }
        if accept("print") != nil {
            let (message, _) = try text("the text to print", example: "print \"Who did not buy?\"")
            return done(.print(message))
        }
        if accept("compare") != nil {
            let first = try pipeline()
            try expectWord("vs", "between the two groups, as in compare lapsed vs active")
            let second = try pipeline()
            let columns = try comparedColumns()
            return done(.compare(first, second, on: columns, allValues: accept("all") != nil))
        }
        if accept("why-not") != nil {
            let first = try pipeline()
            try expectWord("vs", "between the two groups, as in why-not lost vs customers")
            let second = try pipeline()
            return done(.whyNot(first, second, try whyNotOptions()))
        }
        if accept("set") != nil {
            let setting = try name("a setting after `set`")
            _ = acceptSymbol("=")
            return done(.set(setting, try expression()))
        }
        if case .identifier(let w) = current.kind, Parser.stageWords.contains(w.lowercased()),
           !next().isSymbol("|"), !(next().kind == .newline || next().kind == .end) {
            // a stage without a table in front of it
            throw Diagnostic("`\(w)` is a stage of a pipeline and needs a table in front", at: current.span, in: source,
                             hint: "e.g. customers | \(w) …")
        }
        return done(.query(try pipeline()))
    }

    mutating func loadOption() throws -> LoadOption {
        let option = try name("an option after `with` (delimiter, header, decimal, dateformat, nulls, types, encoding)")
        let start = current.span
        let value: LoadOption.Value
        switch current.kind {
        case .string(let s): advance(); value = .text(s)
        case .identifier(let w):
            advance()
            switch w.lowercased() {
            case "true", "yes": value = .boolean(true)
            case "false", "no": value = .boolean(false)
            default: value = .word(w)
            }
        case .symbol("("):
            advance()
            if case .string = current.kind {
                var items: [String] = []
                repeat { items.append(try text("a null spelling", example: "with nulls (\"n/a\", \"-\")").0) } while acceptSymbol(",") != nil
                value = .list(items)
            } else {
                var pairs: [(Identifier, Identifier)] = []
                repeat {
                    let column = try name("a column name")
                    try expectSymbol(":", "between a column and its type, as in (zip: string)")
                    pairs.append((column, try name("a type (integer, float, boolean, date, timestamp, string)")))
                } while acceptSymbol(",") != nil
                value = .types(pairs)
            }
            try expectSymbol(")", "to close the list")
        default:
            throw Diagnostic("expected a value for `\(option.name)`, found \(current.description)", at: current.span, in: source)
        }
        return LoadOption(name: option, value: value, valueSpan: start.to(tokens[max(0, position - 1)].span))
    }

    // MARK: pipelines

    mutating func pipeline() throws -> Pipeline {
        try enter()
        defer { depth -= 1 }
        let start = current.span
        let origin: Pipeline.Origin
        if acceptSymbol("(") != nil {
            origin = .nested(try pipeline())
            try expectSymbol(")", "to close the pipeline in parentheses")
        } else {
            if current.isSymbol("|") {
                throw Diagnostic("expected a table name, found `|`", at: current.span, in: source,
                                 hint: "a pipeline starts with a table; to go on over lines at the prompt, end the line with |")
            }
            origin = .table(try name("a table name"))
        }
        var stages: [Stage] = []
        while acceptSymbol("|") != nil {
            stages.append(try stage())
        }
        return Pipeline(origin: origin, stages: stages, span: start.to(tokens[max(0, position - 1)].span))
    }

    mutating func stage() throws -> Stage {
        let keyword = current
        guard case .identifier(let raw) = keyword.kind else {
            throw Diagnostic("expected a stage after `|`, found \(current.description)", at: current.span, in: source,
                             hint: "stages: " + Parser.stageWords.joined(separator: ", "))
        }
        let word = raw.lowercased()
        advance()
        func done(_ kind: Stage.Kind) -> Stage {
            Stage(kind: kind, keyword: keyword.span, span: keyword.span.to(tokens[max(0, position - 1)].span))
        }
        switch word {
        case "filter", "where":
            return done(.filter(try expression()))
        case "select":
            return done(.select(try namedList()))
        case "derive":
            var items: [(Identifier, Expression)] = []
            repeat {
                let target = try name("a new column's name")
                try expectSymbol("=", "after the column name in `derive \(target.name) = …`")
                items.append((target, try expression()))
            } while acceptSymbol(",") != nil
            return done(.derive(items))
        case "sort", "order":
            _ = accept("by")
            return done(.sort(try sortItems()))
        case "top":
            let n = try count("how many rows")
            var items: [SortItem] = []
            if accept("by") != nil { items = try sortItems() }
            return done(.top(n, items))
        case "head", "limit":
            return done(.head(try count("how many rows")))
        case "segment", "group":
            if accept("by") != nil {
                let keys = try namedList()
                var aggregates: [NamedExpression] = []
                if accept("agg") != nil { aggregates = try namedList() }
                return done(.segmentBy(keys, aggregates: aggregates))
            }
            if accept("agg") != nil { return done(.aggregate(try namedList())) }
            if accept("lifecycle") != nil { return done(.lifecycle(try lifecycleOptions())) }
            if case .identifier(let w) = current.kind, let kind = Segmentation(rawValue: w.lowercased()) {
                advance()
                return done(.segmentation(kind, try segmentOptions(kind)))
            }
            throw Diagnostic("expected `by`, `agg` or a segmentation after `segment`, found \(current.description)", at: current.span, in: source,
                             hint: "segment by industry, segment agg sum(revenue), or segment lifecycle, pareto, rfm, value")
        case "count":
            return done(.count)
        case "join":
            let table = try tableOrPipeline("the table to join (a name, or a pipeline in parentheses)", closing: "the pipeline to join")
            let tableText = source.text(of: table.span)
            try expectWord("on", "in `join \(tableText) on key`")
            var keys: [(Identifier, Identifier)] = []
            repeat {
                let left = try name("a key column")
                var right = left
                if acceptSymbol("=") != nil || acceptSymbol("==") != nil { right = try name("the key column of \(tableText)") }
                keys.append((left, right))
            } while acceptSymbol(",") != nil
            var kind = JoinKind.inner
            if accept("left") != nil { kind = .left } else if accept("inner") != nil { kind = .inner }
            return done(.join(table, keys: keys, kind: kind))
        case "compare":
            let comparison: Stage.Comparison
            if accept("where") != nil {
                comparison = .condition(try expression())
            } else if accept("by") != nil {
                comparison = .groups(try expression())
            } else {
                throw Diagnostic("expected `where` or `by` after `compare`, found \(current.description)", at: current.span, in: source,
                                 hint: "customers | compare where status = \"customer\" — or compare by channel_kind")
            }
            let columns = try comparedColumns()
            return done(.compare(comparison, on: columns, allValues: accept("all") != nil))
        case "lookalike":
            let model = try tableOrPipeline("the table to look like (e.g. customers)", closing: "the pipeline of model rows")
            var like: Expression?
            if accept("like") != nil { like = try expression() }
            return done(.lookalike(model, like: like, on: try comparedColumns()))
        case "why-not":
            if current.isWord("by") || atStatementEnd || current.isSymbol("|") {
                throw Diagnostic("expected a condition after `why-not`, found \(current.description)", at: current.span, in: source,
                                 hint: "the rows matching it are the target group: why-not status != \"customer\"")
            }
            let condition = try expression()
            return done(.whyNot(condition, try whyNotOptions()))
        case "distinct":
            var columns: [Identifier] = []
            if !atStatementEnd, !current.isSymbol("|"), !current.isSymbol(")") {
                repeat { columns.append(try name("a column name")) } while acceptSymbol(",") != nil
            }
            return done(.distinct(columns))
        default:
            let hint = NameSuggestion.nearest(to: word, in: Parser.stageWords).map { "did you mean `\($0)`?" }
                ?? "stages: " + Parser.stageWords.joined(separator: ", ")
            throw Diagnostic("no stage `\(raw)`", at: keyword.span, in: source, hint: hint)
        }
    }

    /// The options each segmentation takes: the word, and what follows it.
    static let segmentOptionWords: [Segmentation: [String: String]] = [
        .pareto: ["on": "column", "by": "column", "a": "percent", "b": "percent"],
        .rfm: ["by": "column", "on": "column", "value": "column", "as": "date"],
        .value: ["revenue": "column", "cost": "column", "service": "column", "acquisition": "column"],
        .persona: ["margin": "column", "complaints": "column", "purchases": "column", "acquisition": "column", "earned": "column",
                   "rating": "column", "outcome": "column", "effort": "column", "threshold": "percent"],
        .cohort: ["by": "column", "on": "column", "per": "column"],
        .clv: ["by": "column", "on": "column", "value": "column", "as": "date", "horizon": "expression"],
    ]

    /// The options after `segment pareto`, `rfm` or `value`, in any order.
    mutating func segmentOptions(_ kind: Segmentation) throws -> [SegmentOption] {
        let words = Parser.segmentOptionWords[kind]!
        var options: [SegmentOption] = []
        while !atStatementEnd, !current.isSymbol("|"), !current.isSymbol(")") {
            let start = current.span
            guard case .identifier(let w) = current.kind, let what = words[w.lowercased()] else {
                var hint = "options: " + words.keys.sorted().joined(separator: ", ")
                if case .identifier(let w) = current.kind, let near = NameSuggestion.nearest(to: w.lowercased(), in: words.keys.sorted()) {
                    hint = "did you mean `\(near)`?"
                }
                throw Diagnostic("unexpected \(current.description) in segment \(kind.rawValue)", at: current.span, in: source, hint: hint)
            }
            let name = Identifier(name: w.lowercased(), span: current.span)
            advance()
            let value: SegmentOption.Value
            switch what {
            case "column":
                value = .column(try self.name("a column after `\(name.name)`"))
            case "percent":
                let token = current
                let number: Double
                switch token.kind {
                case .integer(let v): number = Double(v)
                case .float(let v): number = v
                default: throw Diagnostic("expected a percentage after `\(name.name)`, found \(current.description)", at: current.span, in: source,
                                          hint: "e.g. \(name.name) 80%")
                }
                advance()
                let percent = acceptSymbol("%") != nil
                value = .number(number, percent: percent)
            case "expression":
                value = .expression(try expression())
            default:
                try expectWord("of", "in `as of 2025-06-30`")
                value = .expression(try expression())
            }
            options.append(SegmentOption(name: name, value: value, span: start.to(tokens[position - 1].span)))
        }
        return options
    }

    /// The options after `segment lifecycle`, in any order.
    mutating func lifecycleOptions() throws -> LifecycleOptions {
        var options = LifecycleOptions()
        func period(_ what: String) throws -> (Interval, SourceSpan) {
            let start = current.span
            guard case .integer(let amount) = current.kind else {
                throw Diagnostic("expected \(what), found \(current.description)", at: current.span, in: source,
                                 hint: "a number and a unit: 12 months, 365 days, 2 years")
            }
            advance()
            guard case .identifier(let w) = current.kind, let unit = Parser.durationUnits[w.lowercased()],
                  [.days, .weeks, .months, .years].contains(unit) else {
                throw Diagnostic("expected days, weeks, months or years, found \(current.description)", at: current.span, in: source,
                                 hint: "e.g. \(amount) months")
            }
            advance()
            return (Interval(Int(amount), unit), start.to(tokens[position - 1].span))
        }
        while !atStatementEnd, !current.isSymbol("|"), !current.isSymbol(")") {
            if accept("by") != nil {
                options.customer = try name("the customer column")
            } else if accept("on") != nil {
                options.date = try name("the order date column")
            } else if accept("as") != nil {
                try expectWord("of", "in `as of 2025-06-30`")
                options.asOf = try expression()
            } else if accept("lapsed") != nil {
                try expectWord("after", "in `lapsed after 12 months`")
                options.lapsedAfter = try period("how long without a purchase makes a customer lapsed")
            } else if accept("new") != nil {
                try expectWord("within", "in `new within 3 months`")
                options.newWithin = try period("how recent a first purchase makes a customer new")
            } else if accept("history") != nil {
                if accept("by") != nil { try expectWord("month", "in `history by month`") }
                options.history = true
            } else if accept("using") != nil {
                options.using = try tableOrPipeline("the orders table", closing: "the orders pipeline")
            } else {
                throw Diagnostic("unexpected \(current.description) in segment lifecycle", at: current.span, in: source,
                                 hint: "options: by customer, on date, as of date, lapsed after 12 months, new within 3 months, using orders, history by month")
            }
        }
        return options
    }

    /// The options after `why-not`, in any order.
    mutating func whyNotOptions() throws -> WhyNotOptions {
        var options = WhyNotOptions()
        func columns(_ what: String) throws -> [Identifier] {
            var list = [try name(what)]
            while acceptSymbol(",") != nil { list.append(try name(what)) }
            return list
        }
        func number(_ what: String) throws -> (Double, SourceSpan) {
            let token = current
            switch token.kind {
            case .integer(let v): advance(); return (Double(v), token.span)
            case .float(let v): advance(); return (v, token.span)
            default: throw Diagnostic("expected \(what), found \(current.description)", at: current.span, in: source)
            }
        }
        while !atStatementEnd, !current.isSymbol("|"), !current.isSymbol(")") {
            let option = current
            if accept("by") != nil {
                options.columns += try columns("a column to look at")
            } else if accept("depth") != nil {
                let token = current
                let depth = try count("the depth (1, 2 or 3)")
                guard (1...3).contains(depth) else {
                    throw Diagnostic("depth must be 1, 2 or 3, not \(depth)", at: token.span, in: source,
                                     hint: "depth 2 looks at single values and pairs of values")
                }
                options.depth = depth
            } else if accept("min-support") != nil {
                let (value, span) = try number("the least support, as in min-support 1%")
                if acceptSymbol("%") != nil {
                    guard value >= 0, value <= 100 else {
                        throw Diagnostic("min-support must be between 0% and 100%", at: span, in: source)
                    }
                    options.minSupportPercent = value
                } else if value >= 0, value < 1 {
                    options.minSupportPercent = value * 100
                } else {
                    throw Diagnostic("min-support \(source.text(of: span)) is ambiguous", at: span, in: source,
                                     hint: "write a percentage, as in min-support \(source.text(of: span))%, or a share below 1, as in 0.01")
                }
            } else if accept("min-ratio") != nil {
                let (value, span) = try number("the least risk ratio, as in min-ratio 1.5")
                guard value >= 0 else { throw Diagnostic("min-ratio cannot be negative", at: span, in: source) }
                options.minRatio = value
            } else if accept("max-q") != nil {
                let (value, span) = try number("the largest q-value, as in max-q 0.05")
                guard value > 0, value <= 1 else {
                    throw Diagnostic("max-q must be above 0 and at most 1", at: span, in: source, hint: "max-q 0.05 keeps a 5 % false discovery rate")
                }
                options.maxQ = value
            } else if accept("reasons") != nil {
                options.reasons += try columns("a column of stated reasons")
            } else if accept("all") != nil {
                options.all = true
            } else {
                var hint = "options: " + Parser.whyNotWords.joined(separator: ", ")
                var written = ""
                if case .identifier(let w) = option.kind { written = w.lowercased() }
                // a misspelt hyphenated option (min-ratoi) arrives as `min`, `-`, `ratoi`
                if next().isSymbol("-"), case .identifier(let rest) = next(2).kind, next().span.start == option.span.end,
                   next(2).span.start == next().span.end {
                    written += "-" + rest.lowercased()
                }
                if !written.isEmpty, let near = NameSuggestion.nearest(to: written, in: Parser.whyNotWords) {
                    hint = "did you mean `\(near)`?"
                }
                throw Diagnostic("unexpected \(current.description) in why-not", at: current.span, in: source, hint: hint)
            }
        }
        return options
    }

    /// Another table inside a stage: a name, or a pipeline in parentheses.
    mutating func tableOrPipeline(_ what: String, closing: String) throws -> Pipeline {
        if current.isSymbol("(") {
            let open = current.span
            advance()
            let inner = try pipeline()
            let close = try expectSymbol(")", "to close \(closing)")
            return Pipeline(origin: .nested(inner), stages: [], span: open.to(close.span))
        }
        let n = try name(what)
        return Pipeline(origin: .table(n), stages: [], span: n.span)
    }

    /// `on column, …` after a comparison (nothing: every column).
    mutating func comparedColumns() throws -> [Identifier] {
        guard accept("on") != nil else { return [] }
        var columns = [try name("a column to compare")]
        while acceptSymbol(",") != nil { columns.append(try name("a column to compare")) }
        return columns
    }

    mutating func namedList() throws -> [NamedExpression] {
        var items: [NamedExpression] = []
        repeat {
            let e = try expression()
            var alias: Identifier?
            if accept("as") != nil { alias = try name("a name after `as`") }
            items.append(NamedExpression(expression: e, alias: alias))
        } while acceptSymbol(",") != nil
        return items
    }

    mutating func sortItems() throws -> [SortItem] {
        var items: [SortItem] = []
        repeat {
            let e = try expression()
            var descending: Bool?
            if accept("desc") != nil || accept("descending") != nil { descending = true }
            else if accept("asc") != nil || accept("ascending") != nil { descending = false }
            items.append(SortItem(expression: e, descending: descending))
        } while acceptSymbol(",") != nil
        return items
    }
}
