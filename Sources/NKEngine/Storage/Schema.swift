/// A table's columns without its rows: what binding works on. Each operation of the engine has
/// a schema counterpart here that gives the columns the operation would produce, with the same
/// names, types and errors, without touching data.
public struct Schema: Sendable, Hashable, CustomStringConvertible {
    public var fields: [Field]
    /// Where columns stand that only the data names (a cohort table has one column per
    /// period): before `fields[openAt]`, after the fields before it. Nil when there are none.
    public var openAt: Int?

    /// The fields; `openAt` places columns named by the data among them.
    public init(_ fields: [Field], openAt: Int? = nil) {
        self.fields = fields
        self.openAt = openAt
    }

    /// Whether columns named by the data stand among the fields.
    public var isOpen: Bool { openAt != nil }

    /// Whether a table's columns are these: the same fields in order, and where the schema is
    /// open, any number of other columns at its open place.
    public func describes(_ produced: [Field]) -> Bool {
        guard let openAt else { return produced == fields }
        return produced.count >= fields.count && Array(produced.prefix(openAt)) == Array(fields.prefix(openAt))
            && Array(produced.suffix(fields.count - openAt)) == Array(fields.suffix(fields.count - openAt))
    }

    public var names: [String] { fields.map(\.name) }
    public var types: [DataType] { fields.map(\.type) }
    public var count: Int { fields.count }

    /// The position of a column: exact match first, then a unique case-insensitive match.
    public func index(of name: String) -> Int? { Table.resolve(name, in: names) }

    /// The field of a column, or nil.
    public func field(_ name: String) -> Field? { index(of: name).map { fields[$0] } }

    public var description: String { items(open: "…").joined(separator: ", ") }

    /// The fields as `name type`, with `open` at the place of the columns the data names.
    public func items(open: String) -> [String] {
        var items = fields.map(\.description)
        if let openAt { items.insert(open, at: openAt) }
        return items
    }

    /// Resolves names and checks the types of `expr` against these columns.
    public func bind(_ expr: Expr, context: ExecutionContext = .standard) throws -> BoundExpr {
        try Binder(names: names, types: types, context: context).bind(expr)
    }

    /// The columns of ``Table/project(_:context:)``.
    public func projecting(_ outputs: [NamedExpr], context: ExecutionContext = .standard) throws -> Schema {
        try Schema.checked(outputs.map { Field($0.name, try bind($0.expr, context: context).type) })
    }

    /// The columns of ``Table/deriving(_:context:)``: each expression sees the ones before it.
    public func deriving(_ outputs: [NamedExpr], context: ExecutionContext = .standard) throws -> Schema {
        var s = self
        for o in outputs { s = s.setting(Field(o.name, try s.bind(o.expr, context: context).type)) }
        return s
    }

    /// These columns with one added at the end, or replaced where the name exists.
    public func setting(_ field: Field) -> Schema {
        var s = self
        if let i = s.fields.firstIndex(where: { $0.name == field.name }) { s.fields[i] = field } else { s.fields.append(field) }
        return s
    }

    /// The named columns, in the given order (``Table/selecting(_:)``).
    public func selecting(_ wanted: [String]) throws -> Schema {
        try Schema.checked(try wanted.map { w in
            guard let i = index(of: w) else { throw EngineError.unknownColumn(w, available: names) }
            return fields[i]
        })
    }

    /// The columns of ``Table/groupBy(_:_:context:)``: the keys, then one per aggregate.
    public func grouping(_ keys: [NamedExpr], _ aggregates: [Aggregate], context: ExecutionContext = .standard) throws -> Schema {
        var out = try keys.map { Field($0.name, try bind($0.expr, context: context).type) }
        for a in aggregates {
            do {
                let input = try a.argument.map { try bind($0, context: context).type }
                out.append(Field(a.name, try a.resultType(input: input)))
            } catch var e as EngineError {
                if e.sourceRef == nil { e.sourceRef = a.sourceRef }
                throw e
            }
        }
        return try Schema.checked(out)
    }

    /// The columns of ``Table/join(_:on:kind:rowLimit:context:)``.
    public func joining(_ right: Schema, on pairs: [(left: String, right: String)]) throws -> Schema {
        guard !pairs.isEmpty else { throw EngineError.invalidInput("a join needs at least one key", hint: "join t on customer_id") }
        for (l, r) in pairs {
            guard let li = index(of: l) else { throw EngineError.unknownColumn(l, available: names) }
            guard let ri = right.index(of: r) else { throw EngineError.unknownColumn(r, available: right.names) }
            let lt = fields[li].type, rt = right.fields[ri].type
            if lt != rt, DataType.common(lt, rt) == nil {
                throw EngineError.typeMismatch("cannot join \(l) (\(lt)) with \(r) (\(rt))",
                                               hint: "both keys must have the same type; convert one with integer(…) or string(…)")
            }
        }
        let kept = Table.joinedRightNames(left: names, right: right.names, pairs: pairs, leftIndex: index(of:), rightIndex: right.index(of:))
        // columns the data names on the right go after the right's kept columns
        return Schema(fields + kept.map { Field($0.name, right.fields[$0.index].type) },
                      openAt: openAt ?? (right.isOpen ? fields.count + kept.count : nil))
    }

    /// The columns of ``Table/distinct(_:context:)``.
    public func distinct(_ columnNames: [String]?) throws -> Schema {
        try columnNames.map { try selecting($0) } ?? self
    }

    /// The columns of ``Table/append(_:)``.
    public static func appending(_ schemas: [Schema]) throws -> Schema {
        guard let first = schemas.first else { return Schema([]) }
        var out: [Field] = []
        for field in first.fields {
            var type = field.type
            for s in schemas.dropFirst() {
                guard let other = s.fields.first(where: { $0.name == field.name }) else {
                    throw EngineError.invalidInput("cannot append: a table lacks the column \"\(field.name)\"",
                                                   hint: "append tables with the same columns, or select them first")
                }
                guard let common = DataType.common(type, other.type) else {
                    throw EngineError.typeMismatch("cannot append: \"\(field.name)\" is \(type) in one table and \(other.type) in another")
                }
                type = common
            }
            out.append(Field(field.name, type))
        }
        for s in schemas.dropFirst() where s.count != first.count {
            let extra = s.names.first { !first.names.contains($0) } ?? "?"
            throw EngineError.invalidInput("cannot append: a table has the extra column \"\(extra)\"",
                                           hint: "append tables with the same columns, or select them first")
        }
        return Schema(out)
    }

    /// The fields, checked as ``Table/init(_:)`` checks names: none empty, none twice.
    public static func checked(_ fields: [Field]) throws -> Schema {
        var seen = Set<String>()
        for f in fields {
            if f.name.isEmpty { throw EngineError.invalidInput("a column name is empty") }
            if !seen.insert(f.name).inserted {
                throw EngineError.invalidInput("the column name \"\(f.name)\" appears twice", hint: "give each column its own name")
            }
        }
        return Schema(fields)
    }
}

extension Table {
    /// The columns as a ``Schema``.
    public var columnSchema: Schema { Schema(schema) }

    /// The right table's columns a join keeps, with their output names: a right key named
    /// like its left partner is dropped; other clashes get the suffix `_right` (`_right2`, …).
    public static func joinedRightNames(left: [String], right: [String], pairs: [(left: String, right: String)],
                                 leftIndex: (String) -> Int?, rightIndex: (String) -> Int?) -> [(index: Int, name: String)] {
        let dropped = Set(pairs.filter { leftIndex($0.left).map { left[$0] } == rightIndex($0.right).map { right[$0] } }
            .compactMap { rightIndex($0.right) })
        var taken = Set(left)
        var kept: [(index: Int, name: String)] = []
        for (i, original) in right.enumerated() where !dropped.contains(i) {
            var name = original
            if taken.contains(name) {
                var candidate = name + "_right", k = 2
                while taken.contains(candidate) { candidate = "\(name)_right\(k)"; k += 1 }
                name = candidate
            }
            taken.insert(name)
            kept.append((i, name))
        }
        return kept
    }
}
