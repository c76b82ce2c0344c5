/// A named column of a table's schema.
public struct Field: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var type: DataType
    public init(_ name: String, _ type: DataType) { self.name = name; self.type = type }
    public var description: String { "\(name) \(type)" }
}

/// An in-memory, columnar table: ordered, uniquely named columns of equal length.
public struct Table: Sendable {
    public private(set) var names: [String]
    public private(set) var columns: [Column]
    public let rowCount: Int

    /// Creates a table; names must be unique and non-empty, columns of equal length.
    public init(_ pairs: [(String, Column)]) throws {
        var seen = Set<String>(minimumCapacity: pairs.count)
        for (name, _) in pairs {
            if name.isEmpty { throw EngineError.invalidInput("a column name is empty") }
            if !seen.insert(name).inserted {
                throw EngineError.invalidInput("the column name \"\(name)\" appears twice", hint: "give each column its own name")
            }
        }
        let n = pairs.first?.1.count ?? 0
        for (name, column) in pairs where column.count != n {
            throw EngineError.internalError("column \"\(name)\" has \(column.count) rows, expected \(n)")
        }
        names = pairs.map(\.0)
        columns = pairs.map(\.1)
        rowCount = n
    }

    /// A table with the given columns and no rows: what type checking runs on before the data.
    public static func empty(_ schema: [Field]) -> Table {
        Table(uncheckedNames: schema.map(\.name), columns: schema.map { Column.nulls($0.type, count: 0) }, rowCount: 0)
    }

    /// A table with no columns and the given number of rows (the result of selecting nothing).
    public init(rowCount: Int) {
        names = []
        columns = []
        self.rowCount = rowCount
    }

    init(uncheckedNames names: [String], columns: [Column], rowCount: Int) {
        self.names = names
        self.columns = columns
        self.rowCount = rowCount
    }

    /// The schema: each column's name and type, in order.
    public var schema: [Field] { zip(names, columns).map { Field($0, $1.type) } }

    public var columnCount: Int { columns.count }

    /// The position of a column; exact match first, then a unique case-insensitive match.
    public func index(of name: String) -> Int? { Table.resolve(name, in: names) }

    public func column(_ name: String) -> Column? { index(of: name).map { columns[$0] } }

    public subscript(name: String) -> Column? { column(name) }

    /// One row, boxed (for display and tests).
    public func row(_ i: Int) -> [Value] { columns.map { $0[i] } }

    /// The rows at the given indices, every column gathered. - Complexity: O(rows × columns).
    public func gather(_ rows: [Int32]) -> Table {
        let cols = Parallel.map(columns.count, minimumWork: rows.count * columns.count) { i in
            columns[i].gather(rows)
        }
        return Table(uncheckedNames: names, columns: cols, rowCount: rows.count)
    }

    /// The rows at `rows`, stopping between columns once `cancellation` is set.
    public func gather(_ rows: [Int32], cancellation: CancellationFlag) throws -> Table {
        let cols = Parallel.map(columns.count, minimumWork: rows.count * columns.count) { i in
            cancellation.isCancelled ? nil : rows.withUnsafeBufferPointer { columns[i].gather($0, stop: { cancellation.isCancelled }) }
        }
        if cancellation.isCancelled {
            Discard.inBackground(consume cols)
            throw EngineError.cancelled
        }
        return Table(uncheckedNames: names, columns: cols.map { $0! }, rowCount: rows.count)
    }

    /// The rows in `range`.
    public func slice(_ range: Range<Int>) -> Table {
        Table(uncheckedNames: names, columns: columns.map { $0.slice(range) }, rowCount: range.count)
    }

    /// The first `n` rows.
    public func head(_ n: Int) -> Table { slice(0..<min(max(n, 0), rowCount)) }

    /// A table with one column added at the end, or replaced when the name exists.
    public func setting(_ name: String, _ column: Column) throws -> Table {
        guard column.count == rowCount || columns.isEmpty else {
            throw EngineError.internalError("column \"\(name)\" has \(column.count) rows, expected \(rowCount)")
        }
        var n = names, c = columns
        if let i = names.firstIndex(of: name) { c[i] = column } else { n.append(name); c.append(column) }
        return Table(uncheckedNames: n, columns: c, rowCount: column.count)
    }

    /// The named columns, in the given order.
    public func selecting(_ wanted: [String]) throws -> Table {
        var pairs: [(String, Column)] = []
        for w in wanted {
            guard let i = index(of: w) else { throw EngineError.unknownColumn(w, available: names) }
            pairs.append((names[i], columns[i]))
        }
        return try Table(pairs)
    }
}
