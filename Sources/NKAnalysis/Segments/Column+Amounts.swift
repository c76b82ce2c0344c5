import NKEngine

extension Column {
    /// The values of a number column as amounts, nulls counting as 0 (an order without a value
    /// adds nothing); nil for a column that does not hold numbers.
    var amounts: [Double]? {
        switch storage {
        case .float(let v): return nullCount == 0 ? v : (0..<v.count).map { isNull($0) ? 0 : v[$0] }
        case .integer(let v): return (0..<v.count).map { isNull($0) ? 0 : Double(v[$0]) }
        default: return nil
        }
    }
}
