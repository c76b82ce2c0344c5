import Foundation
import NKAnalysis
import NKEngine

/// How nk's charts look: one font, text no smaller than 14 px (a projector at the back of a
/// room), and the colour-blind-safe palette of Okabe and Ito. Colour never carries meaning
/// alone: every bar, line and cell is labelled in text too.
enum ChartStyle {
    static let font = "DejaVu Sans, Verdana, Arial, sans-serif"
    static let textSize = 16.0
    static let smallSize = 14.0
    static let titleSize = 22.0
    static let width = 960.0
    static let ink = "#1a1a1a"
    static let muted = "#555555"
    static let axis = "#767676"
    static let grid = "#e0e0e0"
    /// Okabe–Ito, yellow last (it is faint on white).
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442"]
    static let main = palette[0]
    static let accent = palette[3]
    static let others = "#9e9e9e"

    static func colour(_ i: Int) -> String { palette[i % palette.count] }

    /// A shade of blue from white (0) to dark (1), for heat maps and grids.
    static func shade(_ t: Double) -> String {
        var t = min(1, max(0, t.isFinite ? t : 0))
        // light blue to mid blue to dark blue, so the middle stays blue rather than grey
        var from = (239.0, 246.0, 252.0), to = (74.0, 145.0, 201.0)
        if t > 0.5 { from = to; to = (8.0, 48.0, 107.0); t = (t - 0.5) * 2 } else { t *= 2 }
        func c(_ a: Double, _ b: Double) -> String {
            let v = Int((a + (b - a) * t).rounded())
            let hex = String(v, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }
        return "#" + c(from.0, to.0) + c(from.1, to.1) + c(from.2, to.2)
    }

    /// Text on a shade: dark on light cells, white on dark ones.
    static func ink(onShade t: Double) -> String { t > 0.45 ? "#ffffff" : ink }

    /// At most `limit` characters; longer text ends in an ellipsis.
    static func cut(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(max(1, limit - 1))) + "…"
    }

    /// A text broken into at most `lines` lines of at most `width` characters at spaces; the
    /// last line cut with an ellipsis when the text is longer still.
    static func wrap(_ text: String, width: Int, lines: Int = 2) -> [String] {
        var out: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            if current.isEmpty { current = String(word) } else if current.count + 1 + word.count <= width { current += " " + word } else {
                out.append(current)
                current = String(word)
            }
        }
        if !current.isEmpty { out.append(current) }
        if out.count > lines { out = Array(out.prefix(lines - 1)) + [out[(lines - 1)...].joined(separator: " ")] }
        return out.map { cut($0, to: width) }
    }

    /// About how wide a text is drawn at `size` px (average glyph width of a sans-serif face).
    static func textWidth(_ text: String, size: Double = textSize) -> Double { Double(text.count) * size * 0.58 }
}

/// Numbers and words of a chart in the session's language (`set lang`): German writes
/// 1.234,5 and its own labels, English 1,234.5.
struct ChartLanguage {
    let language: LabelLanguage
    var german: Bool { language == .german }

    /// `en` or `de`, whichever the language is.
    func say(_ en: String, _ de: String) -> String { german ? de : en }

    /// A number with thousands grouped and `decimals` digits after the decimal mark.
    func number(_ x: Double, decimals: Int = 0) -> String {
        guard x.isFinite else { return x.isNaN ? "–" : (x < 0 ? "−∞" : "∞") }
        let fixed = CellFormatter.fixed(x, decimals)
        let negative = fixed.hasPrefix("-")
        let body = negative ? String(fixed.dropFirst()) : fixed
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        // the engine's grouping (1,234), with German's point instead of the comma
        let grouped = Int(parts[0]).map { Value.grouped($0) }.map { german ? $0.replacingOccurrences(of: ",", with: ".") : $0 } ?? String(parts[0])
        let fraction = parts.count > 1 ? (german ? "," : ".") + parts[1] : ""
        return (negative ? "−" : "") + grouped + fraction
    }

    /// A number with as many decimals as it needs to be told apart (up to two; four below 1).
    func auto(_ x: Double) -> String {
        let d = min(CellFormatter.fractionDigits(x), abs(x) >= 1 ? 2 : 4)
        return number(x, decimals: d)
    }

    /// A percentage: `12.5 %` / `12,5 %`.
    func percent(_ x: Double, decimals: Int = 1) -> String { number(x, decimals: decimals) + " %" }
}

/// Round steps for an axis: about `count` ticks from `low` to `high`, on 1, 2, 2.5 or 5 × 10ⁿ.
func niceTicks(_ low: Double, _ high: Double, count: Int = 5) -> [Double] {
    guard low.isFinite, high.isFinite else { return [0] }
    if high <= low { return [low] }
    let raw = (high - low) / Double(max(1, count))
    let magnitude = pow(10, floor(log10(raw)))
    let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
    // a step too small to move a number this large (1e20 and 1e20 + 100,000) gives no ticks
    // between the two: the ends are the ticks then
    guard step > 0, step.isFinite, low + step > low, high - step < high else { return [low, high] }
    var ticks: [Double] = []
    let first = (low / step).rounded(.down)
    for k in 0..<60 {
        let t = (first + Double(k)) * step
        if t > high + step * 1e-9 || ticks.count >= 50 { break }
        if t >= low - step * 1e-9 { ticks.append(abs(t) < step * 1e-9 ? 0 : t) }
    }
    return ticks
}

/// Round ticks that cover `low` to `high`: one step more at either end where the nice ones
/// stop short.
func coveringTicks(_ low: Double, _ high: Double, count: Int = 5) -> [Double] {
    var ticks = niceTicks(low, high, count: count)
    guard ticks.count > 1 else { return ticks }
    let step = ticks[1] - ticks[0]
    if let first = ticks.first, first > low { ticks.insert(first - step, at: 0) }
    if let last = ticks.last, last < high { ticks.append(last + step) }
    return ticks
}

/// Decimals a tick label needs for the step between ticks.
func tickDecimals(_ ticks: [Double]) -> Int {
    guard ticks.count > 1 else { return 0 }
    let step = abs(ticks[1] - ticks[0])
    if step >= 1 || step == 0 { return step.rounded() == step ? 0 : 1 }
    return min(4, Int(ceil(-log10(step))) + (step * pow(10, ceil(-log10(step))) == 2.5 ? 1 : 0))
}
