import Foundation

/// The functions that repair text as real files write it: parts (`substring`, `left`, `right`,
/// `split_part`), `replace`, `concat`, `pad_left`, and dates and timestamps read with a format.
/// Positions and lengths count characters, from 1.
extension Evaluator {
    func textRepairFunction(_ f: ScalarFunction, _ vs: [Vector], _ rows: Range<Int>, _ e: BoundExpr) throws -> Vector {
        let n = rows.count
        // only the text varies: computed once per distinct value of a dictionary column
        if f != .concat, vs[0].type == .string, vs.dropFirst().allSatisfy({ $0.isScalar }) {
            let constants = vs.dropFirst().map { $0.value(at: 0) }
            if constants.contains(where: \.isNull) { return .scalar(.null, count: n) }
            _ = try Evaluator.repair(f, "", constants)   // a bad constant (split_part's 0) fails here, once
            return mapText(vs[0], memo: e.memo) { (try? Evaluator.repair(f, $0, constants)) ?? "" }
        }
        var out = [String?](repeating: nil, count: n)
        for i in 0..<n {
            let args = vs.map { $0.value(at: i) }
            if f == .concat {
                out[i] = args.filter { !$0.isNull }.map(Evaluator.text).joined()
            } else if case .string(let s) = args[0], !args.dropFirst().contains(where: \.isNull) {
                out[i] = try Evaluator.repair(f, s, Array(args.dropFirst()))
            }
        }
        return Vector.slice(Column.strings(out), 0..<n)
    }

    /// The widest text `pad_left` makes.
    static let padLimit = 10_000

    /// The text of a value as `string(x)` writes it.
    static func text(_ v: Value) -> String {
        if case .string(let s) = v { return s }
        return v.description
    }

    /// One text repaired; `args` are the arguments after the text, none of them null.
    static func repair(_ f: ScalarFunction, _ s: String, _ args: [Value]) throws -> String {
        func whole(_ k: Int) -> Int { if case .integer(let v) = args[k] { return Int(clamping: v) } else { return 0 } }
        func textArg(_ k: Int) -> String { if case .string(let t) = args[k] { return t } else { return "" } }
        switch f {
        case .substring:
            let chars = Array(s)
            let from = whole(0) - 1
            let to = args.count > 1 ? from.addingReportingOverflow(max(0, whole(1))).partialValue : chars.count
            let lo = min(max(from, 0), chars.count), hi = min(max(to, 0), chars.count)
            return lo < hi ? String(chars[lo..<hi]) : ""
        case .left:
            let k = whole(0)
            return String(k >= 0 ? s.prefix(k) : s.dropLast(min(-k, s.count)))
        case .right:
            let k = whole(0)
            return String(k >= 0 ? s.suffix(k) : s.dropFirst(min(-k, s.count)))
        case .replace:
            let from = textArg(0)
            return from.isEmpty ? s : s.replacingOccurrences(of: from, with: textArg(1))
        case .splitPart:
            let k = whole(1)
            guard k != 0 else {
                throw EngineError.invalidInput("split_part counts parts from 1 (or from the end with -1), not 0", hint: "split_part(text, \",\", 1)")
            }
            let separator = textArg(0)
            let parts = separator.isEmpty ? [s] : s.components(separatedBy: separator)
            let index = k > 0 ? k - 1 : parts.count + k
            return parts.indices.contains(index) ? parts[index] : ""
        case .padLeft:
            let width = whole(0), fill = args.count > 1 ? Array(textArg(1)) : [" "]
            // a width typed with a zero too many would build a gigabyte of text per row
            guard width <= padLimit else {
                throw EngineError.invalidInput("pad_left fills to at most \(Value.grouped(padLimit)) characters, not \(Value.grouped(width))",
                                               hint: "pad_left(customer_id, 6, \"0\")")
            }
            guard s.count < width, !fill.isEmpty else { return s }
            let missing = width - s.count
            return String((0..<missing).map { fill[$0 % fill.count] }) + s
        default:
            throw EngineError.internalError("\(f.rawValue) is not a text repair function")
        }
    }

    /// `date(text or yyyymmdd number, format)` and `timestamp(text or date[, format])`.
    func datedText(_ f: ScalarFunction, _ vs: [Vector], _ rows: Range<Int>, _ e: BoundExpr) throws -> Vector {
        let n = rows.count, first = vs[0]
        var format: DateFormat?
        if vs.count == 2, case .string(let pattern) = vs[1].value(at: 0) { format = DateFormat(pattern: pattern) }
        if f == .timestamp, format == nil, first.type == .date {
            return Vector(ints: elementwise(first.days, n) { Int64($0) * 86_400_000_000 }, type: .timestamp, validity: first.validity, count: n)
        }
        let values = (0..<n).map { i -> Value in
            let v = first.value(at: i)
            if v.isNull { return .null }
            var bytes = Array(Evaluator.text(v).utf8)
            return bytes.withUnsafeMutableBufferPointer { b -> Value in
                let p = UnsafePointer(b.baseAddress ?? UnsafeMutablePointer(bitPattern: 1)!)
                guard let format else { return Conversion.convert(.string(Evaluator.text(v)), to: f == .date ? .date : .timestamp) }
                if f == .date { return DateParsing.parseDate(p, b.count, format: format).map { .date(Int32($0)) } ?? .null }
                if let t = DateParsing.parseTimestamp(p, b.count, format: format) { return .timestamp(t) }
                return DateParsing.parseDate(p, b.count, format: format).map { .timestamp(Int64($0) * 86_400_000_000) } ?? .null
            }
        }
        return try converted(.array(values[...]), f == .date ? .date : .timestamp, first, rows)
    }
}
