/// The result of parsing one stretch of a CSV file (its values are in the builders passed in).
struct PartResult {
    var rows: Int
    /// Offset just after the last row read (where the next part must start).
    var end: Int
    var problem: ProblemAt?
}

enum PartParser {
    /// Parses rows that start before `limit` (the last one may run past it), from `start`.
    static func parse(_ p: UnsafePointer<UInt8>, start: Int, limit: Int, end: Int, plan: ParsePlan,
                      into builders: inout [ColumnBuilder]) -> PartResult {
        for i in builders.indices { builders[i].reset() }
        var scratch = Scratch()
        defer { scratch.free() }
        var pos = start
        var rows = 0
        var problem: ProblemAt?
        let width = plan.width
        let delimiter = plan.delimiter
        builders.withUnsafeMutableBufferPointer { b in
            rowLoop: while pos < limit {
                let c = p[pos]
                if c == FieldScanner.lf || c == FieldScanner.cr {
                    _ = FieldScanner.skipLineBreak(p, &pos, end)
                    continue
                }
                let rowStart = pos
                var column = 0
                while true {
                    let fieldStart = pos
                    let f = FieldScanner.field(p, &pos, end, delimiter, &scratch)
                    if f.count < 0 {
                        problem = ProblemAt(f.count == FieldBytes.unterminatedQuote ? .unterminatedQuote : .textAfterQuote,
                                            f.count == FieldBytes.unterminatedQuote ? fieldStart : pos)
                        break rowLoop
                    }
                    if column < width {
                        let bad = b[column].append(f, at: fieldStart, plan)
                        if bad >= 0 {
                            problem = ProblemAt(.invalidUTF8, bad)
                            break rowLoop
                        }
                    }
                    column += 1
                    if pos < end, p[pos] == delimiter { pos += 1; continue }
                    break
                }
                if column != width {
                    problem = ProblemAt(column < width ? .tooFewFields(found: column) : .tooManyFields, rowStart)
                    break
                }
                _ = FieldScanner.skipLineBreak(p, &pos, end)
                rows += 1
            }
        }
        return PartResult(rows: rows, end: pos, problem: problem)
    }
}
