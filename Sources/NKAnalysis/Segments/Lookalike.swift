import NKEngine

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lookalikes (who should be a customer and is not yet): every candidate
/// (a prospect) scored by how much it resembles a group of model rows (the best customers).
///
/// The attributes are one-hot values, as why-not cuts them (text values, number ranges at
/// quantiles, null as a value). A logistic regression of model rows (1) against the others (0)
/// — the rest of the model table when `like` picks the best of it, else the candidates — with
/// an L2 penalty λ on every coefficient but the intercept, is fitted by Newton's method. A
/// candidate's score is the fitted probability; its reasons are the three of its values with the
/// largest positive coefficients.
public enum Lookalike {
    public struct Options: Sendable {
        /// Columns to compare on; nil: the common columns why-not would choose.
        public var columns: [String]?
        /// Columns never chosen automatically (those of the `like` condition).
        public var excluded: Set<String> = []
        public var lambda = 1.0
        public var bins = 5
        public init() {}
    }

    public struct Result: Sendable {
        /// The candidates, best first, with lookalike_score, rank and because.
        public var rows: Table
        /// The values that weigh most: attribute value, coefficient, odds ratio.
        public var weights: Table
        public var modelRows: Int
        public var otherRows: Int
        public var iterations: Int
    }

    /// Scores `candidates` by resemblance to the rows of `model` where `isModel` is 1, against
    /// the rows where it is 0 (with `againstCandidates`, against the candidates themselves).
    public static func run(candidates: Table, model: Table, isModel: [UInt8], againstCandidates: Bool, options: Options,
                           cancellation: CancellationFlag = .shared) throws -> Result {
        _ = try schema(candidates: candidates.columnSchema, model: model.columnSchema, options: options)
        let common = model.names.filter { candidates.index(of: $0) != nil }
        let names = options.columns ?? common.filter { !options.excluded.contains($0) }
        let both = try Table.append([try model.selecting(names), try candidates.selecting(names)])
        try cancellation.check()
        let m = model.rowCount, n = both.rowCount
        // who is 1, who 0, who is only scored
        var label = [Int8](repeating: -1, count: n)
        for i in 0..<m { label[i] = isModel[i] == 1 ? 1 : (againstCandidates ? -1 : 0) }
        if againstCandidates { for i in m..<n { label[i] = 0 } }
        let positives = label.filter { $0 == 1 }.count, negatives = label.filter { $0 == 0 }.count
        guard positives > 0 else { throw EngineError.invalidInput("no model rows: nothing to look like", hint: "check the `like` condition") }
        guard negatives > 0 else { throw EngineError.invalidInput("every row is a model row: nothing to tell them from") }
        var attributes: [Attribute] = []
        for name in names {
            // (binning a number column sorts it: about 0.1 s at 5 M rows)
            try cancellation.check()
            switch try Attribute.make(name, both.column(name)!, automatic: options.columns == nil, bins: options.bins,
                                        cancellation: cancellation) {
            case .success(let a): attributes.append(a)
            case .failure: continue
            }
        }
        guard !attributes.isEmpty else {
            throw EngineError.invalidInput("no column to compare on", hint: "name columns with `on`, e.g. on industry, size, region")
        }
        // one coefficient per attribute value, after the intercept
        var offset = [0]
        for a in attributes { offset.append(offset.last! + a.valueCount) }
        let p = offset.last! + 1
        guard p <= 1_000 else {
            throw EngineError.invalidInput("the columns have \(p - 1) values between them, too many to weigh one by one",
                                           hint: "name fewer columns with `on`, or group the values of the largest first")
        }
        let prior = Double(positives) / Double(positives + negatives)
        let (beta, iterations) = try fit(attributes, offset: offset, label: label, prior: prior, options: options, cancellation: cancellation)
        let (scores, because) = try scores(attributes, offset: offset, beta: beta, rows: m..<n, cancellation: cancellation)
        try cancellation.check()
        let order = NumericSample.stableOrder(scores, descending: true)
        try cancellation.check()
        var rows = try candidates.gather(order, cancellation: cancellation)
        rows = try rows.setting("lookalike_score", .floats(order.map { scores[Int($0)] }))
        rows = try rows.setting("rank", .integers((1...max(1, order.count)).prefix(order.count).map { Int64($0) }))
        try cancellation.check()
        rows = try rows.setting("because", .strings(order.map { because[Int($0)] }))
        try cancellation.check()
        var weights: [(String, Double)] = []
        for (a, attribute) in attributes.enumerated() {
            for code in 0..<attribute.valueCount { weights.append((attribute.conditions[code], beta[1 + offset[a] + code])) }
        }
        weights.sort { $0.1 > $1.1 }
        let shown = Array(weights.prefix(10))
        let weightTable = try Table([
            ("value", .strings(shown.map(\.0))),
            ("coefficient", .floats(shown.map(\.1))),
            ("odds_ratio", .floats(shown.map { exp($0.1) })),
        ])
        return Result(rows: rows, weights: weightTable, modelRows: positives, otherRows: negatives, iterations: iterations)
    }

    /// The coefficients of an L2-penalised logistic regression of the labelled rows (1 model,
    /// 0 other, -1 only scored) by Newton's method, and the steps it took.
    static func fit(_ attributes: [Attribute], offset: [Int], label: [Int8], prior: Double, options: Options,
                    cancellation: CancellationFlag) throws -> ([Double], Int) {
        let p = offset.last! + 1
        var beta = [Double](repeating: 0, count: p)
        beta[0] = log(prior / (1 - prior))
        let training = label.indices.filter { label[$0] >= 0 }
        func feature(_ a: Int, _ row: Int) -> Int { coefficient(attributes, offset, a, row) }
        var iterations = 0
        for iteration in 1...50 {
            try cancellation.check()
            iterations = iteration
            var gradient = [Double](repeating: 0, count: p)
            var hessian = [Double](repeating: 0, count: p * p)
            var active = [Int](repeating: 0, count: attributes.count + 1)
            for (t, row) in training.enumerated() {
                if t & 0xFFFF == 0 { try cancellation.check() }
                active[0] = 0
                var eta = beta[0]
                for a in attributes.indices { active[a + 1] = feature(a, row); eta += beta[active[a + 1]] }
                let mu = 1 / (1 + exp(-eta))
                let w = mu * (1 - mu), residual = Double(label[row]) - mu
                for j in active { gradient[j] += residual }
                for j in active { for k in active { hessian[j * p + k] += w } }
            }
            for j in 1..<p {
                gradient[j] -= options.lambda * beta[j]
                hessian[j * p + j] += options.lambda
            }
            guard let step = solve(hessian, gradient, p) else { break }
            var largest = 0.0
            for j in 0..<p { beta[j] += step[j]; largest = max(largest, abs(step[j])) }
            if largest < 1e-9 { break }
        }
        return (beta, iterations)
    }

    /// Each row's score, and the (up to three) values that raise it most.
    static func scores(_ attributes: [Attribute], offset: [Int], beta: [Double], rows: Range<Int>,
                       cancellation: CancellationFlag) throws -> ([Double], [String]) {
        func feature(_ a: Int, _ row: Int) -> Int { coefficient(attributes, offset, a, row) }
        var scores: [Double] = [], because: [String] = []
        for row in rows {
            // a row here costs microseconds (its texts are put together): ask every 4,096 rows
            if row & 0xFFF == 0 { try cancellation.check() }
            var eta = beta[0]
            var parts: [(Double, String)] = []
            for (a, attribute) in attributes.enumerated() {
                let j = feature(a, row)
                eta += beta[j]
                parts.append((beta[j], attribute.conditions[Int(attribute.codes[row])]))
            }
            scores.append(1 / (1 + exp(-eta)))
            because.append(parts.filter { $0.0 > 0 }.sorted { $0.0 > $1.0 }.prefix(3).map(\.1).joined(separator: ", "))
        }
        return (scores, because)
    }

    /// The index of the coefficient of attribute `a`'s value in `row` (0 is the intercept).
    @inline(__always)
    static func coefficient(_ attributes: [Attribute], _ offset: [Int], _ a: Int, _ row: Int) -> Int {
        1 + offset[a] + Int(attributes[a].codes[row])
    }

    /// Solves the symmetric positive definite system A x = b by Cholesky; nil when A is not.
    static func solve(_ a: [Double], _ b: [Double], _ n: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var sum = a[i * n + j]
                for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
                if i == j {
                    guard sum > 0 else { return nil }
                    l[i * n + i] = sum.squareRoot()
                } else {
                    l[i * n + j] = sum / l[j * n + j]
                }
            }
        }
        var y = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var sum = b[i]
            for k in 0..<i { sum -= l[i * n + k] * y[k] }
            y[i] = sum / l[i * n + i]
        }
        var x = [Double](repeating: 0, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            var sum = y[i]
            for k in (i + 1)..<n { sum -= l[k * n + i] * x[k] }
            x[i] = sum / l[i * n + i]
        }
        return x
    }
}

extension Lookalike {
    /// The columns of the scored candidates `run` gives, after the checks it makes of the columns.
    public static func schema(candidates: Schema, model: Schema, options: Options) throws -> Schema {
        let common = model.names.filter { candidates.index(of: $0) != nil }
        let names = options.columns ?? common.filter { !options.excluded.contains($0) }
        for name in names where model.index(of: name) == nil || candidates.index(of: name) == nil {
            throw EngineError.unknownColumn(name, available: common)
        }
        return candidates.setting(Field("lookalike_score", .float)).setting(Field("rank", .integer)).setting(Field("because", .string))
    }
}
