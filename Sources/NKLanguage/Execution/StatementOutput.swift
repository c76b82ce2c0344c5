import NKEngine

/// What a statement gives back for the shell to show.
public enum StatementOutput: Sendable {
    /// A query's typed result: a table, or a verb's own result, rendered by its kind.
    case result(any QueryResult)
    /// A table as it is; `totalRows` is the size of the table it was cut from (for `show`).
    case table(Table, totalRows: Int)
    /// A message about what happened (`loaded …`, a note from the CSV reader).
    case message(String)
    /// Narration from `print`.
    case text(String)
}
