import NKEngine

/// The columns a verb takes when none is named, guessed from names and types alone.
enum ColumnGuess {
    /// The only date or timestamp column.
    static func date(_ schema: Schema) -> String? {
        single(schema.fields.filter { $0.type.isTemporal }.map(\.name))
    }

    /// The customer column of an order log: the one integer or text column whose name marks
    /// an identifier (`id`, `*_id`, `*_nr`, `kunde*`, `customer*`) and names customers
    /// (`customer`, `kunde`, `client`).
    static func customer(_ schema: Schema) -> String? {
        let candidates = schema.fields.filter { field in
            let n = field.name.lowercased()
            guard n == "id" || n.hasSuffix("_id") || n.hasSuffix("id") || n.hasSuffix("_nr") || n.hasPrefix("kunde") || n.hasPrefix("customer") else { return false }
            return field.type == .integer || field.type == .string
        }
        return single(candidates.map(\.name).filter { name in ["customer", "kunde", "client"].contains { name.lowercased().contains($0) } })
    }

    static func single(_ names: [String]) -> String? { names.count == 1 ? names[0] : nil }
}

extension StageBinder {
    /// The column named (checked to exist), or the one guess when none is named.
    func column(_ named: Identifier?, in schema: Schema, named tableName: String, guess: (Schema) -> String?,
                what: String, example: String) throws -> String {
        if let named {
            try requireColumns([named], in: schema, named: tableName)
            return named.name
        }
        guard let guessed = guess(schema) else {
            throw error("cannot tell \(what) of \(tableName): name it, as in \(example)", at: stage.keyword,
                        hint: "columns: " + schema.names.joined(separator: ", "))
        }
        return guessed
    }

    /// The reference day of a segmentation: `as of` when written, else `today()` when set, else
    /// nil (the latest date in the data).
    func referenceDay(_ expression: Expression?) throws -> Int32? {
        guard let expression else { return session.todayIsSet ? context.today : nil }
        let value = try engine(at: expression.span) {
            try Table(rowCount: 1).evaluate(try lower(expression), context: context)[0]
        }
        guard case .date(let day) = value else {
            throw error("`as of` needs a date, as in as of 2025-06-30", at: expression.span)
        }
        return day
    }
}
