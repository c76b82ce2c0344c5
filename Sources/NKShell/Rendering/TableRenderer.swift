import NKEngine

/// Draws a table as aligned text with box-drawing lines: numbers right-aligned with one number
/// of decimals per column, nulls as `null`, long values cut with `…`, and only the first and last
/// rows of a long table with a footer that says how many there are.
public struct TableRenderer {
    public var maxRows = 40
    public var maxColumnWidth = 40

    public init(maxRows: Int = 40, maxColumnWidth: Int = 40) {
        self.maxRows = maxRows
        self.maxColumnWidth = maxColumnWidth
    }

    /// The table as text; `totalRows` names the size of the table `table` was cut from.
    public func render(_ table: Table, totalRows: Int? = nil) -> String {
        let shownRows: [Int]
        var elided = false
        if table.rowCount > maxRows {
            let head = (maxRows + 1) / 2, tail = maxRows / 2
            shownRows = Array(0..<head) + Array((table.rowCount - tail)..<table.rowCount)
            elided = true
        } else {
            shownRows = Array(0..<table.rowCount)
        }
        let columns = table.columns.map { CellFormatter(column: $0, rows: shownRows) }
        var cells: [[String]] = shownRows.map { r in columns.map { $0.text(r) } }
        cells = cells.map { row in row.map { DisplayWidth.truncate($0, to: maxColumnWidth) } }
        let headers = table.names.map { DisplayWidth.truncate($0, to: maxColumnWidth) }
        let types = table.columns.map { $0.type.rawValue }
        var widths = zip(headers, types).map { max(DisplayWidth.of($0), DisplayWidth.of($1)) }
        for row in cells { for (i, c) in row.enumerated() { widths[i] = max(widths[i], DisplayWidth.of(c)) } }

        func line(_ left: String, _ mid: String, _ right: String) -> String {
            left + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: mid) + right
        }
        func pad(_ text: String, _ width: Int, right: Bool) -> String {
            let fill = String(repeating: " ", count: max(0, width - DisplayWidth.of(text)))
            return right ? fill + text : text + fill
        }
        func row(_ values: [String], rightAligned: [Bool]) -> String {
            "│" + values.enumerated().map { " " + pad($1, widths[$0], right: rightAligned[$0]) + " " }.joined(separator: "│") + "│"
        }
        if table.columnCount == 0 { return "(\(table.rowCount) rows, no columns)\n" }
        let numeric = table.columns.map { $0.type.isNumeric }
        var out = [line("┌", "┬", "┐"), row(headers, rightAligned: numeric.map { _ in false }),
                   row(types, rightAligned: numeric.map { _ in false }), line("├", "┼", "┤")]
        for (k, values) in cells.enumerated() {
            if elided, k == (maxRows + 1) / 2 {
                out.append(row(widths.map { _ in "·" }, rightAligned: numeric.map { _ in false }))
            }
            out.append(row(values, rightAligned: numeric))
        }
        out.append(line("└", "┴", "┘"))
        let total = totalRows ?? table.rowCount
        let count = Value.grouped(total)
        out.append(total > shownRows.count ? "\(count) rows (\(shownRows.count) shown)" : "\(count) row\(total == 1 ? "" : "s")")
        return out.joined(separator: "\n") + "\n"
    }
}

/// Text of one column's cells, with one number of decimals for all shown float values.
struct CellFormatter {
    let column: Column
    let decimals: Int

    init(column: Column, rows: [Int]) {
        self.column = column
        // as many decimals as the shown values need: at most 2 once values reach 1, else 4
        var d = 0
        if case .float(let values) = column.storage {
            var largest = 0.0
            for r in rows where !column.isNull(r) {
                d = max(d, CellFormatter.fractionDigits(values[r]))
                if values[r].isFinite { largest = max(largest, abs(values[r])) }
            }
            d = min(d, largest >= 1 ? 2 : 4)
        }
        decimals = d
    }

    func text(_ row: Int) -> String {
        let v = column[row]
        switch v {
        case .null: return "null"
        case .float(let x): return CellFormatter.fixed(x, decimals)
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
