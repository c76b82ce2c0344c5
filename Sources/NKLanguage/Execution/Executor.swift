import Foundation
import NKAnalysis
import NKEngine

/// Runs statements on a session: checks each pipeline on schema-only tables first (so name and
/// type errors appear before any data is touched), then runs it.
extension Session {
    /// Parses and runs a whole source, statement by statement, returning every diagnostic.
    ///
    /// A syntax error anywhere stops the script before anything runs (all syntax errors are
    /// reported). With `keepGoing`, the statements that parsed run anyway and every error is
    /// reported in source order; otherwise the first failing statement ends the run.
    /// `beforeStatement` sees each statement before it runs; returning false ends the run there
    /// (step mode's "stop"), with the failures so far.
    public func run(_ source: Source, keepGoing: Bool = false, emit: (StatementOutput) -> Void,
                    beforeStatement: (Statement) -> Bool = { _ in true },
                    statementFinished: (Statement) -> Void = { _ in }) -> [Diagnostic] {
        let items = Parser.items(source)
        let syntaxErrors = items.compactMap { item -> Diagnostic? in if case .error(let d) = item { return d } else { return nil } }
        if !syntaxErrors.isEmpty, !keepGoing { return syntaxErrors }
        var failures: [Diagnostic] = []
        for item in items {
            switch item {
            case .error(let d):
                failures.append(d)
            case .statement(let statement):
                guard beforeStatement(statement) else { return failures }
                do {
                    defer { statementFinished(statement) }
                    context.cancellation.reset()
                    for output in try execute(statement, in: source) { emit(output) }
                } catch let d as Diagnostic {
                    failures.append(d)
                    if !keepGoing { return failures }
                } catch {
                    failures.append(Diagnostic("\(error)", at: statement.span, in: source))
                    if !keepGoing { return failures }
                }
            }
        }
        return failures
    }

    /// Runs one statement.
    public func execute(_ statement: Statement, in source: Source) throws -> [StatementOutput] {
        let lowering = Lowering(source: source)
        switch statement.kind {
        case .load(let path, let pathSpan, let alias, let options):
            let csv = try LoadOptions.csvOptions(options, source: source)
            let full = resolve(path)
            var isDirectory: ObjCBool = false
            if let alias, FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), isDirectory.boolValue {
                throw Diagnostic("`as` names one table, but \(path) is a folder", at: alias.span, in: source,
                                 hint: "load the folder without `as`: each file becomes a table named after it")
            }
            let loaded: [Loaded]
            do {
                loaded = try engine(at: pathSpan, source, lowering) { try load(full, as: alias?.name, options: csv) }
            } catch var d as Diagnostic {
                if let base = baseDirectory, !path.hasPrefix("/"), d.message.hasSuffix("no such file or directory") {
                    d.hint = "paths in a script start in the script's folder, here \(base.isEmpty ? "." : base)"
                }
                throw d
            }
            var out: [StatementOutput] = []
            for l in loaded {
                out.append(.message("loaded \(l.name): \(Value.grouped(l.table.rowCount)) rows, \(l.table.columnCount) columns"))
                for note in l.notes { out.append(.message("note: \(note)")) }
            }
            return out
        case .assign(let name, let pipeline):
            let result = try evaluate(pipeline, source, lowering)
            set(name.name, result)
            return [.message("\(name.name): \(Value.grouped(result.rowCount)) rows, \(result.columnCount) columns")]
        case .query(let pipeline):
            let result = try evaluate(pipeline, source, lowering)
            if let last = pipeline.stages.last, let analysis = lastAnalysis {
                switch (last.kind, analysis) {
                case (.compare, .comparison(let comparison)): return Session.outputs(of: comparison)
                case (.whyNot, .whyNot(let result)): return Session.outputs(of: result)
                case (.lifecycle(let options), .lifecycle(let result)):
                    if options.history, let history = result.history { return [.table(history, totalRows: history.rowCount)] }
                    return outputs(of: result)
                case (.segmentation, .pareto(let result, let measure)): return outputs(of: result, measure: measure)
                case (.segmentation, .rfm(let result)): return outputs(of: result)
                case (.segmentation, .value(let result)): return outputs(of: result)
                case (.segmentation, .persona(let result, let patterns)): return outputs(of: result, patterns: patterns)
                case (.lookalike, .lookalike(let result)):
                    return [.message("\(Value.grouped(result.modelRows)) model rows against \(Value.grouped(result.otherRows)) others; "
                                     + "logistic regression with an L2 penalty, \(result.iterations) Newton steps; the values that weigh most:"),
                            .table(result.weights, totalRows: result.weights.rowCount),
                            .table(result.rows, totalRows: result.rows.rowCount)]
                case (.segmentation, .clv(let result)):
                    return [.message("horizon: \(Value.formatFloat((result.horizonWeeks * 100).rounded() / 100)) weeks; parameters by maximum likelihood:"),
                            .table(result.parameters, totalRows: result.parameters.rowCount),
                            .table(result.customers, totalRows: result.customers.rowCount)]
                case (.segmentation, .cohort(let result)):
                    return [.table(result.table, totalRows: result.table.rowCount)] + Cohorts.strips(result.table).map { .text($0) }
                default: break
                }
            }
            return [.table(result, totalRows: result.rowCount)]
        case .compare(let first, let second, let columns, let allValues):
            let a = try evaluate(first, source, lowering), b = try evaluate(second, source, lowering)
            func label(_ p: Pipeline, _ fallback: String) -> String {
                if case .table(let name) = p.origin, p.stages.isEmpty { return name.name }
                return fallback
            }
            var labels = (label(first, "a"), label(second, "b"))
            if labels.0 == labels.1 { labels = ("a", "b") }
            for c in columns where a.index(of: c.name) == nil || b.index(of: c.name) == nil {
                let missing = a.index(of: c.name) == nil ? a : b
                throw Diagnostic("no column `\(c.name)` in \(a.index(of: c.name) == nil ? labels.0 : labels.1)", at: c.span, in: source,
                                 hint: NameSuggestion.nearest(to: c.name, in: missing.names).map { "did you mean `\($0)`?" })
            }
            let comparison = try engine(at: statement.span, source, lowering) {
                try Compare.run(a, b, labels: labels, columns: columns.isEmpty ? nil : columns.map(\.name),
                                maximumValues: allValues ? nil : Compare.maximumValues)
            }
            return Session.outputs(of: comparison)
        case .whyNot(let first, let second, let options):
            let a = try evaluate(first, source, lowering), b = try evaluate(second, source, lowering)
            func label(_ p: Pipeline) -> String {
                if case .table(let name) = p.origin, p.stages.isEmpty { return name.name }
                return source.text(of: p.span)
            }
            let labels = (label(first), label(second))
            for (table, pipeline, name) in [(a, first, labels.0), (b, second, labels.1)] where table.rowCount == 0 {
                throw Diagnostic("\(name) has no rows: there is no group to explain", at: pipeline.span, in: source)
            }
            let common = a.names.filter { b.index(of: $0) != nil }
            for c in options.columns + options.reasons where a.index(of: c.name) == nil || b.index(of: c.name) == nil {
                let missing = a.index(of: c.name) == nil ? a : b
                throw Diagnostic("no column `\(c.name)` in \(a.index(of: c.name) == nil ? labels.0 : labels.1)", at: c.span, in: source,
                                 hint: NameSuggestion.nearest(to: c.name, in: missing.names).map { "did you mean `\($0)`?" })
            }
            let result = try engine(at: statement.span, source, lowering) { () -> WhyNot.Result in
                let both = try Table.append([try a.selecting(common), try b.selecting(common)])
                let target = [UInt8](repeating: 1, count: a.rowCount) + [UInt8](repeating: 0, count: b.rowCount)
                let groups = WhyNot.Groups(target: labels.0, verb: "be in \(labels.0) rather than \(labels.1)",
                                           mirror: "why-not \(source.text(of: second.span)) vs \(source.text(of: first.span))")
                return try WhyNot.run(both, target: target, groups: groups, options: Session.whyNotOptions(options, excluded: []),
                                      cancellation: context.cancellation)
            }
            return Session.outputs(of: result)
        case .save(let pipeline, let path, let pathSpan, let overwrite):
            let result = try evaluate(pipeline, source, lowering)
            let full = URL(fileURLWithPath: resolve(path)).standardizedFileURL.path
            // a file this session did not write is the user's: replace it only when told to
            if FileManager.default.fileExists(atPath: full), !overwrite, !overwriteFiles, !written.contains(full) {
                throw Diagnostic("\(path) exists, and nk did not write it in this session: it is left as it is", at: pathSpan, in: source,
                                 hint: "to replace it: save … to \"\(path)\" overwrite (or .set overwrite on)")
            }
            try engine(at: pathSpan, source, lowering) { try TableFile.write(result, to: full) }
            written.insert(full)
            return [.message("saved \(Value.grouped(result.rowCount)) rows to \(path)")]
        case .show(let name, let rows):
            let table = try lookup(name, source)
            return [.table(table.head(rows ?? 10), totalRows: table.rowCount)]
        case .describe(let pipeline):
            let table = try evaluate(pipeline, source, lowering)
            let summary = try engine(at: pipeline.span, source, lowering) { try Profile.summary(of: table, context: context) }
            return [.table(summary, totalRows: summary.rowCount)]
        case .drop(let names):
            for n in names { _ = try lookup(n, source) }
            for n in names { remove(n.name) }
            return [.message("dropped " + names.map(\.name).joined(separator: ", "))]
        case .print(let text):
            return [.text(text)]
        case .set(let setting, let value):
            return try apply(setting, value, source, lowering)
        }
    }

    // MARK: pipelines

    func evaluate(_ pipeline: Pipeline, _ source: Source, _ lowering: Lowering) throws -> Table {
        // first on empty tables of the same columns: every name and type checked before the data
        _ = try evaluate(pipeline, source, lowering, schemaOnly: true)
        return try evaluate(pipeline, source, lowering, schemaOnly: false)
    }

    func evaluate(_ pipeline: Pipeline, _ source: Source, _ lowering: Lowering, schemaOnly: Bool) throws -> Table {
        var table: Table
        var described: String
        switch pipeline.origin {
        case .table(let name):
            let t = try lookup(name, source)
            table = schemaOnly ? Table.empty(t.schema) : t
            described = name.name
        case .nested(let inner):
            table = try evaluate(inner, source, lowering, schemaOnly: schemaOnly)
            described = "the pipeline in parentheses"
        }
        for stage in pipeline.stages {
            try context.cancellation.check()
            let input = table
            let inputName = described
            table = try engine(at: stage.keyword, source, lowering, columnsOf: inputName) {
                try apply(stage, to: input, source, lowering, schemaOnly: schemaOnly)
            }
            switch stage.kind {
            case .select, .segmentBy, .aggregate, .count, .distinct, .lifecycle, .segmentation, .lookalike:
                described = "the result of `\(source.text(of: stage.keyword))`"
            case .join(let other, _, _):
                described = "\(inputName) joined with \(source.text(of: other.span))"
            default: break
            }
        }
        return table
    }

    private func apply(_ stage: Stage, to table: Table, _ source: Source, _ lowering: Lowering, schemaOnly: Bool) throws -> Table {
        switch stage.kind {
        case .filter(let condition):
            return try table.filter(try lowering.lower(condition), context: context)
        case .select(let items):
            return try table.project(try items.map { NamedExpr(outputName($0, source), try lowering.lower($0.expression)) }, context: context)
        case .derive(let items):
            return try table.deriving(try items.map { NamedExpr($0.0.name, try lowering.lower($0.1)) }, context: context)
        case .sort(let items):
            return try table.sorted(by: try items.map { SortKey(try lowering.lower($0.expression), descending: $0.descending ?? false) }, context: context)
        case .top(let n, let items):
            if items.isEmpty { return table.head(n) }
            return try table.top(n, by: try items.map { SortKey(try lowering.lower($0.expression), descending: $0.descending ?? true) }, context: context)
        case .head(let n):
            return table.head(n)
        case .segmentBy(let keys, let aggregates):
            let keyExprs = try keys.map { NamedExpr(outputName($0, source), try lowering.lower($0.expression)) }
            var (aggs, outputs) = try lowering.aggregateItems(aggregates, keys: keyExprs.map(\.name))
            if aggs.isEmpty { aggs = [Aggregate(.count), Aggregate(.share)] }
            // biggest groups first (ties keep the order of first appearance)
            let sizeName = "\u{1}size"
            let grouped = try table.groupBy(keyExprs, aggs + [Aggregate(.count, as: sizeName)], context: context)
            let sorted = try grouped.sorted(by: [SortKey(.column(sizeName), descending: true)], context: context)
            if let outputs { return try sorted.project(outputs, context: context) }
            return try sorted.selecting(sorted.names.filter { $0 != sizeName })
        case .aggregate(let aggregates):
            let (aggs, outputs) = try lowering.aggregateItems(aggregates, keys: [])
            let grouped = try table.groupBy([], aggs, context: context)
            return try outputs.map { try grouped.project($0, context: context) } ?? grouped
        case .count:
            return try Table([("count", Column(.integer([Int64(table.rowCount)])))])
        case .join(let other, let keys, let kind):
            let right = try evaluate(other, source, lowering, schemaOnly: schemaOnly)
            let otherName = source.text(of: other.span)
            for (l, r) in keys {
                if table.index(of: l.name) == nil {
                    throw Diagnostic("no column `\(l.name)` to join on", at: l.span, in: source,
                                     hint: NameSuggestion.nearest(to: l.name, in: table.names).map { "did you mean `\($0)`?" })
                }
                if right.index(of: r.name) == nil {
                    throw Diagnostic("no column `\(r.name)` in \(otherName)", at: r.span, in: source,
                                     hint: NameSuggestion.nearest(to: r.name, in: right.names).map { "did you mean `\($0)`?" }
                                        ?? "join \(otherName) on left_column = right_column")
                }
            }
            return try table.join(right, on: keys.map { ($0.0.name, $0.1.name) }, kind: kind, context: context)
        case .compare(let comparison, let columns, let allValues):
            for c in columns where table.index(of: c.name) == nil {
                throw Diagnostic("no column `\(c.name)`", at: c.span, in: source,
                                 hint: NameSuggestion.nearest(to: c.name, in: table.names).map { "did you mean `\($0)`?" })
            }
            let (groups, labels, used) = try split(table, comparison, source, lowering)
            let named = columns.isEmpty ? nil : columns.map(\.name)
            let result = try Compare.run(table, groups: groups, labels: labels, columns: named, excluding: used,
                                         maximumValues: allValues ? nil : Compare.maximumValues)
            if !schemaOnly { lastAnalysis = .comparison(result) }
            return result.summary
        case .lookalike(let other, let like, let columns):
            let model = try evaluate(other, source, lowering, schemaOnly: schemaOnly)
            for c in columns where table.index(of: c.name) == nil || model.index(of: c.name) == nil {
                let missing = table.index(of: c.name) == nil ? table : model
                throw Diagnostic("no column `\(c.name)` in \(table.index(of: c.name) == nil ? "the input" : source.text(of: other.span))",
                                 at: c.span, in: source, hint: NameSuggestion.nearest(to: c.name, in: missing.names).map { "did you mean `\($0)`?" })
            }
            var isModel = [UInt8](repeating: 1, count: model.rowCount)
            if let like {
                let predicate = try lowering.lower(like)
                if let type = try? model.bind(predicate, context: context).type, type != .boolean {
                    throw Diagnostic("`like` needs a condition that is true or false, not \(type.withArticle) value", at: like.span, in: source,
                                     hint: "the rows where it is true are the model, e.g. like class = \"A\"")
                }
                let rows = try model.selection(where: predicate, context: context)
                isModel = [UInt8](repeating: 0, count: model.rowCount)
                for r in rows { isModel[Int(r)] = 1 }
            }
            if schemaOnly {
                var empty = Table.empty(table.schema)
                empty = try empty.setting("lookalike_score", .floats([]))
                empty = try empty.setting("rank", .integers([]))
                return try empty.setting("because", .strings([]))
            }
            var options = Lookalike.Options()
            options.columns = columns.isEmpty ? nil : columns.map(\.name)
            options.excluded = Set(like?.columnNames ?? [])
            let result = try engine(at: stage.keyword, source, lowering) {
                try Lookalike.run(candidates: table, model: model, isModel: isModel, againstCandidates: like == nil, options: options,
                                  cancellation: context.cancellation)
            }
            lastAnalysis = .lookalike(result)
            return result.rows
        case .segmentation(let kind, let options):
            return try segmentation(kind, options, table, at: stage.keyword, source, lowering, schemaOnly: schemaOnly)
        case .lifecycle(let options):
            let result = try lifecycle(table, options, at: stage.keyword, source, lowering, schemaOnly: schemaOnly)
            if !schemaOnly { lastAnalysis = .lifecycle(result) }
            if options.history {
                // the trend table: classes per month end
                return try result.history ?? Table([("day", Column(.date([])))] + [Lifecycle.Class.active, .new, .reactivated, .lapsed].map {
                    ($0.label(language), Column(.integer([])))
                })
            }
            return result.customers
        case .whyNot(let condition, let options):
            for c in options.columns + options.reasons where table.index(of: c.name) == nil {
                throw Diagnostic("no column `\(c.name)`", at: c.span, in: source,
                                 hint: NameSuggestion.nearest(to: c.name, in: table.names).map { "did you mean `\($0)`?" })
            }
            let predicate = try lowering.lower(condition)
            if let type = try? table.bind(predicate, context: context).type, type != .boolean {
                throw Diagnostic("why-not needs a condition that is true or false, not \(type.withArticle) value", at: condition.span, in: source,
                                 hint: "the rows where it is true are the target group, e.g. why-not \(source.text(of: condition.span)) > 0")
            }
            let rows = try table.selection(where: predicate, context: context)
            if schemaOnly { return Table.empty(WhyNot.schema) }
            let text = source.text(of: condition.span)
            if rows.isEmpty || rows.count == table.rowCount {
                throw Diagnostic(rows.isEmpty ? "no row matches \(text): the target group is empty"
                                              : "every row matches \(text): there are no other rows to compare with",
                                 at: condition.span, in: source,
                                 hint: table.rowCount == 0 ? "the table has no rows" : "check the condition: filter \(text) | count")
            }
            var target = [UInt8](repeating: 0, count: table.rowCount)
            for r in rows { target[Int(r)] = 1 }
            let groups = WhyNot.Groups(target: text, verb: "match \(text)", mirror: "why-not not (\(text))")
            let result = try WhyNot.run(table, target: target, groups: groups,
                                        options: Session.whyNotOptions(options, excluded: Set(condition.columnNames)),
                                        cancellation: context.cancellation)
            lastAnalysis = .whyNot(result)
            return result.patterns
        case .distinct(let columns):
            for c in columns where table.index(of: c.name) == nil {
                throw Diagnostic("no column `\(c.name)`", at: c.span, in: source,
                                 hint: NameSuggestion.nearest(to: c.name, in: table.names).map { "did you mean `\($0)`?" })
            }
            return try table.distinct(columns.isEmpty ? nil : columns.map(\.name), context: context)
        }
    }

    /// The two groups of `compare where` (matching rows and the rest) or `compare by` (the
    /// rows of each of the expression's two values), as a group per row (0, 1, or 2 for
    /// neither), their labels, and the columns that define them (left out of the comparison).
    private func split(_ table: Table, _ comparison: Stage.Comparison, _ source: Source, _ lowering: Lowering) throws -> ([UInt8], (String, String), Set<String>) {
        switch comparison {
        case .condition(let condition):
            let rows = try table.selection(where: try lowering.lower(condition), context: context)
            var groups = [UInt8](repeating: 1, count: table.rowCount)
            for r in rows { groups[Int(r)] = 0 }
            return (groups, ("match", "rest"), Set(condition.columnNames))
        case .groups(let expression):
            let key = try table.evaluate(try lowering.lower(expression), context: context)
            let values = try Table([("k", key)]).filter(!.isNull(.col("k")), context: context).distinct(context: context)
            if table.rowCount > 0, values.rowCount != 2 {
                throw Diagnostic("`compare by` needs exactly two values, \(source.text(of: expression.span)) has \(values.rowCount)",
                                 at: expression.span, in: source, hint: "compare where \(source.text(of: expression.span)) = … compares one value with the rest")
            }
            let used = Set(expression.columnNames)
            guard values.rowCount == 2 else { return ([UInt8](repeating: 2, count: table.rowCount), ("a", "b"), used) }
            let first = values.columns[0][0], second = values.columns[0][1]
            var groups = [UInt8](repeating: 2, count: table.rowCount)
            let keys = try Table([("k", key)])
            for r in try keys.selection(where: .column("k") == .literal(first), context: context) { groups[Int(r)] = 0 }
            for r in try keys.selection(where: .column("k") == .literal(second), context: context) { groups[Int(r)] = 1 }
            return (groups, (first.description, second.description), used)
        }
    }

    static func whyNotOptions(_ written: WhyNotOptions, excluded: Set<String>) -> WhyNot.Options {
        var options = WhyNot.Options()
        options.columns = written.columns.isEmpty ? nil : written.columns.map(\.name)
        options.excluded = excluded
        if let depth = written.depth { options.depth = depth }
        if let support = written.minSupportPercent { options.minSupportPercent = support }
        if let ratio = written.minRatio { options.minRatio = ratio }
        if let q = written.maxQ { options.maxQ = q }
        options.reasons = written.reasons.map(\.name)
        options.keepAll = written.all
        return options
    }

    static func outputs(of result: WhyNot.Result) -> [StatementOutput] {
        var out: [StatementOutput] = result.summary.map { .message($0) }
        if result.patterns.rowCount == 0 {
            out.append(.message("no pattern survives; add `all` to list every pattern tested with the reason it was dropped"))
        }
        out.append(.table(result.patterns, totalRows: result.patterns.rowCount))
        out += result.findings.map { .text($0) }
        for (column, table) in result.reasons {
            out.append(.message("\nstated \(column):"))
            out.append(.table(table, totalRows: table.rowCount))
        }
        return out
    }

    static func outputs(of comparison: Compare.Result) -> [StatementOutput] {
        var out: [StatementOutput] = [.table(comparison.summary, totalRows: comparison.summary.rowCount)]
        for (column, tables) in comparison.details {
            out.append(.message("\n\(column):"))
            for t in tables { out.append(.table(t, totalRows: t.rowCount)) }
        }
        return out
    }

    /// `as name`, else a column's own name, else the written text.
    private func outputName(_ item: NamedExpression, _ source: Source) -> String {
        if let alias = item.alias { return alias.name }
        if case .column(let name) = item.expression.kind { return name }
        return Lowering.defaultName(source.text(of: item.expression.span))
    }

    // MARK: names, settings, errors

    func lookup(_ name: Identifier, _ source: Source) throws -> Table {
        if let t = table(name.name) { return t }
        let hint: String
        if let near = NameSuggestion.nearest(to: name.name, in: order) {
            hint = "did you mean `\(near)`?"
        } else if order.isEmpty {
            hint = "no tables yet: load a CSV file first, e.g. load \"Datasets/demo/customers.csv\""
        } else {
            hint = "tables: " + order.joined(separator: ", ")
        }
        throw Diagnostic("no table `\(name.name)`", at: name.span, in: source, hint: hint)
    }

    private func apply(_ setting: Identifier, _ value: Expression, _ source: Source, _ lowering: Lowering) throws -> [StatementOutput] {
        switch setting.name.lowercased() {
        case "today":
            let expr = try lowering.lower(value)
            let column = try engine(at: value.span, source, lowering) { try Table(rowCount: 1).evaluate(expr, context: context) }
            guard case .date(let day) = column[0] else {
                throw Diagnostic("`today` must be set to a date, as in set today = 2025-06-30", at: value.span, in: source)
            }
            context.today = day
            todayIsSet = true
            return [.message("today is \(CivilDate.format(Int(day)))")]
        case "lang", "language":
            var written: String?
            switch value.kind {
            case .column(let name): written = name
            case .literal(.string(let text)): written = text
            default: break
            }
            guard let code = written?.lowercased(), let language = LabelLanguage(rawValue: code == "english" ? "en" : code == "german" || code == "deutsch" ? "de" : code) else {
                throw Diagnostic("`lang` is en or de", at: value.span, in: source, hint: "set lang = de writes segment labels in German")
            }
            self.language = language
            return [.message(language == .german ? "Segmente heißen jetzt auf Deutsch" : "segment labels are in English")]
        case "memory_limit", "memory-limit":
            var bytes: Int?
            switch value.kind {
            case .literal(.string(let text)): bytes = ExecutionContext.parseBytes(text)
            case .literal(.integer(let n)) where n > 0: bytes = Int(n)
            default: break
            }
            guard let bytes else {
                throw Diagnostic("`memory_limit` is a size such as \"4GB\" or \"512MB\"", at: value.span, in: source,
                                 hint: "set memory_limit = \"4GB\" (at the prompt: .set memory_limit 4GB)")
            }
            context.memoryLimit = bytes
            return [.message("memory limit: \(ExecutionContext.formatBytes(bytes)) per result")]
        case "overwrite":
            var on: Bool?
            switch value.kind {
            case .literal(.boolean(let b)): on = b
            case .column(let word): on = ["on": true, "yes": true, "off": false, "no": false][word.lowercased()]
            case .literal(.string(let text)): on = ["on": true, "off": false][text.lowercased()]
            default: break
            }
            guard let on else {
                throw Diagnostic("`overwrite` is on or off", at: value.span, in: source, hint: "set overwrite = on lets save replace files nk did not write")
            }
            overwriteFiles = on
            return [.message(on ? "save may replace existing files" : "save leaves files it did not write alone")]
        default:
            throw Diagnostic("no setting `\(setting.name)`", at: setting.span, in: source, hint: "settings: today, lang, overwrite, memory_limit")
        }
    }

    /// Paths in a script are relative to the script's folder.
    public func resolve(_ path: String) -> String {
        if path.hasPrefix("/") || path.hasPrefix("~") { return (path as NSString).expandingTildeInPath }
        guard let base = baseDirectory else { return path }
        return (base as NSString).appendingPathComponent(path)
    }

    /// Runs engine work, turning its errors into diagnostics at the tagged span (or `fallback`).
    @discardableResult
    func engine<T>(at fallback: SourceSpan, _ source: Source, _ lowering: Lowering, columnsOf described: String? = nil,
                   _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as EngineError {
            var message = e.message
            if let described, e.category == .unknownName, message.hasPrefix("no column") { message += " in \(described)" }
            if e.category == .cancelled { message = "cancelled" }
            if let location = e.location {
                message = "\(location): \(message)"
            }
            throw Diagnostic(message, at: lowering.span(of: e.sourceRef) ?? fallback, in: source, hint: e.hint)
        }
    }
}

extension Session {
    /// The columns a pipeline written so far produces, found without touching data (for
    /// completion); nil when the text is not a pipeline nk can read yet.
    public func schema(ofPipeline text: String) -> [Field]? {
        let source = Source(name: "<completion>", text: text)
        let (statements, diagnostics) = Parser.parse(source)
        guard diagnostics.isEmpty, let statement = statements.last else { return nil }
        let pipeline: Pipeline
        switch statement.kind {
        case .query(let p), .assign(_, let p), .describe(let p), .save(let p, _, _, _): pipeline = p
        default: return nil
        }
        let lowering = Lowering(source: source)
        return (try? evaluate(pipeline, source, lowering, schemaOnly: true))?.schema
    }
}
