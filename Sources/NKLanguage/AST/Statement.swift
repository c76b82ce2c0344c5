import NKEngine

/// A pipeline: a source table flowing through stages.
public struct Pipeline: Sendable {
    public indirect enum Origin: Sendable {
        case table(Identifier)
        case nested(Pipeline)
        /// A table of an attached database: `crm.customers`.
        case attached(database: Identifier, table: Identifier)
        /// A query in the database's own SQL: `pg.(select * from orders)`.
        case remote(database: Identifier, sql: String, span: SourceSpan)
    }
    public var origin: Origin
    public var stages: [Stage]
    public var span: SourceSpan

    /// The table's name when the pipeline is a bare name, else nil.
    var bareName: String? {
        if case .table(let name) = origin, stages.isEmpty { return name.name }
        return nil
    }
}

/// One `| stage` of a pipeline: the verb with what was written after it.
public struct Stage: Sendable {
    public var verb: any Verb
    /// The stage's keyword (with its qualifier: `segment lifecycle`).
    public var keyword: SourceSpan
    public var span: SourceSpan
}

/// A `with` option of `load`.
public struct LoadOption: Sendable {
    public enum Value: Sendable {
        case text(String)
        case word(String)
        case boolean(Bool)
        case list([String])
        case types([(Identifier, Identifier)])
        case names([Identifier])
    }
    public var name: Identifier
    public var value: Value
    public var valueSpan: SourceSpan
}

/// A statement of a script or of the prompt.
public struct Statement: Sendable {
    public enum Kind: Sendable {
        case load(path: String, pathSpan: SourceSpan, name: Identifier?, options: [LoadOption])
        /// `load crm.customers [as name]`, `load pg.(select …) as name`: a copy in memory.
        case loadSource(Pipeline, name: Identifier?)
        /// `attach "crm.sqlite" as crm`, `attach "postgresql://…" as pg`,
        /// `attach duckdb "big.duckdb" as d`, `attach spark "local[2]" as lake with files "data"`.
        case attach(target: String, targetSpan: SourceSpan, name: Identifier, engine: Identifier?, files: (String, SourceSpan)?)
        case detach(Identifier)
        case assign(Identifier, Pipeline)
        case query(Pipeline)
        /// `save … to "file" [overwrite]`.
        case save(Pipeline, path: String, pathSpan: SourceSpan, overwrite: Bool)
        case show(Identifier, rows: Int?)
        case describe(Pipeline)
        case drop([Identifier])
        case print(String)
        case set(Identifier, Expression)
        /// `explain <pipeline>`: the bound plan, each node with its columns.
        case explain(Query)
        /// `explain sql [postgresql|duckdb|spark] <pipeline>`: the SQL the pipeline becomes.
        case explainSQL(dialect: Identifier?, Pipeline)
        /// A verb's statement form over two groups: `compare A vs B`, `why-not A vs B`.
        case groups(any GroupsVerb)
    }
    public var kind: Kind
    public var span: SourceSpan
}

/// What `explain` can show: a pipeline, or a verb's statement form (with where it is written).
public enum Query: Sendable {
    case pipeline(Pipeline)
    case groups(any GroupsVerb, SourceSpan)
}

extension Pipeline {
    /// How many leading columns of the pipeline's table are group keys: the keys of its last
    /// `segment by` when the stages after it keep the columns in place (`filter`, `sort`,
    /// `head`, `derive`); nil otherwise. Charts draw a bar per group from it.
    public var groupingWidth: Int? {
        for stage in stages.reversed() {
            if let segment = stage.verb as? SegmentVerb { return segment.byKeys && !segment.keys.isEmpty ? segment.keys.count : nil }
            if type(of: stage.verb).columnUse != .named { return nil }
        }
        if case .nested(let inner) = origin { return inner.groupingWidth }
        return nil
    }
}

extension Statement {
    /// The pipeline whose result the statement shows, if it shows one.
    public var shownPipeline: Pipeline? {
        if case .query(let p) = kind { return p }
        if case .save(let p, _, _, _) = kind { return p }
        return nil
    }
}
