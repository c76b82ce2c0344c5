import NKEngine

/// Splits a source into tokens.
///
/// A line break ends a statement unless the statement is clearly unfinished: inside
/// parentheses (when the next line is indented), after `|`, a comma, an operator,
/// `and`/`or`/`not`, or when the next line starts with `|`. Comments run from `--` to the end
/// of the line.
public struct Lexer {
    public let source: Source
    private let b: [UInt8]
    private var i = 0
    private var depth = 0
    public private(set) var tokens: [Token] = []
    public private(set) var diagnostics: [Diagnostic] = []
    /// Whether a string was still open at the end of the input.
    private var unclosedString = false

    /// Words that may be written with a hyphen inside (`why-not`, `min-support`).
    static let hyphenatedWords = ["why-not", "min-support", "min-ratio", "max-q"]
    static let continuingSymbols: Set<String> = ["|", "||", ",", "+", "-", "*", "/", "=", "==", "!=", "<>", "<", "<=", ">", ">=", "("]
    static let continuingWords: Set<String> = ["and", "or", "not"]
    static let singleSymbols = Array("(),|;=<>+-*/%.:[]".utf8)

    public init(_ source: Source) {
        self.source = source
        b = source.bytes
    }

    /// Tokens of the whole source, ending with `.end`.
    public static func tokenize(_ source: Source) -> (tokens: [Token], diagnostics: [Diagnostic]) {
        var lexer = Lexer(source)
        lexer.run()
        return (lexer.tokens, lexer.diagnostics)
    }

    /// Whether a statement typed so far goes on: a parenthesis or a string is still open, or
    /// the last token asks for more (`|`, a comma, an operator, `and`, `or`, `not`).
    public static func needsMoreInput(_ text: String) -> Bool {
        var lexer = Lexer(Source(name: "", text: text))
        lexer.run()
        if lexer.unclosedString || lexer.depth > 0 { return true }
        guard let last = lexer.tokens.last(where: { $0.kind != .end && $0.kind != .newline }) else { return false }
        switch last.kind {
        case .symbol(let s): return Lexer.continuingSymbols.contains(s)
        case .identifier(let w): return Lexer.continuingWords.contains(w.lowercased())
        default: return false
        }
    }

    mutating func run() {
        while i < b.count {
            let c = b[i]
            if c == 32 || c == 9 || c == 13 { i += 1; continue }
            if c == 10 { lineBreak(); continue }
            if c == UInt8(ascii: "-"), peek(1) == UInt8(ascii: "-") { skipComment(); continue }
            let start = i
            if isIdentifierStart(c) { identifier(); continue }
            if c == UInt8(ascii: "`") { quotedIdentifier(); continue }
            if isDigit(c) || (c == UInt8(ascii: ".") && isDigit(peek(1))) { number(); continue }
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") { string(); continue }
            if c == UInt8(ascii: "."), peek(1) == UInt8(ascii: "("), let last = tokens.last, last.span.end == i,
               case .identifier = last.kind {
                i += 1
                add(.symbol("."), start)
                sql()
                continue
            }
            if let s = symbol() {
                if s == "(" || s == "[" { depth += 1 }
                if s == ")" || s == "]" { depth = max(0, depth - 1) }
                add(.symbol(s), start)
                continue
            }
            // an unexpected character (possibly several UTF-8 bytes)
            var end = i + 1
            while end < b.count, b[end] & 0xC0 == 0x80 { end += 1 }
            let text = String(decoding: b[i..<end], as: UTF8.self)
            diagnostics.append(Diagnostic("unexpected character `\(text)`", at: SourceSpan(i, end), in: source,
                                          hint: text == "\u{201C}" || text == "\u{201E}" || text == "\u{201D}" ? "write text in straight quotes: \"…\"" : nil))
            i = end
        }
        add(.end, b.count)
    }

    /// `(…)` after `name.`: a query in the database's own SQL, kept as written up to the
    /// parenthesis that closes it (quotes and nested parentheses respected).
    private mutating func sql() {
        let start = i
        var depth = 0
        var quote: UInt8 = 0
        while i < b.count {
            let c = b[i]
            if quote != 0 {
                if c == quote { quote = 0 }
            } else if c == UInt8(ascii: "'") || c == UInt8(ascii: "\"") {
                quote = c
            } else if c == UInt8(ascii: "(") {
                depth += 1
            } else if c == UInt8(ascii: ")") {
                depth -= 1
                if depth == 0 {
                    i += 1
                    add(.sql(String(decoding: b[(start + 1)..<(i - 1)], as: UTF8.self)), start)
                    return
                }
            }
            i += 1
        }
        diagnostics.append(Diagnostic("the query in parentheses is not closed", at: SourceSpan(start, start + 1), in: source,
                                      hint: "end the query with ), e.g. pg.(select * from orders)"))
        unclosedString = true
    }

    private func peek(_ k: Int) -> UInt8 { i + k < b.count ? b[i + k] : 0 }
    private func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    private func isIdentifierStart(_ c: UInt8) -> Bool {
        (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 || c >= 0xC0
    }
    private func isIdentifierPart(_ c: UInt8) -> Bool { isIdentifierStart(c) || isDigit(c) || (c >= 0x80) }

    private mutating func add(_ kind: Token.Kind, _ start: Int) {
        tokens.append(Token(kind: kind, span: SourceSpan(start, max(start, i))))
    }

    private mutating func skipComment() {
        while i < b.count, b[i] != 10 { i += 1 }
    }

    /// A line break: a statement end, unless the statement goes on.
    private mutating func lineBreak() {
        let at = i
        i += 1
        if depth > 0 {
            // inside parentheses a statement goes on over indented lines; a line that starts
            // in the first column begins a new statement (so an unclosed parenthesis cannot
            // swallow the rest of a script)
            guard i < b.count, b[i] != 32, b[i] != 9, b[i] != 10, b[i] != 13,
                  b[i] != UInt8(ascii: ")"), b[i] != UInt8(ascii: "]"), b[i] != UInt8(ascii: "|") else { return }
            depth = 0
            tokens.append(Token(kind: .newline, span: SourceSpan(at, at + 1)))
            return
        }
        guard let last = tokens.last else { return }
        switch last.kind {
        case .newline: return
        case .symbol(let s) where Lexer.continuingSymbols.contains(s): return
        case .identifier(let w) where Lexer.continuingWords.contains(w.lowercased()): return
        default: break
        }
        // the next line starting with `|` continues the pipeline
        var j = i
        while j < b.count {
            let c = b[j]
            if c == 32 || c == 9 || c == 13 || c == 10 { j += 1; continue }
            if c == UInt8(ascii: "-"), j + 1 < b.count, b[j + 1] == UInt8(ascii: "-") {
                while j < b.count, b[j] != 10 { j += 1 }
                continue
            }
            if c == UInt8(ascii: "|") { return }
            break
        }
        tokens.append(Token(kind: .newline, span: SourceSpan(at, at + 1)))
    }

    private mutating func identifier() {
        let start = i
        while i < b.count, isIdentifierPart(b[i]) { i += 1 }
        var word = String(decoding: b[start..<i], as: UTF8.self)
        for hyphenated in Lexer.hyphenatedWords where hyphenated.hasPrefix(word.lowercased() + "-") {
            let rest = Array(hyphenated.utf8.dropFirst(word.utf8.count))
            if i + rest.count <= b.count, Array(b[i..<i + rest.count]).map({ $0 | 0x20 }) == rest.map({ $0 | 0x20 }),
               i + rest.count == b.count || !isIdentifierPart(b[i + rest.count]) {
                i += rest.count
                word = hyphenated
            }
        }
        add(.identifier(word), start)
    }

    private mutating func quotedIdentifier() {
        let start = i
        i += 1
        var name: [UInt8] = []
        while i < b.count {
            if b[i] == UInt8(ascii: "`") {
                if peek(1) == UInt8(ascii: "`") { name.append(b[i]); i += 2; continue }
                i += 1
                add(.quotedIdentifier(String(decoding: name, as: UTF8.self)), start)
                return
            }
            if b[i] == 10 { break }
            name.append(b[i])
            i += 1
        }
        diagnostics.append(Diagnostic("this name in backquotes is not closed", at: SourceSpan(start, start + 1), in: source,
                                      hint: "close it with a backquote: `name`"))
        add(.quotedIdentifier(String(decoding: name, as: UTF8.self)), start)
    }

    private mutating func number() {
        let start = i
        // a date: yyyy-mm-dd
        if i + 10 <= b.count, (0..<4).allSatisfy({ isDigit(b[i + $0]) }), b[i + 4] == UInt8(ascii: "-"),
           isDigit(b[i + 5]), isDigit(b[i + 6]), b[i + 7] == UInt8(ascii: "-"), isDigit(b[i + 8]), isDigit(b[i + 9]),
           i + 10 == b.count || !isIdentifierPart(b[i + 10]) {
            i += 10
            let text = String(decoding: b[start..<i], as: UTF8.self)
            if let d = CivilDate.parseISO(text) {
                add(.date(Int32(d)), start)
            } else {
                diagnostics.append(Diagnostic("\(text) is not a date", at: SourceSpan(start, i), in: source, hint: "check the month and the day"))
                add(.date(0), start)
            }
            return
        }
        var isFloat = false
        while i < b.count, isDigit(b[i]) || b[i] == UInt8(ascii: "_") { i += 1 }
        if i < b.count, b[i] == UInt8(ascii: "."), isDigit(peek(1)) {
            isFloat = true
            i += 1
            while i < b.count, isDigit(b[i]) { i += 1 }
        }
        if i < b.count, b[i] | 0x20 == UInt8(ascii: "e"),
           isDigit(peek(1)) || ((peek(1) == UInt8(ascii: "-") || peek(1) == UInt8(ascii: "+")) && isDigit(peek(2))) {
            isFloat = true
            i += 2
            while i < b.count, isDigit(b[i]) { i += 1 }
        }
        let text = String(decoding: b[start..<i], as: UTF8.self).replacingOccurrences(of: "_", with: "")
        if !isFloat, let v = Int64(text) {
            add(.integer(v), start)
        } else if !isFloat {
            // a whole number never becomes a float on its own: that would round it silently
            diagnostics.append(Diagnostic("\(text) is too large a whole number", at: SourceSpan(start, i), in: source,
                                          hint: "whole numbers go up to 9223372036854775807; write it with a decimal point (\(text).0) for a float"))
            add(.integer(0), start)
        } else if let v = Double(text), v.isFinite {
            add(.float(v), start)
        } else {
            diagnostics.append(Diagnostic("\(text) is too large a number", at: SourceSpan(start, i), in: source,
                                          hint: isFloat ? "numbers go up to about 1.8e308" : "integers go up to 9223372036854775807; write a decimal point for a float"))
            add(.integer(0), start)
        }
    }

    /// A string in double or single quotes; it may span lines. One that never closes is
    /// reported at its opening quote, and lexing resumes after that line.
    private mutating func string() {
        let start = i
        let quote = b[i]
        i += 1
        var text: [UInt8] = []
        while i < b.count {
            let c = b[i]
            if c == quote {
                if peek(1) == quote { text.append(quote); i += 2; continue }
                i += 1
                add(.string(String(decoding: text, as: UTF8.self)), start)
                return
            }
            if c == UInt8(ascii: "\\"), i + 1 < b.count {
                let e = b[i + 1]
                switch e {
                case UInt8(ascii: "n"): text.append(10)
                case UInt8(ascii: "t"): text.append(9)
                case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"): text.append(e)
                default: text.append(c); text.append(e)
                }
                i += 2
                continue
            }
            text.append(c)
            i += 1
        }
        let q = quote == UInt8(ascii: "'") ? "'" : "\""
        diagnostics.append(Diagnostic("this text is not closed", at: SourceSpan(start, start + 1), in: source,
                                      hint: "close it with \(q)"))
        unclosedString = true
        // resume after the line the text opened on
        i = start + 1
        while i < b.count, b[i] != 10 { i += 1 }
        add(.string(String(decoding: b[(start + 1)..<i], as: UTF8.self)), start)
    }

    private mutating func symbol() -> String? {
        let c = b[i]
        switch (c, peek(1)) {
        case (UInt8(ascii: "<"), UInt8(ascii: "=")), (UInt8(ascii: ">"), UInt8(ascii: "=")),
             (UInt8(ascii: "!"), UInt8(ascii: "=")), (UInt8(ascii: "<"), UInt8(ascii: ">")),
             (UInt8(ascii: "="), UInt8(ascii: "=")), (UInt8(ascii: "|"), UInt8(ascii: "|")):
            i += 2
            return String(decoding: b[(i - 2)..<i], as: UTF8.self)
        default: break
        }
        if Lexer.singleSymbols.contains(c) {
            i += 1
            return String(UnicodeScalar(c))
        }
        return nil
    }
}
