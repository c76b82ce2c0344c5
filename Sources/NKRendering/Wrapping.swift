/// Text broken into lines no wider than the terminal, at spaces, so a word is never cut in two
/// (`segment pareto`, `95 % CI 3.3–4.0` stay whole). A line that starts with spaces keeps them
/// on its continuation lines; a word wider than the line stands alone.
enum Wrapping {
    static func wrap(_ text: String, width: Int?) -> String {
        guard let width, width >= 20, text.contains(where: { $0 == " " }) else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { wrapLine(String($0), width: width) }.joined(separator: "\n")
    }

    static func wrapLine(_ line: String, width: Int) -> String {
        guard DisplayWidth.of(line) > width else { return line }
        let indent = String(line.prefix { $0 == " " })
        var lines: [String] = []
        var current = indent
        for word in words(String(line.dropFirst(indent.count))) {
            let candidate = current == indent ? current + word : current + " " + word
            if current != indent, DisplayWidth.of(candidate) > width {
                lines.append(current)
                current = indent + word
            } else {
                current = candidate
            }
        }
        lines.append(current)
        return lines.joined(separator: "\n")
    }

    /// The words of a line, a unit after a number kept with it (`23 %`, `3.3 ×`).
    static func words(_ text: String) -> [String] {
        var out: [String] = []
        for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            if let last = out.last, word == "%" || word == "×" || word == "pp", last.last?.isNumber == true {
                out[out.count - 1] = last + " " + word
            } else {
                out.append(word)
            }
        }
        return out
    }
}
