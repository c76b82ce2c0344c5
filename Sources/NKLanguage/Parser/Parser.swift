import NKEngine
import NKSources

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

    public static let statementWords = ["load", "let", "save", "show", "describe", "drop", "print", "set", "explain", "attach", "detach"]

    public init(_ source: Source) {
        self.source = source
        let lexed = Lexer.tokenize(source)
        tokens = lexed.tokens
        diagnostics = lexed.diagnostics.map { var d = $0; d.kind = .syntax; return d }
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
            } catch var d as Diagnostic {
                d.kind = .syntax
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

    /// `attach [engine] "target" as name [with files "DIR"]`.
    mutating func attachStatement() throws -> Statement.Kind {
        var engine: Identifier?
        if case .identifier(let word) = current.kind {
            guard Databases.engines.contains(word.lowercased()) else {
                throw Diagnostic("unknown engine \(word)", at: current.span, in: source,
                                 hint: "attach takes a file or address in quotes, or an engine before it: " + Databases.engines.joined(separator: ", "))
            }
            engine = Identifier(name: word.lowercased(), span: current.span)
            advance()
        }
        let (target, targetSpan) = try text("a SQLite file, a postgresql:// address, a DuckDB file or a Spark master",
                                            example: "attach \"crm.sqlite\" as crm, attach spark \"local[2]\" as lake")
        _ = try expectWord("as", "in `attach \"…\" as name`")
        let name = try name("a name for the database after `as`")
        var files: (String, SourceSpan)?
        if accept("with") != nil {
            _ = try expectWord("files", "in `with files \"DIR\"`")
            files = try text("a folder of CSV and Parquet files", example: "with files \"data\"")
        }
        return .attach(target: target, targetSpan: targetSpan, name: name, engine: engine, files: files)
    }

    mutating func statement() throws -> Statement {
        let start = current.span
        func done(_ kind: Statement.Kind) -> Statement {
            Statement(kind: kind, span: start.to(tokens[max(0, position - 1)].span))
        }
        if accept("load") != nil { return done(try loadStatement()) }
        if accept("attach") != nil { return done(try attachStatement()) }
        if accept("detach") != nil {
            return done(.detach(try name("the name of an attached database")))
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
        if accept("explain") != nil {
            if current.isWord("sql"), !next().isSymbol("|"), !next().isSymbol(".") {
                advance()
                var dialect: Identifier?
                if case .identifier(let w) = current.kind, SQLDialect.named(w) != nil { dialect = try name("a dialect") }
                return done(.explainSQL(dialect: dialect, try pipeline()))
            }
            return done(.explain(try query()))
        }
        if let verb = groupsVerb() {
            return done(.groups(try verb.parseStatementForm(&self)))
        }
        if accept("set") != nil {
            let setting = try name("a setting after `set`")
            _ = acceptSymbol("=")
            return done(.set(setting, try expression()))
        }
        if case .identifier(let w) = current.kind, VerbRegistry.stageWords.contains(w.lowercased()),
           !next().isSymbol("|"), !(next().kind == .newline || next().kind == .end) {
            // a stage without a table in front of it
            throw Diagnostic("`\(w)` is a stage of a pipeline and needs a table in front", at: current.span, in: source,
                             hint: "e.g. customers | \(w) …")
        }
        return done(.query(try pipeline()))
    }

    /// What follows `load`: a file in quotes (with `sheet`, `as`, `with`), or a database's
    /// table or query (`crm.customers`, `pg.(select …)`) with `as`.
    mutating func loadStatement() throws -> Statement.Kind {
        if case .identifier = current.kind {
            let origin = try tableOrPipeline("a file in quotes or a database's table (crm.customers)", closing: "")
            var alias: Identifier?
            if accept("as") != nil { alias = try name("a table name after `as`") }
            return .loadSource(origin, name: alias)
        }
        let (path, pathSpan) = try text("a file or folder", example: "load \"Datasets/demo/customers.csv\"")
        var options: [LoadOption] = []
        if let word = accept("sheet") {
            let (sheet, sheetSpan) = try text("the sheet's name", example: "load \"export.xlsx\" sheet \"Kunden\" as kunden")
            options.append(LoadOption(name: Identifier(name: "sheet", span: word.span), value: .text(sheet), valueSpan: sheetSpan))
        }
        var alias: Identifier?
        if accept("as") != nil { alias = try name("a table name after `as`") }
        if accept("with") != nil {
            repeat { options.append(try loadOption()) } while acceptSymbol(",") != nil
        }
        return .load(path: path, pathSpan: pathSpan, name: alias, options: options)
    }

    mutating func loadOption() throws -> LoadOption {
        let option = try name("an option after `with` (delimiter, header, decimal, dateformat, nulls, types, encoding, columns)")
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
            } else if option.name.lowercased() == "columns" {
                var names: [Identifier] = []
                repeat { names.append(try name("a column name")) } while acceptSymbol(",") != nil
                value = .names(names)
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
            origin = try self.origin(try name("a table name"))
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
                             hint: "stages: " + VerbRegistry.stageWords.joined(separator: ", "))
        }
        let word = raw.lowercased()
        let candidates = VerbRegistry.verbs.filter { $0.words.starts(with: word) }
        guard !candidates.isEmpty else {
            let hint = NameSuggestion.nearest(to: word, in: VerbRegistry.stageWords).map { "did you mean `\($0)`?" }
                ?? "stages: " + VerbRegistry.stageWords.joined(separator: ", ")
            throw Diagnostic("no stage `\(raw)`", at: keyword.span, in: source, hint: hint)
        }
        advance()
        var verb = candidates.first { $0.words.qualifier == nil } ?? candidates[0]
        if case .identifier(let q) = current.kind, let qualified = candidates.first(where: { $0.words.qualifier == q.lowercased() }) {
            verb = qualified
            advance()
        }
        let parsed = try verb.parseStage(&self)
        return Stage(verb: parsed, keyword: keyword.span, span: keyword.span.to(tokens[max(0, position - 1)].span))
    }

    /// The verb whose statement form starts here (`compare A vs B`), consuming its word.
    mutating func groupsVerb() -> (any GroupsVerb.Type)? {
        for verb in VerbRegistry.groupsVerbs where accept(verb.statementWord) != nil { return verb }
        return nil
    }

    /// What `explain` explains: a verb's statement form or a pipeline.
    mutating func query() throws -> Query {
        let start = current.span
        if let verb = groupsVerb() {
            let parsed = try verb.parseStatementForm(&self)
            return .groups(parsed, start.to(tokens[max(0, position - 1)].span))
        }
        return .pipeline(try pipeline())
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
        let o = try origin(n)
        return Pipeline(origin: o, stages: [], span: n.span.to(tokens[max(0, position - 1)].span))
    }

    /// A table name, or after `name.` a database's table or query (written without spaces).
    mutating func origin(_ first: Identifier) throws -> Pipeline.Origin {
        guard current.isSymbol("."), current.span.start == first.span.end else { return .table(first) }
        let dot = current
        advance()
        if case .sql(let text) = current.kind, current.span.start == dot.span.end {
            let span = current.span
            advance()
            return .remote(database: first, sql: text, span: span)
        }
        guard current.span.start == dot.span.end else {
            throw Diagnostic("expected a table name right after `\(first.name).`", at: current.span, in: source,
                             hint: "write it without spaces: \(first.name).customers, or a query: \(first.name).(select …)")
        }
        return .attached(database: first, table: try name("a table name after `\(first.name).`"))
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
