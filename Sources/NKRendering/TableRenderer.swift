import Foundation
import NKEngine

/// Draws a table as aligned text: box-drawing lines (or ASCII), numbers right-aligned with one
/// number of decimals per column, nulls as `null`, widths by display width (umlauts, CJK, emoji),
/// long values cut with `…` (the first column, which names its row, at half as wide again as
/// the others), middle columns hidden behind a `…` column when the table is wider
/// than the terminal, only the first and last rows of a long table with a footer that says how
/// many there are, and an inline bar beside a `share` column.
public struct TableRenderer {
    public var maxRows = 40
    public var maxColumnWidth = 40
    /// The terminal's width; nil: no limit.
    public var width: Int?
    public var ascii = false
    public var color = false
    public var bars = false
    /// The columns that carry the answer (a trailing `*` matches a prefix: `share_*`): when the
    /// table is wider than the terminal, the others are hidden first, and named under it.
    public var keyColumns: [String] = []

    /// The first column names its row (a segment, a pattern) and may be half as wide again.
    var firstColumnWidth: Int { maxColumnWidth * 3 / 2 }

    public init(maxRows: Int = 40, maxColumnWidth: Int = 40) {
        self.maxRows = maxRows
        self.maxColumnWidth = maxColumnWidth
    }

    struct Layout {
        var headers: [String]
        var types: [String]
        var rightAligned: [Bool]
        var cells: [[String]]
    }

    /// The table as text; `totalRows` names the size of the table `table` was cut from.
    public func render(_ table: Table, totalRows: Int? = nil) -> String {
        if table.columnCount == 0 { return "(\(Value.grouped(table.rowCount)) rows, no columns)\n" }
        let shownRows: [Int]
        var elided = false
        if table.rowCount > maxRows {
            let head = (maxRows + 1) / 2, tail = maxRows / 2
            shownRows = Array(0..<head) + Array((table.rowCount - tail)..<table.rowCount)
            elided = true
        } else {
            shownRows = Array(0..<table.rowCount)
        }
        let formatters = table.columns.map { CellFormatter(column: $0, rows: shownRows) }
        var layout = Layout(
            headers: table.names.map { DisplayWidth.truncate($0, to: maxColumnWidth) },
            types: table.columns.map { $0.type.rawValue },
            rightAligned: table.columns.map { $0.type.isNumeric },
            cells: shownRows.map { r in
                formatters.enumerated().map { k, f in DisplayWidth.truncate(f.text(r), to: k == 0 ? firstColumnWidth : maxColumnWidth) }
            })
        if bars, let (header, bar) = barColumn(table, shownRows) {
            layout.headers.append(header)
            layout.types.append("")
            layout.rightAligned.append(false)
            for (k, text) in bar.enumerated() { layout.cells[k].append(text) }
        }
        var hidden: [String] = []
        if let limit = width, !keyColumns.isEmpty {
            (layout, hidden) = keepingKeys(layout, names: table.names + (layout.headers.count > table.columnCount ? ["bar"] : []), limit: limit)
        }
        layout = fitted(layout)
        var out = draw(layout, elidedAt: elided ? (maxRows + 1) / 2 : nil)
        if !hidden.isEmpty { out.append("hidden: " + hidden.joined(separator: ", ") + "; .mode line or a wider window shows them") }
        let total = totalRows ?? table.rowCount
        let count = Value.grouped(total)
        out.append(total > shownRows.count ? "\(count) rows (\(shownRows.count) shown)" : "\(count) row\(total == 1 ? "" : "s")")
        return out.joined(separator: "\n") + "\n"
    }

    private func widths(_ layout: Layout) -> [Int] {
        var widths = zip(layout.headers, layout.types).map { max(DisplayWidth.of($0), DisplayWidth.of($1)) }
        for row in layout.cells { for (i, c) in row.enumerated() { widths[i] = max(widths[i], DisplayWidth.of(c)) } }
        return widths
    }

    /// Hides the columns that are not key columns, last first, until the table fits; returns
    /// the names of those hidden (the first column, which names the row, always stays).
    private func keepingKeys(_ layout: Layout, names: [String], limit: Int) -> (Layout, [String]) {
        let w = widths(layout)
        func isKey(_ i: Int) -> Bool {
            i == 0 || keyColumns.contains { $0.hasSuffix("*") ? names[i].hasPrefix(String($0.dropLast())) : names[i] == $0 }
        }
        guard (1..<names.count).contains(where: isKey) else { return (layout, []) }
        var keep = Array(names.indices)
        var total = w.reduce(1) { $0 + $1 + 3 }
        for i in names.indices.reversed() where total > limit && !isKey(i) {
            keep.removeAll { $0 == i }
            total -= w[i] + 3
        }
        let hidden = names.indices.filter { !keep.contains($0) && names[$0] != "bar" }.map { names[$0] }
        let pick = { (row: [String]) in keep.map { row[$0] } }
        return (Layout(headers: pick(layout.headers), types: pick(layout.types), rightAligned: keep.map { layout.rightAligned[$0] },
                       cells: layout.cells.map(pick)), hidden)
    }

    /// Hides middle columns behind one `…` column until the table fits the terminal.
    private func fitted(_ layout: Layout) -> Layout {
        guard let limit = width else { return layout }
        var w = widths(layout)
        func total(_ w: [Int]) -> Int { w.reduce(1) { $0 + $1 + 3 } }
        if total(w) <= limit || w.count <= 2 { return layout }
        var keep = Array(0..<w.count)
        var dropped = false
        while keep.count > 2, total(keep.map { w[$0] }) + (dropped ? 0 : 4) > limit {
            keep.remove(at: keep.count / 2)
            dropped = true
        }
        let gap = keep.count / 2
        func pick<T>(_ xs: [T], _ marker: T) -> [T] {
            Array(keep[..<gap].map { xs[$0] }) + [marker] + Array(keep[gap...].map { xs[$0] })
        }
        var out = Layout(headers: pick(layout.headers, "…"), types: pick(layout.types, ""),
                         rightAligned: pick(layout.rightAligned, false), cells: layout.cells.map { pick($0, "…") })
        // still too wide with two columns: narrow the widest
        w = widths(out)
        while total(w) > limit, let widest = w.indices.max(by: { w[$0] < w[$1] }), w[widest] > 8 {
            let cap = w[widest] - (total(w) - limit)
            out.cells = out.cells.map { row in var r = row; r[widest] = DisplayWidth.truncate(r[widest], to: max(8, cap)); return r }
            out.headers[widest] = DisplayWidth.truncate(out.headers[widest], to: max(8, cap))
            w = widths(out)
        }
        return out
    }

    private func draw(_ layout: Layout, elidedAt: Int?) -> [String] {
        let w = widths(layout)
        let h = ascii ? "-" : "─", v = ascii ? "|" : "│"
        func line(_ left: String, _ mid: String, _ right: String) -> String {
            ascii ? "+" + w.map { String(repeating: h, count: $0 + 2) }.joined(separator: "+") + "+"
                  : left + w.map { String(repeating: h, count: $0 + 2) }.joined(separator: mid) + right
        }
        func pad(_ text: String, _ width: Int, right: Bool) -> String {
            let fill = String(repeating: " ", count: max(0, width - DisplayWidth.of(text)))
            return right ? fill + text : text + fill
        }
        func row(_ values: [String], rightAligned: [Bool], style: (String) -> String = { $0 }) -> String {
            v + values.enumerated().map { i, text in
                " " + style(pad(text, w[i], right: rightAligned[i])) + " "
            }.joined(separator: v) + v
        }
        let left = layout.rightAligned.map { _ in false }
        var out = [line("┌", "┬", "┐"),
                   row(layout.headers, rightAligned: left, style: { self.styled($0, "1") }),
                   row(layout.types, rightAligned: left, style: { self.styled($0, "2") }),
                   line("├", "┼", "┤")]
        for (k, values) in layout.cells.enumerated() {
            if k == elidedAt { out.append(row(w.map { _ in "·" }, rightAligned: left)) }
            out.append(color ? v + values.enumerated().map { i, text in
                let padded = pad(text, w[i], right: layout.rightAligned[i])
                return " " + (text == "null" ? styled(padded, "2") : padded) + " "
            }.joined(separator: v) + v : row(values, rightAligned: layout.rightAligned))
        }
        out.append(line("└", "┴", "┘"))
        return out
    }

    private func styled(_ text: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    /// Bars for the first `share…` or `percent` column, scaled to its largest value.
    /// Bars beside a share column; two share columns (the two groups of a comparison) get
    /// bars side by side on one scale, under a header naming both.
    private func barColumn(_ table: Table, _ rows: [Int]) -> (String, [String])? {
        let shares = table.names.indices.filter {
            let name = table.names[$0].lowercased()
            return (name.hasPrefix("share") || name == "percent") && table.columns[$0].type.isNumeric
        }
        guard let first = shares.first else { return nil }
        let columns = shares.count >= 2 ? [first, shares[1]] : [first]
        let values = columns.map { i in rows.map { table.columns[i][$0].doubleValue ?? 0 } }
        guard let top = values.flatMap({ $0 }).max(), top > 0, values.allSatisfy({ $0.allSatisfy { $0 >= 0 } }) else { return nil }
        let full = columns.count == 1 ? 20.0 : 12.0
        let eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        func bar(_ x: Double) -> String {
            let units = x / top * full
            let whole = Int(units)
            let part = Int((units - Double(whole)) * 8)
            let text = ascii ? String(repeating: "#", count: Int(units.rounded())) : String(repeating: "█", count: whole) + eighths[part]
            return text + String(repeating: " ", count: max(0, Int(full) - DisplayWidth.of(text)))
        }
        if columns.count == 1 {
            return ("", values[0].map { x in
                var text = bar(x)
                while text.hasSuffix(" ") { text.removeLast() }
                return text
            })
        }
        // the group names after `share_`, else the column names
        let labels = columns.map { i -> String in
            let name = table.names[i]
            return name.lowercased().hasPrefix("share_") ? String(name.dropFirst(6)) : name
        }
        let separator = ascii ? " | " : " ▕ "
        let header = labels[0] + String(repeating: " ", count: max(1, Int(full) - DisplayWidth.of(labels[0]))) + separator + labels[1]
        return (header, rows.indices.map { k in bar(values[0][k]) + separator + bar(values[1][k]) })
    }
}
