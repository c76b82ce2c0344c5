#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Evaluator {
    /// Compares text on dictionary codes: equality with a literal is one code lookup per chunk;
    /// ordering uses a per-dictionary table of results, never a per-row string comparison.
    func compareStrings(_ op: BinaryOperator, _ a: Vector, _ b: Vector, _ validity: Validity?, memo: DictionaryMemo) -> Vector {
        let n = a.count
        switch (a.data, b.data) {
        case let (.scalar(.string(x)), .scalar(.string(y))):
            return .scalar(.boolean(Evaluator.compareText(op, x, y)), count: n)
        case let (.string(codes, dict), .scalar(.string(text))):
            return compareWithLiteral(op, codes, dict, text, validity, n, memo)
        case let (.scalar(.string(text)), .string(codes, dict)):
            return compareWithLiteral(op.flipped, codes, dict, text, validity, n, memo)
        case let (.string(ca, da), .string(cb, db)):
            if da === db, op == .equal || op == .notEqual {
                return Vector(bools: Evaluator.ordered(op, .array(ca), .array(cb), n), validity: validity, count: n)
            }
            // put both sides into one dictionary, then compare ranks
            var builder = StringDictionaryBuilder(da)
            let remapB = (0..<db.count).map { builder.insert(db[Int32($0)]) }
            let merged = builder.build()
            let ranks = merged.sortRanks()
            let ra = elementwise(Operand.array(ca), n) { ranks[Int($0)] }
            let rb = elementwise(Operand.array(cb), n) { ranks[Int(remapB[Int($0)])] }
            return Vector(bools: Evaluator.ordered(op, ra, rb, n), validity: validity, count: n)
        default:
            return .scalar(.null, count: n)
        }
    }

    private func compareWithLiteral(_ op: BinaryOperator, _ codes: ArraySlice<Int32>, _ dict: StringDictionary, _ text: String,
                                    _ validity: Validity?, _ n: Int, _ memo: DictionaryMemo) -> Vector {
        if op == .equal || op == .notEqual {
            let found = memo.value(for: dict) { dict.code(of: text) ?? -1 }
            if found < 0 { return Vector(bools: .scalar(op == .notEqual), validity: validity, count: n) }
            return Vector(bools: Evaluator.ordered(op, .array(codes), .scalar(found), n), validity: validity, count: n)
        }
        let table: [Bool] = memo.value(for: dict) {
            (0..<dict.count).map { Evaluator.compareText(op, dict[Int32($0)], text) }
        }
        return Vector(bools: Evaluator.gather(table, codes, n), validity: validity, count: n)
    }

    /// Text ordering is by Unicode scalar values (the byte order of UTF-8), as in DuckDB.
    static func compareText(_ op: BinaryOperator, _ x: String, _ y: String) -> Bool {
        let c: Int
        if x == y { c = 0 } else { c = x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : 1 }
        switch op {
        case .equal: return c == 0
        case .notEqual: return c != 0
        case .less: return c < 0
        case .lessOrEqual: return c <= 0
        case .greater: return c > 0
        default: return c >= 0
        }
    }

    /// `table[code]` for each code.
    static func gather<T>(_ table: [T], _ codes: ArraySlice<Int32>, _ n: Int) -> Operand<T> {
        .array(ArraySlice(table.withUnsafeBufferPointer { t in
            codes.withUnsafeBufferPointer { c in
                [T](unsafeUninitializedCapacity: n) { out, k in
                    for i in 0..<n { (out.baseAddress! + i).initialize(to: t[Int(c[i])]) }
                    k = n
                }
            }
        }))
    }

    /// A per-distinct-value function of a text vector: computed once per dictionary entry.
    func perEntry<T>(_ v: Vector, memo: DictionaryMemo, _ f: @escaping (String) -> T) -> (values: Operand<T>, fromScalar: Bool)? {
        switch v.data {
        case .scalar(.string(let s)): return (.scalar(f(s)), true)
        case .string(let codes, let dict):
            let table: [T] = memo.value(for: dict) { (0..<dict.count).map { f(dict[Int32($0)]) } }
            return (Evaluator.gather(table, codes, v.count), false)
        default: return nil
        }
    }

    /// A per-distinct-value function of a text vector's UTF-8 bytes (no `String` is made).
    func perEntryBytes<T>(_ v: Vector, memo: DictionaryMemo, _ f: @escaping (UnsafeBufferPointer<UInt8>) -> T) -> Operand<T>? {
        switch v.data {
        case .scalar(.string(let s)):
            var text = s
            return .scalar(text.withUTF8 { f($0) })
        case .string(let codes, let dict):
            let table: [T] = memo.value(for: dict) { (0..<dict.count).map { dict.withBytes(Int32($0), f) } }
            return Evaluator.gather(table, codes, v.count)
        default: return nil
        }
    }

    /// Whether `text` contains, starts with or ends with `part`, compared byte for byte.
    static func matches(_ f: ScalarFunction, _ text: UnsafeBufferPointer<UInt8>, _ part: [UInt8]) -> Bool {
        let n = text.count, k = part.count
        if k == 0 { return true }
        if k > n { return false }
        return part.withUnsafeBufferPointer { q in
            switch f {
            case .startsWith: return memcmp(text.baseAddress!, q.baseAddress!, k) == 0
            case .endsWith: return memcmp(text.baseAddress! + (n - k), q.baseAddress!, k) == 0
            default:
                // find each occurrence of the first byte, then compare the rest
                let base = text.baseAddress!
                var i = 0
                while i <= n - k {
                    guard let hit = memchr(base + i, Int32(q[0]), n - k - i + 1) else { return false }
                    let at = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base
                    if memcmp(base + at, q.baseAddress!, k) == 0 { return true }
                    i = at + 1
                }
                return false
            }
        }
    }

    /// A text → text function of a text vector, producing a new dictionary.
    func mapText(_ v: Vector, memo: DictionaryMemo, _ f: @escaping (String) -> String) -> Vector {
        switch v.data {
        case .scalar(.string(let s)): return .scalar(.string(f(s)), count: v.count)
        case .string(let codes, let dict):
            let mapped: (dictionary: StringDictionary, remap: [Int32]) = memo.value(for: dict) { dict.mapStrings(f) }
            guard case .array(let newCodes) = Evaluator.gather(mapped.remap, codes, v.count) else { fatalError() }
            return Vector(.string(newCodes, mapped.dictionary), validity: v.validity, count: v.count)
        default: return v
        }
    }
}

extension BinaryOperator {
    /// The operator with its operands swapped: `a < b` is `b > a`.
    var flipped: BinaryOperator {
        switch self {
        case .less: return .greater
        case .lessOrEqual: return .greaterOrEqual
        case .greater: return .less
        case .greaterOrEqual: return .lessOrEqual
        default: return self
        }
    }
}
