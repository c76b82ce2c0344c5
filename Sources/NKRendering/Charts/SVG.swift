import Foundation
import NKEngine

/// An SVG document written as text, element by element. Coordinates are written with at most
/// one decimal, so the same chart always gives the same bytes. Every document has a `<title>`
/// and a `<desc>`; labels are `<text>`, so a reader can search and select them.
struct SVG {
    let width: Double
    let height: Double
    private var body: [String] = []

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// The whole document.
    func document(title: String, description: String) -> String {
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(SVG.n(width))" height="\(SVG.n(height))" \
            viewBox="0 0 \(SVG.n(width)) \(SVG.n(height))" role="img" font-family="\(ChartStyle.font)">

            """
        out += "<title>\(SVG.escape(title))</title>\n<desc>\(SVG.escape(description))</desc>\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
        for element in body { out += element + "\n" }
        return out + "</svg>\n"
    }

    /// A number as SVG writes it: at most one decimal, no trailing zero, no `-0`.
    static func n(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        let tenths = (x * 10).rounded()
        if tenths == 0 { return "0" }
        let whole = Int(tenths) / 10, rest = abs(Int(tenths) % 10)
        let sign = tenths < 0 && whole == 0 ? "-" : ""
        return rest == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(rest)"
    }

    /// Text made safe for XML content and attribute values.
    static func escape(_ text: String) -> String { XMLText.escaped(text) }

    mutating func raw(_ element: String) { body.append(element) }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String? = nil,
                       strokeWidth: Double = 1, title: String? = nil) {
        let s = stroke.map { " stroke=\"\($0)\" stroke-width=\"\(SVG.n(strokeWidth))\"" } ?? ""
        let open = "<rect x=\"\(SVG.n(x))\" y=\"\(SVG.n(y))\" width=\"\(SVG.n(max(0, width)))\" height=\"\(SVG.n(max(0, height)))\" fill=\"\(fill)\"\(s)"
        if let title { body.append(open + "><title>\(SVG.escape(title))</title></rect>") } else { body.append(open + "/>") }
    }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String = ChartStyle.axis,
                       width: Double = 1, dash: String? = nil) {
        let d = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
        body.append("<line x1=\"\(SVG.n(x1))\" y1=\"\(SVG.n(y1))\" x2=\"\(SVG.n(x2))\" y2=\"\(SVG.n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(SVG.n(width))\"\(d)/>")
    }

    mutating func circle(_ x: Double, _ y: Double, r: Double, fill: String, stroke: String? = nil, title: String? = nil) {
        let s = stroke.map { " stroke=\"\($0)\" stroke-width=\"2\"" } ?? ""
        let open = "<circle cx=\"\(SVG.n(x))\" cy=\"\(SVG.n(y))\" r=\"\(SVG.n(r))\" fill=\"\(fill)\"\(s)"
        if let title { body.append(open + "><title>\(SVG.escape(title))</title></circle>") } else { body.append(open + "/>") }
    }

    /// A polyline through the points.
    mutating func path(_ points: [(Double, Double)], stroke: String, width: Double = 3, fill: String = "none", dash: String? = nil, closed: Bool = false) {
        guard let first = points.first else { return }
        var d = "M\(SVG.n(first.0)) \(SVG.n(first.1))"
        for p in points.dropFirst() { d += " L\(SVG.n(p.0)) \(SVG.n(p.1))" }
        if closed { d += " Z" }
        let dashed = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
        body.append("<path d=\"\(d)\" fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"\(SVG.n(width))\" stroke-linejoin=\"round\"\(dashed)/>")
    }

    enum Anchor: String { case start, middle, end }

    /// A label. `role` becomes its class (`label`, `value`, `axis`, `note`, `heading`), so a
    /// reader (and the tests) can tell the numbers shown from the words around them. Text
    /// longer than `fit` characters is cut with an ellipsis and given whole in a `<title>`.
    mutating func text(_ content: String, x: Double, y: Double, size: Double = ChartStyle.textSize, anchor: Anchor = .start,
                       role: String = "label", weight: String? = nil, fill: String = ChartStyle.ink, fit: Int? = nil,
                       rotate: Double? = nil) {
        let shown = fit.map { ChartStyle.cut(content, to: $0) } ?? content
        let w = weight.map { " font-weight=\"\($0)\"" } ?? ""
        let r = rotate.map { " transform=\"rotate(\(SVG.n($0)) \(SVG.n(x)) \(SVG.n(y)))\"" } ?? ""
        let a = anchor == .start ? "" : " text-anchor=\"\(anchor.rawValue)\""
        let title = shown == content ? "" : "<title>\(SVG.escape(content))</title>"
        body.append("<text class=\"\(role)\" x=\"\(SVG.n(x))\" y=\"\(SVG.n(y))\" font-size=\"\(SVG.n(size))\"\(a)\(w)\(r) fill=\"\(fill)\">\(title)\(SVG.escape(shown))</text>")
    }
}
