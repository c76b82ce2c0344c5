/// A token of nk's language. Keywords are plain identifiers; the parser decides by position.
public struct Token: Sendable {
    public enum Kind: Sendable, Equatable {
        /// A bare word: a name or a keyword.
        case identifier(String)
        /// A name in backquotes (`emp.var.rate`), never a keyword.
        case quotedIdentifier(String)
        case integer(Int64)
        case float(Double)
        case string(String)
        /// `2025-01-31`, as days since 1970-01-01.
        case date(Int32)
        /// Punctuation and operators: `( ) , | ; = == != <> < <= > >= + - * / % . :`.
        case symbol(String)
        /// A database's own SQL after `name.`: `pg.(select * from orders)`, the text inside the
        /// parentheses as written.
        case sql(String)
        /// The end of a statement's line.
        case newline
        case end
    }

    public var kind: Kind
    public var span: SourceSpan

    /// Whether this is the bare word `word` (any letter case).
    public func isWord(_ word: String) -> Bool {
        if case .identifier(let s) = kind { return s.lowercased() == word }
        return false
    }

    public func isSymbol(_ symbol: String) -> Bool { kind == .symbol(symbol) }

    /// How the token reads in an error message.
    public var description: String {
        switch kind {
        case .identifier(let s): return "`\(s)`"
        case .quotedIdentifier(let s): return "`\(s)`"
        case .integer(let v): return "\(v)"
        case .float(let v): return "\(v)"
        case .string(let s): return "\"\(s)\""
        case .date(let d): return CivilDateText.format(d)
        case .symbol(let s): return "`\(s)`"
        case .sql: return "a query in parentheses"
        case .newline: return "the end of the line"
        case .end: return "the end of the input"
        }
    }
}

import NKEngine

enum CivilDateText {
    static func format(_ d: Int32) -> String { CivilDate.format(Int(d)) }
}
