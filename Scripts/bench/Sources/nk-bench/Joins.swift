// W7 (join, then a group-by) and W8 (sort keeping every column): nk's answers in the form
// Scripts/bench/joins.py writes DuckDB's and polars', and the table rows beside theirs.
import Foundation
import NKEngine

/// W7's answer: per region, the revenue (to the cent) and the row count.
func joinAnswer(_ t: Table) -> [String: Any] {
    var out: [String: Any] = [:]
    for r in 0..<t.rowCount {
        let row = t.row(r)
        let revenue = ((row[1].doubleValue ?? 0) * 100).rounded() / 100
        out[row[0].description] = [revenue, Int(row[2].doubleValue ?? 0)]
    }
    return out
}

/// W8's answer: the rows, and the revenue at every tenth of the sorted table.
func sortAnswer(_ t: Table) -> [String: Any] {
    let n = t.rowCount
    let revenue = t.column("revenue")!
    let deciles = (0...10).map { k -> Double in
        let v = revenue[min(n - 1, n * k / 10)].doubleValue ?? 0
        return (v * 1_000_000).rounded() / 1_000_000
    }
    return ["rows": n, "deciles": deciles]
}

/// The W7 and W8 rows of the table, with the engines' medians from `path` and whether nk's
/// answer is theirs.
func joinRows(w7: [Double], w8: [Double], w7Answer: [String: Any], w8Answer: [String: Any], path: String?, engines: [String]) -> [String] {
    var reference: [String: [String: (median: Double, answer: Any)]] = [:]
    if let path, let json = (try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))) as? [String: Any],
       let all = json["engines"] as? [String: Any] {
        for (name, value) in all {
            guard let workloads = (value as? [String: Any])?["workloads"] as? [String: Any] else { continue }
            for (w, r) in workloads {
                guard let r = r as? [String: Any], let m = r["median"] as? Double, let a = r["answer"] else { continue }
                reference[name, default: [:]][w] = (m, a)
            }
        }
    }
    var lines: [String] = []
    for (key, label, times, answer, target) in [("W7", "W7 join + group-by", w7, w7Answer as Any, 0.25), ("W8", "W8 sort, every column kept", w8, w8Answer as Any, 1.0)] {
        let nk = median(times)
        var line = "| \(label) | \(ms(nk)) | ≤ \(ms(target)) |"
        var verdicts: [String] = []
        for e in engines {
            if let r = reference[e]?[key] {
                line += " \(ms(r.median)) | \(String(format: "%.2f", nk / r.median)) |"
                verdicts.append(same(answer, r.answer) ? "agrees with \(e)" : "DIFFERS from \(e)")
            } else {
                line += " – | – |"
            }
        }
        lines.append(line + " \(verdicts.isEmpty ? "not checked" : verdicts.joined(separator: ", ")) |")
    }
    return lines
}
