extension Column {
    /// Joins columns of one type end to end. Text columns with different dictionaries are
    /// re-encoded into one merged dictionary. - Complexity: O(total rows + distinct strings).
    public static func concatenate(_ parts: [Column], type: DataType) throws -> Column {
        guard let first = parts.first else { return Column.nulls(type, count: 0) }
        if parts.count == 1 { return first }
        for p in parts where p.type != type {
            throw EngineError.typeMismatch("cannot append a \(p.type) column to a \(type) column")
        }
        let total = parts.reduce(0) { $0 + $1.count }
        var validity: Validity? = nil
        if parts.contains(where: { $0.validity != nil }) {
            var v = Validity(count: 0, allValid: true)
            for p in parts { v.append(contentsOf: p.validity ?? Validity(count: p.count, allValid: true)) }
            validity = v
        }
        func join<T>(_ extract: (ColumnStorage) -> [T]) -> [T] {
            var out = [T]()
            out.reserveCapacity(total)
            for p in parts { out.append(contentsOf: extract(p.storage)) }
            return out
        }
        switch type {
        case .integer: return Column(.integer(join { if case .integer(let a) = $0 { return a }; return [] }), validity: validity)
        case .float: return Column(.float(join { if case .float(let a) = $0 { return a }; return [] }), validity: validity)
        case .boolean: return Column(.boolean(join { if case .boolean(let a) = $0 { return a }; return [] }), validity: validity)
        case .date: return Column(.date(join { if case .date(let a) = $0 { return a }; return [] }), validity: validity)
        case .timestamp: return Column(.timestamp(join { if case .timestamp(let a) = $0 { return a }; return [] }), validity: validity)
        case .string:
            let dicts = parts.map { p -> StringDictionary in if case .string(_, let d) = p.storage { return d }; return .empty }
            let shared = dicts.allSatisfy { $0 === dicts[0] }
            if shared {
                return Column(.string(join { if case .string(let a, _) = $0 { return a }; return [] }, dicts[0]), validity: validity)
            }
            var builder = StringDictionaryBuilder(dicts[0])
            var codes = [Int32]()
            codes.reserveCapacity(total)
            for (k, p) in parts.enumerated() {
                guard case .string(let a, let d) = p.storage else { continue }
                if k == 0 { codes.append(contentsOf: a); continue }
                let remap = (0..<d.count).map { c in d.withBytes(Int32(c)) { builder.insert(UnsafeRawPointer($0.baseAddress ?? UnsafePointer(bitPattern: 1)!), $0.count) } }
                codes.append(contentsOf: a.map { remap.isEmpty ? 0 : remap[Int($0)] })
            }
            return Column(.string(codes, builder.build()), validity: validity)
        }
    }
}
