import Foundation
import NKEngine

/// Text of one column's cells, with one number of decimals for all shown float values.
struct CellFormatter {
    let column: Column
    let decimals: Int

    init(column: Column, rows: [Int]) {
        self.column = column
        // as many decimals as the shown values need: at most 2 once values reach 1, else 4
        var d = 0
        if column.type == .float {
            var largest = 0.0
            for r in rows {
                guard case .float(let x) = column[r] else { continue }
                d = max(d, CellFormatter.fractionDigits(x))
                if x.isFinite { largest = max(largest, abs(x)) }
            }
            d = min(d, largest >= 1 ? 2 : 4)
        }
        decimals = d
    }

    func text(_ row: Int) -> String {
        let v = column[row]
        switch v {
        case .null: return "null"
        case .float(let x):
            // a value too small for the column's decimals is not shown as zero: 3.1e-09
            if x != 0, x.isFinite, abs(x) < 0.5 / [1.0, 10, 100, 1000, 10_000][decimals] { return CellFormatter.scientific(x) }
            return CellFormatter.fixed(x, decimals)
        case .integer(let x): return String(x)
        default: return v.description
        }
    }

    static func fractionDigits(_ x: Double) -> Int {
        guard x.isFinite else { return 0 }
        let text = "\(x)"
        if text.contains("e") { return 4 }
        guard let dot = text.firstIndex(of: ".") else { return 0 }
        let fraction = text[text.index(after: dot)...]
        return fraction == "0" ? 0 : fraction.count
    }

    /// `x` with two significant digits and a decimal exponent: 3.1e-09.
    static func scientific(_ x: Double) -> String { String(format: "%.1e", x) }

    /// `x` with exactly `decimals` digits after the point (no thousands separators: cells hold
    /// ids and years as often as amounts).
    static func fixed(_ x: Double, _ decimals: Int) -> String {
        guard x.isFinite else { return x.isNaN ? "NaN" : (x < 0 ? "-inf" : "inf") }
        let scale = [1.0, 10, 100, 1000, 10_000][decimals]
        let rounded = (abs(x) * scale).rounded() / scale
        guard rounded < 9e15 else { return "\(x)" }
        let whole = Int(rounded)
        var text = String(whole)
        if decimals > 0 {
            let fraction = Int(((rounded - Double(whole)) * scale).rounded())
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: decimals - digits.count) + digits
        }
        return (x < 0 && rounded != 0 ? "-" : "") + text
    }
}
