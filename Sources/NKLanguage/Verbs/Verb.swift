import NKEngine

/// A stage of a pipeline (`filter`, `segment lifecycle`, `why-not` …). One type per verb, in
/// its own file under `Verbs/`, owns everything about it: how it is written (``parse(_:)``),
/// its help entry and completion words, and how it binds to a plan node (``bind(_:_:)``),
/// whose `run` does the work. ``VerbRegistry`` lists the verbs; nothing else names them.
public protocol Verb: Sendable {
    /// The words that start the stage, with its alternative spellings.
    static var words: VerbWords { get }
    /// What `.help` says about it.
    static var help: VerbHelp { get }
    /// The option words completion offers inside the stage.
    static var completionWords: [String] { get }
    /// The words completion offers right after the stage's keyword (default: all of them).
    static var firstWords: [String] { get }
    /// Whether another table's name follows the stage's words (`join orders`): completion then
    /// offers table names there, and that table's columns inside the stage.
    static var takesTable: Bool { get }
    /// Which input columns the stage needs: what a pipeline over a database table reads.
    static var columnUse: ColumnUse { get }
    /// Reads what follows the stage's words.
    static func parse(_ parser: inout Parser) throws -> Self
    /// The plan node of the stage over `input`: names resolved and the output columns known,
    /// no data touched. Errors point at what was written.
    func bind(_ input: any PlanNode, _ binder: StageBinder) throws -> any PlanNode
    /// How messages name the stage's output, given its input's name (`keyword` as written):
    /// `the result of \`select\``, or the input's own name where the columns stay the same.
    func describe(input: String, keyword: String, _ source: Source) -> String
}

extension Verb {
    public static var completionWords: [String] { [] }
    public static var firstWords: [String] { completionWords }
    public static var takesTable: Bool { false }
    public static var columnUse: ColumnUse { .all }
    public func describe(input: String, keyword: String, _ source: Source) -> String {
        "the result of `\(keyword)`"
    }
}

/// Which of its input's columns a stage needs.
public enum ColumnUse: Sendable {
    /// Only those it names; the others pass through to the next stage (`filter`, `sort`).
    case named
    /// Only those it names, and its output holds nothing else (`select`, `segment by`).
    case projects
    /// Possibly every column (`why-not` chooses its own).
    case all
}

/// A verb that also has a statement form comparing two groups (`compare A vs B`).
public protocol GroupsVerb: Sendable {
    /// The statement's first word.
    static var statementWord: String { get }
    /// Reads what follows the statement's word.
    static func parseStatement(_ parser: inout Parser) throws -> Self
    /// The plan node of the statement: both groups bound as its inputs.
    func bind(_ binder: PlanBinder) throws -> any PlanNode
}

/// The words of a stage: `keyword` (or one of `aliases`), then `qualifier` when it has one
/// (`segment lifecycle`: keyword `segment`, qualifier `lifecycle`).
public struct VerbWords: Sendable {
    public var keyword: String
    public var aliases: [String]
    public var qualifier: String?

    public init(_ keyword: String, aliases: [String] = [], qualifier: String? = nil) {
        self.keyword = keyword
        self.aliases = aliases
        self.qualifier = qualifier
    }

    /// The name as help shows it: `filter`, `segment lifecycle`.
    public var name: String { qualifier.map { "\(keyword) \($0)" } ?? keyword }

    public func starts(with word: String) -> Bool { word == keyword || aliases.contains(word) }
}

/// A help entry: one line saying what the verb does, and an example that runs on the demo data.
public struct VerbHelp: Sendable {
    public var summary: String
    public var example: String
    /// The options as help lists them, each with a sample value; nil: the completion words.
    public var options: String?
    public init(_ summary: String, example: String, options: String? = nil) {
        self.summary = summary
        self.example = example
        self.options = options
    }
}
