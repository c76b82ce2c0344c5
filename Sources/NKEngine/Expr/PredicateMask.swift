/// Evaluates a condition for filtering: one bit a row, set where the condition is *true* (null
/// and false both clear). Under that reading `and` and `or` are plain bitwise operations on
/// 64-row words, and comparisons of a column with a constant write their bits straight from the
/// column's storage, masked by its validity words. Everything else falls back to the general
/// evaluator.
struct PredicateMask {
    let evaluator: Evaluator

    /// Bits for `rows`, whose start must be a multiple of 64.
    func mask(_ e: BoundExpr, _ rows: Range<Int>) throws -> [UInt64] {
        switch e.node {
        case .and(let a, let b):
            var x = try mask(a, rows)
            let y = try mask(b, rows)
            for i in x.indices { x[i] &= y[i] }
            return x
        case .or(let a, let b):
            var x = try mask(a, rows)
            let y = try mask(b, rows)
            for i in x.indices { x[i] |= y[i] }
            return x
        case .compare(let op, let a, let b):
            if case .column(let c) = a.node, let constant = b.literalValue, !constant.isNull,
               let bits = compareColumn(evaluator.table.columns[c], op, constant, rows, memo: e.memo) {
                return bits
            }
            if case .column(let c) = b.node, let constant = a.literalValue, !constant.isNull,
               let bits = compareColumn(evaluator.table.columns[c], op.flipped, constant, rows, memo: e.memo) {
                return bits
            }
        default:
            break
        }
        return PredicateMask.bits(of: try evaluator.evaluate(e, rows))
    }

    /// `column op constant` written as bits; nil when the types call for the general path.
    private func compareColumn(_ column: Column, _ op: BinaryOperator, _ constant: Value, _ rows: Range<Int>, memo: DictionaryMemo) -> [UInt64]? {
        var words: [UInt64]
        switch (column.storage, constant) {
        case (.integer(let a), .integer(let k)), (.timestamp(let a), .timestamp(let k)):
            words = PredicateMask.compare(a, rows, op, k)
        case (.float(let a), .float(let k)):
            words = PredicateMask.compare(a, rows, op, k)
        case (.date(let a), .date(let k)):
            words = PredicateMask.compare(a, rows, op, k)
        case (.string(let codes, let dict), .string(let text)) where op == .equal || op == .notEqual:
            let code = memo.value(for: dict) { dict.code(of: text) ?? -1 }
            if code < 0 {
                words = [UInt64](repeating: op == .notEqual ? ~0 : 0, count: (rows.count + 63) / 64)
                PredicateMask.clearTail(&words, rows.count)
            } else {
                words = PredicateMask.compare(codes, rows, op, code)
            }
        default:
            return nil
        }
        if let validity = column.validity {
            let first = rows.lowerBound >> 6
            validity.words.withUnsafeBufferPointer { v in
                for i in words.indices { words[i] &= v[first + i] }
            }
        }
        return words
    }

    /// Bits of `values[rows] op k`, 64 rows a word. - Complexity: O(rows), branch-free.
    @inline(__always)
    static func compare<T: Comparable>(_ values: [T], _ rows: Range<Int>, _ op: BinaryOperator, _ k: T) -> [UInt64] {
        switch op {
        case .equal: return pack(values, rows) { $0 == k }
        case .notEqual: return pack(values, rows) { $0 != k }
        case .less: return pack(values, rows) { $0 < k }
        case .lessOrEqual: return pack(values, rows) { $0 <= k }
        case .greater: return pack(values, rows) { $0 > k }
        default: return pack(values, rows) { $0 >= k }
        }
    }

    @inline(__always)
    static func pack<T>(_ values: [T], _ rows: Range<Int>, _ test: (T) -> Bool) -> [UInt64] {
        let n = rows.count
        let wordCount = (n + 63) / 64
        return values.withUnsafeBufferPointer { all in
            let p = all.baseAddress! + rows.lowerBound
            return [UInt64](unsafeUninitializedCapacity: wordCount) { out, count in
                let full = n / 64
                for w in 0..<full {
                    var bits: UInt64 = 0
                    let base = p + w * 64
                    for j in 0..<64 { bits |= (test(base[j]) ? 1 : 0) << UInt64(j) }
                    out[w] = bits
                }
                if full < wordCount {
                    var bits: UInt64 = 0
                    for j in 0..<(n - full * 64) { bits |= (test(p[full * 64 + j]) ? 1 : 0) << UInt64(j) }
                    out[full] = bits
                }
                count = wordCount
            }
        }
    }

    static func clearTail(_ words: inout [UInt64], _ n: Int) {
        if n & 63 != 0, !words.isEmpty { words[words.count - 1] &= (1 << UInt64(n & 63)) - 1 }
    }

    /// Bits set where a boolean vector is true and valid.
    static func bits(of v: Vector) -> [UInt64] {
        let n = v.count
        var words = [UInt64](repeating: 0, count: (n + 63) / 64)
        switch v.data {
        case .scalar(.boolean(true)):
            for i in words.indices { words[i] = ~0 }
            clearTail(&words, n)
        case .boolean(let values):
            values.withUnsafeBufferPointer { p in
                for w in words.indices {
                    var bits: UInt64 = 0
                    let end = min(64, n - w * 64)
                    for j in 0..<end { bits |= (p[w * 64 + j] ? 1 : 0) << UInt64(j) }
                    words[w] = bits
                }
            }
        default:
            return words
        }
        if let validity = v.validity {
            for i in words.indices { words[i] &= validity.words[i] }
        }
        return words
    }
}
