import Foundation
import NKEngine
import NKSources

/// Databases attached to a session: `attach`, `detach`, their tables as pipeline sources, and
/// `load` of a database's table or query into memory.
extension Session {
    /// `attach [engine] "target" as name [with files "DIR"]`.
    func attach(_ target: String, at targetSpan: SourceSpan, as name: Identifier, engine: String?, files: (String, SourceSpan)?,
                _ source: Source, _ lowering: Lowering) throws -> [StatementOutput] {
        if databases[name.name] != nil {
            throw Diagnostic("a database is already attached as \(name.name)", at: name.span, in: source,
                             hint: "detach \(name.name) first, or attach this one under another name")
        }
        if let (folder, span) = files {
            guard engine == "duckdb" || engine == "spark" else {
                throw Diagnostic("with files works for DuckDB and Spark", at: span, in: source,
                                 hint: "attach duckdb \":memory:\" as d with files \"\(folder)\"", kind: .invalid)
            }
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: resolve(folder), isDirectory: &isFolder), isFolder.boolValue else {
                throw Diagnostic("\(folder) is not a folder", at: span, in: source, hint: "with files \"DIR\" names a folder of CSV and Parquet files", kind: .io)
            }
        }
        let database = try lowering.diagnosing(at: targetSpan, columnsOf: nil) {
            try Databases.open(target, resolvedPath: resolve(target), as: name.name, engine: engine, files: files.map { resolve($0.0) })
        }
        let tables = try lowering.diagnosing(at: targetSpan, columnsOf: nil) { try database.tableNames() }
        attachDatabase(database, as: name.name)
        let listed = tables.prefix(8).joined(separator: ", ") + (tables.count > 8 ? ", …" : "")
        let count = tables.count == 1 ? "1 table" : "\(tables.count) tables"
        return [.message("attached \(name.name): \(database.kind) \(database.location), \(count)\(tables.isEmpty ? "" : ": " + listed)")]
    }

    /// `detach name`.
    func detach(_ name: Identifier, _ source: Source) throws -> [StatementOutput] {
        guard let database = databases[name.name] else {
            throw Diagnostic("no database is attached as \(name.name)", at: name.span, in: source,
                             hint: databaseOrder.isEmpty ? "attach \"file.sqlite\" as name attaches one" : "attached: " + databaseOrder.joined(separator: ", "),
                             kind: .unknownName)
        }
        database.close()
        detachDatabase(name.name)
        return [.message("detached \(name.name)")]
    }

    /// The attached database called `name`, or an error naming the nearest.
    func database(_ name: Identifier, _ source: Source) throws -> any Database {
        if let d = databases[name.name] { return d }
        let hint = Session.missingNameHint(name.name, among: databaseOrder, quoted: false, listed: "attached",
                                           none: "attach a database first: attach \"crm.sqlite\" as \(name.name)")
        throw Diagnostic("no database is attached as \(name.name)", at: name.span, in: source, hint: hint, kind: .unknownName)
    }

    /// A scan of a database's table, reading `columns` (all when nil).
    func scan(_ db: Identifier, _ table: Identifier, columns: [String]?, _ source: Source, _ lowering: Lowering) throws -> ScanNode {
        let database = try database(db, source)
        if bindingWithoutData {
            let empty = try lowering.diagnosing(at: table.span, columnsOf: nil) { try database.emptyTable(table.name) }
            return ScanNode(name: "\(db.name).\(table.name)", table: empty, span: db.span.to(table.span), remote: table.name)
        }
        let read = try lowering.diagnosing(at: table.span, columnsOf: nil) {
            try database.read(table.name, columns: columns, context: context)
        }
        return ScanNode(name: "\(db.name).\(table.name)", table: read.table, span: db.span.to(table.span), notes: read.notes, warnings: read.warnings, remote: table.name)
    }

    /// A scan of a query's rows.
    func scan(_ db: Identifier, query: String, at span: SourceSpan, _ source: Source, _ lowering: Lowering) throws -> ScanNode {
        let database = try database(db, source)
        if bindingWithoutData {
            throw Diagnostic("a query's columns are not known before it runs", at: span, in: source, kind: .invalid)
        }
        let read = try lowering.diagnosing(at: span, columnsOf: nil) { try database.read(query: query, context: context) }
        return ScanNode(name: "\(db.name).(…)", table: read.table, span: db.span.to(span), notes: read.notes, warnings: read.warnings)
    }

    /// The tables of the attached databases as `db.table`, for completion (a database that
    /// cannot list them now is left out).
    public func attachedTableNames(in database: String) -> [String] {
        guard let d = databases[database], let names = try? d.tableNames() else { return [] }
        return names.map { "\(database).\($0)" }
    }

    /// The columns of a database's table that `stages` can need, when they can be known:
    /// the stages up to the first that keeps only what it names (`select`, `segment by`,
    /// `count`) each name their columns; nil (every column) when a stage may use any.
    func neededColumns(_ db: Identifier, _ table: Identifier, _ stages: [Stage], _ source: Source) -> [String]? {
        guard let projecting = stages.firstIndex(where: { type(of: $0.verb).columnUse == .projects }),
              stages[..<projecting].allSatisfy({ type(of: $0.verb).columnUse == .named }),
              let database = databases[db.name], let names = try? database.columnNames(table.name) else { return nil }
        var written = Set<String>()
        for stage in stages[...projecting] {
            let text = Source(name: "", text: source.text(of: stage.span))
            for token in Lexer.tokenize(text).tokens {
                switch token.kind {
                case .identifier(let s), .quotedIdentifier(let s): written.insert(s.lowercased())
                default: break
                }
            }
        }
        let needed = names.filter { written.contains($0.lowercased()) }
        return needed.isEmpty ? Array(names.prefix(1)) : needed
    }

    /// `load crm.customers [as name]` or `load pg.(select …) as name`.
    func loadSource(_ pipeline: Pipeline, as alias: Identifier?, _ binder: PlanBinder, _ runner: PlanRunner,
                    _ source: Source) throws -> [StatementOutput] {
        var name = alias?.name
        switch pipeline.origin {
        case .attached(_, let table) where name == nil: name = Session.tableName(for: table.name)
        case .remote(_, _, let span) where name == nil:
            throw Diagnostic("a query needs a name to be loaded as", at: span, in: source, hint: "load db.(select …) as recent")
        case .table(let t):
            throw Diagnostic("\(t.name) is not a file or a database's table", at: t.span, in: source,
                             hint: "a file goes in quotes: load \"\(t.name).csv\"; a database's table is named with its database: crm.\(t.name)")
        default: break
        }
        let plan = try binder.bind(pipeline)
        let table = try runner.run(plan).table
        try checkRoom(for: [table], replacing: [name!])
        set(name!, table)
        var out: [StatementOutput] = [.message("loaded \(name!): \(Value.grouped(table.rowCount)) rows, \(table.columnCount) columns")]
        for node in plan.walk() { if let scan = node.node as? ScanNode { out += (scan.notes + scan.warnings).map { .message("note: \($0)") } } }
        return out
    }

    /// A pipeline over a PostgreSQL, DuckDB or Spark table run there (`set pushdown = on`, the
    /// default): relational stages as one statement; an analysis verb as the statements that
    /// count for it, with the stages after it run in memory on its (small) result.
    /// Every stage up to the analysis must be writable as SQL; one that is not is an error at it.
    func pushed(_ pipeline: Pipeline, _ db: Identifier, _ table: Identifier, _ binder: PlanBinder) throws -> any PlanNode {
        let database = try database(db, binder.source)
        guard let dialect = database.dialect.flatMap(SQLDialect.named) else {
            throw EngineError.internalError("\(database.kind) has no SQL dialect to push to")
        }
        let compiler = SQLCompiler(dialect: dialect, context: context)
        // every table read before the engine's result must be in the same database
        func sameDatabase(_ plan: any PlanNode) throws {
            for case let scan as ScanNode in plan.walk().map(\.node) where scan.remote == nil || !scan.name.hasPrefix(db.name + ".") {
                throw CannotPushError(scan, "\(scan.name) is not a table of \(db.name), so the pipeline cannot run inside it")
            }
        }
        bindingWithoutData = true
        defer { bindingWithoutData = false }
        let described = "\(db.name).\(table.name)"
        do {
            // the whole pipeline as one statement, when every stage can be written (a lifecycle
            // followed by stages that reduce it included): only its result comes back
            let whole = try binder.bindStages(pipeline, try scan(db, table, columns: nil, binder.source, binder.lowering), described)
            if !(whole is WhyNotNode || whole is SQLCounting), (try? sameDatabase(whole)) != nil, let query = try? compiler.compile(whole) {
                return PushedNode(database: db.name, sql: query.text(dialect), schema: whole.schema,
                                  label: "run in \(database.kind): \(binder.source.text(of: pipeline.span))", span: pipeline.span)
            }
            // else the first analysis verb runs inside the engine and the stages after it in memory
            var analysed = false
            let plan = try binder.bindStages(pipeline, try scan(db, table, columns: nil, binder.source, binder.lowering), described) { node in
                guard !analysed, node is WhyNotNode || node is SQLCounting else { return nil }
                try sameDatabase(node)
                analysed = true
                // the stages after it run in memory: the tables they name are read (or pushed) as usual
                self.bindingWithoutData = false
                if let why = node as? WhyNotNode { return try why.pushed(compiler, database: db.name) }
                return try (node as! SQLCounting).pushed(compiler, database: db.name)
            }
            if analysed { return plan }
            try sameDatabase(plan)
            let sql = try compiler.compile(plan).text(dialect)
            return PushedNode(database: db.name, sql: sql, schema: plan.schema, label: "run in \(database.kind): \(binder.source.text(of: pipeline.span))",
                              span: pipeline.span)
        } catch let e as CannotPushError {
            throw Diagnostic(e.message, at: binder.lowering.span(of: e.sourceRef) ?? e.span, in: binder.source,
                             hint: "set pushdown = off runs it in memory (reading the table's columns)", kind: .invalid)
        }
    }

    /// `explain sql [dialect] <pipeline>`: the statement the pipeline becomes, bound without
    /// reading any rows. The dialect is the attached database's unless named.
    func explainSQL(_ pipeline: Pipeline, dialect named: Identifier?, _ binder: PlanBinder, _ source: Source) throws -> [StatementOutput] {
        bindingWithoutData = true
        defer { bindingWithoutData = false }
        let plan = try binder.bind(pipeline)
        var dialect = named.flatMap { SQLDialect.named($0.name) }
        if dialect == nil, case .attached(let db, _) = pipeline.origin { dialect = databases[db.name]?.dialect.flatMap(SQLDialect.named) }
        guard let dialect else {
            throw Diagnostic("which SQL? name a dialect: explain sql postgresql …, explain sql duckdb …, explain sql spark …",
                             at: pipeline.span, in: source, hint: "the tables of an attached PostgreSQL, DuckDB or Spark database use its dialect without naming it")
        }
        do {
            // an analysis verb sends its own statements; the stages after it run in memory on its result
            if !(plan is WhyNotNode || plan is SQLCounting), let whole = try? SQLCompiler(dialect: dialect, context: context).compile(plan) {
                return [.text(whole.text(dialect))]
            }
            var chain: [any PlanNode] = [plan]
            while let next = chain.last?.inputs.first { chain.append(next) }
            guard let k = chain.lastIndex(where: { $0 is WhyNotNode || $0 is SQLCounting }) else {
                return [.text(try SQLCompiler(dialect: dialect, context: context).compile(plan).text(dialect))]
            }
            let after = chain[..<k].reversed().map(\.label)
            let then: [StatementOutput] = after.isEmpty ? [] : [.message("then in memory, on its result: " + after.joined(separator: " | "))]
            let compiler = SQLCompiler(dialect: dialect, context: context)
            if let why = chain[k] as? WhyNotNode {
                let first = try why.pushed(compiler, database: "").firstStatement(context)
                return [.text(first), .message("then: the values of the text columns, the cut points of the number columns, and one query per depth "
                                                 + "with grouping sets, written from what the first one counts")] + then
            }
            let written = try (chain[k] as! SQLCounting).pushed(compiler, database: "")
            let (statements, complete) = try written.statements(context)
            return statements.map { .text($0 + ";") } + (complete ? [] : [.message(written.later)]) + then
        } catch let e as CannotPushError {
            throw Diagnostic(e.message, at: binder.lowering.span(of: e.sourceRef) ?? e.span, in: source,
                             hint: "the pipeline still runs in memory: write it without explain sql", kind: .invalid)
        }
    }

    /// What reading a plan's database tables could not keep, as messages.
    static func warnings(of plan: any PlanNode) -> [StatementOutput] {
        plan.walk().flatMap { ($0.node as? ScanNode)?.warnings ?? [] }.map { .message("note: \($0)") }
    }

    /// `describe crm.customers`: columns and types without reading the rows (PostgreSQL), with
    /// the row count or its estimate.
    func describeAttached(_ db: Identifier, _ table: Identifier, _ source: Source, _ lowering: Lowering) throws -> [StatementOutput] {
        let database = try database(db, source)
        let d = try lowering.diagnosing(at: table.span, columnsOf: nil) { try database.describe(table.name) }
        let listing = try Table([("column", .strings(d.schema.fields.map(\.name))), ("type", .strings(d.schema.fields.map { $0.type.rawValue }))])
        var out: [StatementOutput] = [.table(listing, totalRows: listing.rowCount)]
        out.append(.message("\(db.name).\(table.name): \(d.estimated ? "about " : "")\(Value.grouped(d.rows)) rows, \(d.schema.fields.count) columns (\(database.kind))"))
        out += d.notes.map { .message("note: \($0)") }
        return out
    }
}
