import NKEngine

/// The strongest differences between the two groups, told in sentences: for each of the
/// (up to three) columns with the largest effect whose Holm-adjusted p is below 0.05, the value
/// whose share differs most, or the two means.
extension Compare {
    static func findings(_ result: Result, labels: (String, String), limit: Int = 3) -> [String] {
        let s = result.summary
        guard let columns = s.column("column"), let kinds = s.column("kind"), let adjusted = s.column("p_adjusted"),
              let effects = s.column("effect"), let sizes = s.column("effect_size") else { return [] }
        var out: [String] = []
        for r in 0..<s.rowCount where out.count < limit {
            guard let p = adjusted[r].doubleValue, p < 0.05, let details = result.details.first(where: { $0.column == columns[r].description }),
                  let table = details.tables.first else { continue }
            let names = ["cramers_v": "Cramér's V", "cliffs_delta": "|Cliff's delta|"]
            let effect = "\(names[effects[r].description] ?? effects[r].description) \(WhyNot.trim(sizes[r].doubleValue ?? 0, 2))"
            let sentence = kinds[r].description == "numeric"
                ? numericSentence(columns[r].description, table, labels, effect)
                : categoricalSentence(columns[r].description, table, labels, effect)
            if let sentence { out.append(sentence) }
        }
        if out.isEmpty, s.rowCount > 0 {
            out.append("No column tells \(labels.0) from \(labels.1) beyond chance (every Holm-adjusted p is 0.05 or more).")
        }
        return out
    }

    static func categoricalSentence(_ column: String, _ t: Table, _ labels: (String, String), _ effect: String) -> String? {
        guard let values = t.column("value"), let difference = t.column("difference_pp"), t.columnCount >= 7 else { return nil }
        let shareA = t.columns[2], shareB = t.columns[6]
        guard let r = (0..<t.rowCount).max(by: { abs(difference[$0].doubleValue ?? 0) < abs(difference[$1].doubleValue ?? 0) }),
              let a = shareA[r].doubleValue, let b = shareB[r].doubleValue, let d = difference[r].doubleValue else { return nil }
        let sign = d >= 0 ? "+" : "−"
        return "\(column): \(values[r].description) is \(WhyNot.trim(a, 1)) % of \(labels.0) against \(WhyNot.trim(b, 1)) % of \(labels.1) "
            + "(\(sign)\(WhyNot.trim(abs(d), 1)) points; \(effect))."
    }

    static func numericSentence(_ column: String, _ t: Table, _ labels: (String, String), _ effect: String) -> String? {
        guard let means = t.column("mean"), t.rowCount == 2, let a = means[0].doubleValue, let b = means[1].doubleValue else { return nil }
        return "\(column): the mean is \(WhyNot.format(a)) in \(labels.0) against \(WhyNot.format(b)) in \(labels.1) (\(effect))."
    }
}
