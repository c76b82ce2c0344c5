import CReadline
import Foundation
import NKEngine
import NKLanguage

/// Context-aware completion: statement words at the start, tables where a table goes, stage
/// names after `|`, the columns of the table flowing into the current stage (from the bound plan
/// of the pipeline so far, no data read), functions in expressions, file names inside the
/// quotes of `load` and `save`, dot commands after `.`.
public struct Completer {
    let session: Session

    public init(session: Session) { self.session = session }

    public struct Completion: Equatable {
        public var candidates: [String]
        /// Let readline complete a file name instead.
        public var files = false
        /// Append a space after a unique match (after keywords, not after names).
        public var appendSpace = false
    }

    static let statementWords = Parser.statementWords + VerbRegistry.groupsVerbs.map { $0.statementWord }
    /// Words of any expression; a stage's own words (`asc`, `agg`, `on` …) come from its verb.
    static let expressionWords = ["and", "or", "not", "in", "between", "is", "null", "true", "false", "contains", "starts", "ends",
                                  "with", "case", "when", "then", "else", "end"]
    static let aggregateNames = ["count", "sum", "avg", "min", "max", "median", "quantile", "share"]
    static let loadOptions = ["delimiter", "header", "decimal", "dateformat", "nulls", "types", "encoding", "columns"]

    /// Candidates for `word`, the partial word at the cursor, given everything typed before it.
    public func complete(before context: String, word: String) -> Completion {
        let trimmed = context.drop { $0 == " " || $0 == "\t" }
        // dot commands
        if trimmed.hasPrefix(".") || (trimmed.isEmpty && word.hasPrefix(".")) {
            return dotCompletion(String(trimmed), word)
        }
        let statement = Completer.currentStatement(context)
        let tokens = Lexer.tokenize(Source(name: "", text: statement)).tokens.filter { $0.kind != .end && $0.kind != .newline }
        if Completer.insideString(statement) {
            let first = tokens.first
            return Completion(candidates: [], files: first?.isWord("load") == true || first?.isWord("save") == true)
        }
        let words = tokens
        func match(_ names: [String], keywords: [String] = [], space: Bool = false) -> Completion {
            let lower = word.lowercased()
            // keywords as written (why-not), names in backquotes where nk needs them
            let hits = Set(keywords.filter { $0.lowercased().hasPrefix(lower) })
                .union(names.filter { $0.lowercased().hasPrefix(lower) }.map(Completer.quoted))
            return Completion(candidates: hits.sorted(), appendSpace: space)
        }
        let tables = { tableCompletion(word) }
        guard let last = words.last else {
            var start = tables()
            start.candidates = Set(start.candidates + Completer.statementWords.filter { $0.hasPrefix(word.lowercased()) }).sorted()
            return start
        }
        let first = words[0]
        // after `|`: stage names
        if last.isSymbol("|") { return match([], keywords: VerbRegistry.stageWords, space: true) }
        // where a table goes: a pipeline's start, after `join`, after show/describe/drop/save
        let previous = words.count >= 2 ? words[words.count - 2] : nil
        let takesTable = { (t: Token) in Completer.verbs(keyword: t)?.contains { $0.takesTable } == true }
        let startsPipeline = last.isSymbol("(") && (previous == nil || previous!.isSymbol("=") || takesTable(previous!)
                                                    || previous!.isWord("save") || previous!.isWord("describe") || previous!.isSymbol("("))
        let namesTable = (first.isWord("show") || first.isWord("describe") || first.isWord("drop") || first.isWord("save"))
            && (words.count == 1 || last.isSymbol(","))
        if takesTable(last) || startsPipeline || namesTable || (first.isWord("let") && words.count == 3 && last.isSymbol("=")) {
            return tables()
        }
        if first.isWord("load") {
            if words.count == 1 { return tables() }
            if last.isWord("with") || last.isSymbol(",") { return match([], keywords: Completer.loadOptions, space: true) }
            if case .string = last.kind { return match([], keywords: ["as", "with"], space: true) }
            return Completion(candidates: [])
        }
        if first.isWord("set") { return match([], keywords: ["today"]) }
        // after a stage's keyword: what may follow it (`segment` → by, agg, lifecycle, pareto …)
        if let verbs = Completer.verbs(keyword: last), !verbs.isEmpty, previous?.isSymbol("|") == true {
            let qualifiers = VerbRegistry.qualifiers(of: verbs[0].words.keyword)
            let own = verbs.filter { $0.words.qualifier == nil }.flatMap { $0.firstWords }
            if !qualifiers.isEmpty { return match([], keywords: own + qualifiers, space: true) }
        }
        // in a stage: the columns flowing into it, functions and keywords
        let columns = flowingColumns(statement)
        let functions = ScalarFunction.allCases.map(\.rawValue) + Completer.aggregateNames
        if last.isWord("as") { return Completion(candidates: []) }
        // inside a stage, its verb's option words too
        return match(columns, keywords: functions + Completer.expressionWords + Completer.optionWords(words))
    }

    /// The verbs a word starts, if it is a stage's keyword.
    static func verbs(keyword token: Token) -> [any Verb.Type]? {
        guard case .identifier(let w) = token.kind else { return nil }
        return VerbRegistry.verbs.filter { $0.words.starts(with: w.lowercased()) }
    }

    /// The option words of the verb of the stage being typed: the last stage keyword after a
    /// `|` (with its qualifier), or a statement form's word at the start.
    static func optionWords(_ words: [Token]) -> [String] {
        var verb: (any Verb.Type)?
        for (i, token) in words.enumerated() where i == 0 || words[i - 1].isSymbol("|") {
            guard let candidates = verbs(keyword: token), !candidates.isEmpty else { continue }
            let qualifier = i + 1 < words.count ? words[i + 1] : nil
            verb = candidates.first { c in c.words.qualifier.map { q in qualifier?.isWord(q) == true } ?? false }
                ?? candidates.first { $0.words.qualifier == nil }
        }
        return verb?.completionWords ?? []
    }

    /// Columns of the table entering the stage being typed.
    func flowingColumns(_ statement: String) -> [String] {
        var text = statement
        // the pipeline up to the last `|` outside parentheses
        var depth = 0
        var cut: String.Index?
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if c == "(" { depth += 1 } else if c == ")" { depth -= 1 } else if c == "|", depth == 0 { cut = i }
            i = text.index(after: i)
        }
        var extra: [String] = []
        if let cut {
            let stage = text[text.index(after: cut)...].trimmingCharacters(in: .whitespaces)
            text = String(text[..<cut])
            // a join (or lookalike) also sees the other table's columns
            let parts = stage.split(separator: " ")
            if let word = parts.first, VerbRegistry.verbs.contains(where: { $0.takesTable && $0.words.starts(with: word.lowercased()) }),
               parts.count > 1, let other = session.table(String(parts[1])) { extra = other.names }
        }
        if let plan = session.plan(ofPipeline: text) { return plan.schema.names + extra }
        // not readable yet: every column of every table
        return session.order.compactMap { session.table($0)?.names }.flatMap { $0 } + extra
    }

    private func dotCompletion(_ context: String, _ word: String) -> Completion {
        let parts = context.split(separator: " ", omittingEmptySubsequences: true)
        if parts.isEmpty || (parts.count == 1 && !context.hasSuffix(" ") && word.isEmpty) {
            let names = DotCommands.names.map { "." + $0 }
            return Completion(candidates: names.filter { $0.hasPrefix(word.isEmpty ? String(context) : word) }.sorted(), appendSpace: true)
        }
        let command = parts[0].lowercased()
        let lower = word.lowercased()
        func match(_ names: [String]) -> Completion { Completion(candidates: names.filter { $0.lowercased().hasPrefix(lower) }.sorted()) }
        switch command {
        case ".read", ".output", ".once", ".cd": return Completion(candidates: [], files: true)
        case ".schema", ".describe": return match(session.order)
        case ".mode": return match(["table", "ascii", "line", "csv", "tsv", "json", "jsonl", "markdown"])
        case ".timer", ".bail": return match(["on", "off"])
        case ".help": return match(HelpTopics.all.map(\.name))
        case ".set": return match(["today"])
        default: return Completion(candidates: [])
        }
    }

    /// The statement the cursor is in: text after the last statement end.
    static func currentStatement(_ context: String) -> String {
        guard let end = context.lastIndex(where: { $0 == ";" }) else { return context }
        return String(context[context.index(after: end)...])
    }

    /// Whether the text ends inside an open string.
    static func insideString(_ text: String) -> Bool {
        var quote: Character?
        for c in text {
            if let q = quote { if c == q { quote = nil } } else if c == "\"" || c == "'" { quote = c }
        }
        return quote != nil
    }

    /// A name as it must be typed: in backquotes unless it is a plain word.
    static func quoted(_ name: String) -> String {
        let plain = name.first.map { $0.isLetter || $0 == "_" } == true && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
        return plain ? name : "`" + name.replacingOccurrences(of: "`", with: "``") + "`"
    }

    /// Table names starting with `word`, the attached databases' names with a dot, and after
    /// `name.` that database's tables.
    func tableCompletion(_ word: String) -> Completion {
        let lower = word.lowercased()
        if let dot = word.firstIndex(of: "."), session.databases[String(word[..<dot])] != nil {
            return Completion(candidates: session.attachedTableNames(in: String(word[..<dot])).filter { $0.lowercased().hasPrefix(lower) }.sorted())
        }
        let names = session.order.filter { $0.lowercased().hasPrefix(lower) }.map(Completer.quoted)
            + session.databaseOrder.map { $0 + "." }.filter { $0.lowercased().hasPrefix(lower) }
        return Completion(candidates: Set(names).sorted())
    }

    /// Hooks the completer into readline.
    static func installInReadline() {
        // no `/` or `-` among them: a path (`load "/tmp/da`, `.read Scripts/workshop/01-ni`) and
        // a hyphenated word (`why-not`, `min-ratio`) are one word to complete
        nk_rl_set_completer_word_break_characters(" \t\n\"'`()|,=<>!+*%;")
        nk_rl_set_completer_quote_characters("\"'")
        nk_rl_set_attempted_completion { text, start, _ in
            guard let completer = readlineState.completer else { return nil }
            let line = String(cString: nk_rl_line_buffer())
            let bytes = Array(line.utf8)
            let before = String(decoding: bytes[0..<min(Int(start), bytes.count)], as: UTF8.self)
            let word = text.map { String(cString: $0) } ?? ""
            let completion = completer.complete(before: readlineState.pending + before, word: word)
            if completion.files {
                nk_rl_set_attempted_completion_over(0)
                return nil
            }
            nk_rl_set_attempted_completion_over(1)
            nk_rl_set_completion_append_character(completion.appendSpace ? 32 : 0)
            guard !completion.candidates.isEmpty else { return nil }
            return Completer.matchList(completion.candidates)
        }
    }

    /// Readline's match list: the common prefix, then the matches, then NULL (malloc'd).
    static func matchList(_ candidates: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> {
        var prefix = candidates[0]
        for c in candidates.dropFirst() {
            while !c.hasPrefix(prefix) { prefix.removeLast() }
        }
        let list = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: candidates.count + 2)
        list[0] = strdup(candidates.count == 1 ? candidates[0] : prefix)
        for (i, c) in candidates.enumerated() { list[i + 1] = candidates.count == 1 ? nil : strdup(c) }
        list[candidates.count == 1 ? 1 : candidates.count + 1] = nil
        return list
    }
}
