/// Where in an input file something went wrong: 1-based line and column (the field number
/// for CSV fields, the byte column for text).
public struct FileLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int?
    public init(file: String, line: Int, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }
    public var description: String {
        column.map { "\(file):\(line):\($0)" } ?? "\(file):\(line)"
    }
}

/// The one error type of the engine layer. Its text is rendered by the shell; here it is data:
/// a category, a message, an optional hint (what to do) and an optional location in a file.
public struct EngineError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Category: String, Sendable {
        /// Malformed data or arguments (a bad CSV row, a duplicate column name).
        case invalidInput = "invalid input"
        /// A value that cannot be converted to the requested type.
        case conversion
        /// A column that does not exist.
        case unknownColumn = "unknown column"
        /// Another name that does not exist (a function).
        case unknownName = "unknown name"
        /// Operands whose types do not fit the operation.
        case typeMismatch = "type mismatch"
        /// Reading or writing a file failed.
        case io = "i/o"
        /// A file or folder to read does not exist.
        case missingFile = "missing file"
        /// The user interrupted the operation.
        case cancelled
        /// The operation would exceed a resource limit.
        case resourceLimit = "resource limit"
        /// A broken invariant inside nk: a bug.
        case internalError = "internal error"
    }

    public var category: Category
    public var message: String
    public var hint: String?
    public var location: FileLocation?
    /// The ``Expr/located(_:sourceRef:)`` tag of the expression that failed, if any.
    public var sourceRef: Int?

    public init(_ category: Category, _ message: String, hint: String? = nil, location: FileLocation? = nil) {
        self.category = category
        self.message = message
        self.hint = hint
        self.location = location
    }

    public var description: String {
        var text = (location.map { "\($0): " } ?? "") + message
        if let hint { text += "\nhint: \(hint)" }
        return text
    }

    public static func invalidInput(_ message: String, hint: String? = nil, location: FileLocation? = nil) -> EngineError {
        EngineError(.invalidInput, message, hint: hint, location: location)
    }

    public static func typeMismatch(_ message: String, hint: String? = nil) -> EngineError {
        EngineError(.typeMismatch, message, hint: hint)
    }

    public static func internalError(_ message: String) -> EngineError {
        EngineError(.internalError, message)
    }

    public static let cancelled = EngineError(.cancelled, "cancelled")

    /// An unknown column, with the nearest existing name as a suggestion.
    public static func unknownColumn(_ name: String, available: [String]) -> EngineError {
        let hint: String
        if let near = NameSuggestion.nearest(to: name, in: available) {
            hint = "did you mean `\(near)`?"
        } else if available.isEmpty {
            hint = "the table has no columns"
        } else {
            hint = "columns are: " + available.prefix(12).joined(separator: ", ") + (available.count > 12 ? ", …" : "")
        }
        return EngineError(.unknownColumn, "no column `\(name)`", hint: hint)
    }
}

/// Finds the name a user most likely meant (edit distance, case-insensitive).
public enum NameSuggestion {
    /// The closest candidate within a distance that still looks like a typo, or nil.
    public static func nearest(to name: String, in candidates: [String]) -> String? {
        let target = Array(name.lowercased())
        var best: (String, Int)?
        for c in candidates {
            let d = distance(target, Array(c.lowercased()))
            let limit = max(1, min(3, (target.count + 2) / 3))
            if d <= limit, best == nil || d < best!.1 { best = (c, d) }
        }
        return best?.0
    }

    /// Damerau-Levenshtein distance (optimal string alignment) between two character arrays.
    public static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}
