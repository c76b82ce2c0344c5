import NKEngine

/// An error of the language layer: what went wrong, where, what to do, and what kind of
/// problem it is. Code decides by `kind`, never by the text; the text is for people.
public struct Diagnostic: Error, Sendable {
    /// What kind of problem: the cases code may react to.
    public enum Kind: String, Sendable, Equatable {
        /// The text is not nk: a syntax error.
        case syntax
        /// A table name that is not defined.
        case unknownTable = "unknown table"
        /// A column that the table flowing in does not have.
        case unknownColumn = "unknown column"
        /// Another unknown name (a function, a setting).
        case unknownName = "unknown name"
        /// Types that do not fit the operation.
        case type
        /// A value, option or data that cannot be used as written.
        case invalid
        /// A file or folder to read that does not exist.
        case missingFile = "missing file"
        /// Reading or writing a file failed otherwise.
        case io = "i/o"
        /// The user interrupted the statement (Ctrl-C).
        case cancelled
        /// The statement would exceed a resource limit (memory_limit).
        case resourceLimit = "resource limit"
        /// A broken invariant inside nk: a bug.
        case internalError = "internal error"

        init(_ category: EngineError.Category) {
            switch category {
            case .invalidInput, .conversion: self = .invalid
            case .unknownColumn: self = .unknownColumn
            case .unknownName: self = .unknownName
            case .typeMismatch: self = .type
            case .io: self = .io
            case .missingFile: self = .missingFile
            case .cancelled: self = .cancelled
            case .resourceLimit: self = .resourceLimit
            case .internalError: self = .internalError
            }
        }
    }

    public var kind: Kind
    public var message: String
    public var span: SourceSpan
    public var source: Source
    public var hint: String?

    public init(_ message: String, at span: SourceSpan, in source: Source, hint: String? = nil, kind: Kind = .invalid) {
        self.kind = kind
        self.message = message
        self.span = span
        self.source = source
        self.hint = hint
    }

    /// An unknown column, with the nearest name of `available` as the hint.
    static func unknownColumn(_ name: String, in described: String? = nil, at span: SourceSpan, _ source: Source,
                              available: [String], otherwise: String? = nil) -> Diagnostic {
        Diagnostic("no column `\(name)`" + (described.map { " in \($0)" } ?? ""), at: span, in: source,
                   hint: NameSuggestion.nearest(to: name, in: available).map { "did you mean `\($0)`?" } ?? otherwise, kind: .unknownColumn)
    }

    public var line: Int { source.location(of: span.start).line }
    public var column: Int { source.location(of: span.start).column }
}
