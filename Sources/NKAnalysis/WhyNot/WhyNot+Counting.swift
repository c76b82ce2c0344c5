import NKEngine

/// Where why-not's counts come from: the rows in memory, or an engine that counts where the
/// data is (``WhyNotCounter``). Everything after the counting (the statistics, the judging,
/// the sentences) is the same for both, so the answers are the same.
extension WhyNot {
    /// How a column's values become the small codes why-not counts: a text column's values
    /// (nil: null), a true/false column's, or a number column's cut points. A code is the
    /// index of its value; for cut points, the number of cuts at or below the value (with
    /// `exact`, the index of the value among them); null is the code after the others.
    public struct Coding: Sendable {
        public enum Kind: Sendable {
            case values([String?])
            case booleans([Bool?])
            case bins(cuts: [Double], exact: Bool)
        }
        public var column: String
        public var kind: Kind
    }

    /// A column's counts before it becomes an attribute: its rows with a value, those of the
    /// target group among them, and how many different values it has.
    public struct ColumnOverview: Sendable {
        public var filled: Int
        public var filledTarget: Int
        public var distinct: Int
        public init(filled: Int, filledTarget: Int, distinct: Int) {
            self.filled = filled; self.filledTarget = filledTarget; self.distinct = distinct
        }
    }

    /// One combination of codes of a set of attributes, with its rows and target rows.
    public struct Cell: Sendable {
        public var codes: [Int]
        public var rows: Int
        public var target: Int
        public init(codes: [Int], rows: Int, target: Int) { self.codes = codes; self.rows = rows; self.target = target }
    }

    /// The counting, where it is done: tallies of sets of attributes, among all rows or only
    /// those with a pattern.
    struct Counting {
        var rows: Int
        var targetRows: Int
        /// Tallies of `sets` (indices into `attributes`), among the rows with `within` when given.
        var tally: (_ attributes: [Attribute], _ sets: [[Int]], _ within: Pattern?) throws -> [Tally]
        /// Rows and target rows of each combination of the candidates a row has (at most 63).
        var coverage: (_ candidates: [Pattern], _ attributes: [Attribute]) throws -> Coverage

        /// Counting the rows in memory, on all cores.
        static func memory(_ target: [UInt8], targetRows: Int) -> Counting {
            Counting(rows: target.count, targetRows: targetRows, tally: { attributes, sets, within in
                guard let within else {
                    return Parallel.map(sets.count, minimumWork: target.count * sets.count) { Tally.count(attributes, sets[$0], target: target) }
                }
                // only the rows with the pattern, counted as they are found
                return sets.map { Tally.count(attributes, $0, target: target, within: within) }
            }, coverage: { candidates, attributes in WhyNot.coverage(candidates, attributes, target: target) })
        }

        /// Counting done by an engine.
        static func engine(_ counter: any WhyNotCounter, rows: Int, targetRows: Int) -> Counting {
            Counting(rows: rows, targetRows: targetRows, tally: { attributes, sets, within in
                let cells = try counter.tallies(attributes.map(\.coding), sets, within: within.map { $0.items.map { ($0.attribute, $0.code) } } ?? [])
                return zip(sets, cells).map { set, cells in
                    let sizes = set.map { attributes[$0].valueCount }
                    var t = Tally(attributes: set, sizes: sizes, rows: [Int32](repeating: 0, count: sizes.reduce(1, *)),
                                  target: [Int32](repeating: 0, count: sizes.reduce(1, *)))
                    for c in cells where zip(c.codes, sizes).allSatisfy({ $0 >= 0 && $0 < $1 }) {
                        let k = t.cell(c.codes)
                        t.rows[k] += Int32(clamping: c.rows)
                        t.target[k] += Int32(clamping: c.target)
                    }
                    return t
                }
            }, coverage: { candidates, attributes in
                Coverage(cells: try counter.coverage(attributes.map(\.coding), candidates.map { $0.items.map { ($0.attribute, $0.code) } }))
            })
        }
    }
}

/// An engine that counts for why-not where the data is (PostgreSQL, DuckDB, Spark): the
/// rows never leave it, only counts come back. The target group is the engine's business
/// (a condition it evaluates).
public protocol WhyNotCounter {
    /// All rows and target rows, and per column its overview.
    func overview(_ columns: [String]) throws -> (rows: Int, targetRows: Int, columns: [WhyNot.ColumnOverview])
    /// The values of text and true/false columns (as text; nil for null), each with its rows
    /// and target rows.
    func values(_ columns: [String]) throws -> [[(value: String?, rows: Int, target: Int)]]
    /// A number column's `smallest` smallest distinct values, and its values at `positions`
    /// (0-based) of its non-null values sorted ascending.
    func numbers(_ column: String, smallest: Int, positions: [Int]) throws -> (smallest: [Double], at: [Double])
    /// For each set of attributes, the rows and target rows of each combination of their
    /// codes, among the rows with every (attribute, code) of `within`.
    func tallies(_ codings: [WhyNot.Coding], _ sets: [[Int]], within: [(attribute: Int, code: Int)]) throws -> [[WhyNot.Cell]]
    /// For up to 63 patterns (each a list of (attribute, code)), the rows and target rows of
    /// each combination of the patterns a row has: bit k set when it has pattern k.
    func coverage(_ codings: [WhyNot.Coding], _ patterns: [[(attribute: Int, code: Int)]]) throws -> [(bits: UInt64, rows: Int, target: Int)]
}
