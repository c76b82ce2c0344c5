/// Every verb nk knows, in the order help lists them. Parsing, help and completion find verbs
/// here; adding a verb is adding its type to this list.
public enum VerbRegistry {
    public static let verbs: [any Verb.Type] = [
        FilterVerb.self, SelectVerb.self, DeriveVerb.self, SortVerb.self, TopVerb.self, HeadVerb.self,
        SegmentVerb.self, CountVerb.self, JoinVerb.self, AppendVerb.self, DistinctVerb.self,
        CompareVerb.self, WhyNotVerb.self, LookalikeVerb.self,
        LifecycleVerb.self, ParetoVerb.self, RFMVerb.self, ValueVerb.self, CLVVerb.self, CohortVerb.self, PersonaVerb.self,
    ]

    /// The verbs that also have a statement form over two groups.
    public static var groupsVerbs: [any GroupsVerb.Type] { verbs.compactMap { $0 as? any GroupsVerb.Type } }

    /// The words that can start a stage, each once, in the order of `verbs`.
    public static var stageWords: [String] {
        var seen = Set<String>()
        return verbs.map { $0.words.keyword }.filter { seen.insert($0).inserted }
    }

    /// The words that may follow a stage's keyword to name a verb (`segment lifecycle`).
    public static func qualifiers(of keyword: String) -> [String] {
        verbs.filter { $0.words.starts(with: keyword) }.compactMap { $0.words.qualifier }
    }
}

extension Verb {
    /// Parses the stage, as an existential (for the registry's parser).
    static func parseStage(_ parser: inout Parser) throws -> any Verb { try parse(&parser) }
}

extension GroupsVerb {
    /// Parses the statement form, as an existential.
    static func parseStatementForm(_ parser: inout Parser) throws -> any GroupsVerb { try parseStatement(&parser) }
}
