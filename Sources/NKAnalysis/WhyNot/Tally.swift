import NKEngine

/// Rows and target rows per combination of values of some attributes: the one pass over the
/// data that every pattern of those attributes is read from.
struct Tally: Sendable {
    /// The attributes, in ascending order.
    var attributes: [Int]
    /// Value counts of those attributes (mixed radix of the cell index).
    var sizes: [Int]
    var rows: [Int32]
    var target: [Int32]

    /// The cell of one combination of codes.
    func cell(_ codes: [Int]) -> Int {
        var index = 0
        for (k, code) in codes.enumerated() { index = index * sizes[k] + code }
        return index
    }

    /// Counts every combination of values of `attributes` (at most three) in one pass.
    static func count(_ all: [Attribute], _ attributes: [Int], target: [UInt8]) -> Tally {
        let sizes = attributes.map { all[$0].valueCount }
        let cells = sizes.reduce(1, *)
        var rows = [Int32](repeating: 0, count: cells), hits = [Int32](repeating: 0, count: cells)
        let n = target.count
        rows.withUnsafeMutableBufferPointer { r in
            hits.withUnsafeMutableBufferPointer { h in
                target.withUnsafeBufferPointer { t in
                    switch attributes.count {
                    case 1:
                        all[attributes[0]].codes.withUnsafeBufferPointer { c in
                            for i in 0..<n { let k = Int(c[i]); r[k] &+= 1; h[k] &+= Int32(t[i]) }
                        }
                    case 2:
                        let k1 = sizes[1]
                        all[attributes[0]].codes.withUnsafeBufferPointer { c0 in
                            all[attributes[1]].codes.withUnsafeBufferPointer { c1 in
                                for i in 0..<n {
                                    let k = Int(c0[i]) &* k1 &+ Int(c1[i])
                                    r[k] &+= 1; h[k] &+= Int32(t[i])
                                }
                            }
                        }
                    default:
                        let k1 = sizes[1], k2 = sizes[2]
                        all[attributes[0]].codes.withUnsafeBufferPointer { c0 in
                            all[attributes[1]].codes.withUnsafeBufferPointer { c1 in
                                all[attributes[2]].codes.withUnsafeBufferPointer { c2 in
                                    for i in 0..<n {
                                        let k = (Int(c0[i]) &* k1 &+ Int(c1[i])) &* k2 &+ Int(c2[i])
                                        r[k] &+= 1; h[k] &+= Int32(t[i])
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return Tally(attributes: attributes, sizes: sizes, rows: rows, target: hits)
    }

    /// Counts the combinations among the rows that have the pattern `within` only.
    static func count(_ all: [Attribute], _ attributes: [Int], target: [UInt8], within: WhyNot.Pattern) -> Tally {
        let sizes = attributes.map { all[$0].valueCount }
        let cells = sizes.reduce(1, *)
        var rows = [Int32](repeating: 0, count: cells), hits = [Int32](repeating: 0, count: cells)
        rows.withUnsafeMutableBufferPointer { r in
            hits.withUnsafeMutableBufferPointer { h in
                target.withUnsafeBufferPointer { t in
                    if attributes.count == 1 {
                        all[attributes[0]].codes.withUnsafeBufferPointer { c in
                            WhyNot.forEachRow(with: within, all) { i in
                                let k = Int(c[i])
                                r[k] &+= 1; h[k] &+= Int32(t[i])
                            }
                        }
                    } else {
                        let columns = attributes.map { all[$0].codes }
                        WhyNot.forEachRow(with: within, all) { i in
                            var k = 0
                            for (j, c) in columns.enumerated() { k = k * sizes[j] + Int(c[i]) }
                            r[k] &+= 1; h[k] &+= Int32(t[i])
                        }
                    }
                }
            }
        }
        return Tally(attributes: attributes, sizes: sizes, rows: rows, target: hits)
    }

    /// Most cells a combination may have before it is left out (three attributes of up to
    /// 250 values each fit).
    static let maximumCells = 1 << 24
}
