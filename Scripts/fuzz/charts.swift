// The SVG and HTML writers: a table of labels and numbers from the fuzzer's bytes (markup
// characters, control characters, text that is not UTF-8, NaN, infinities, huge and tiny
// numbers) drawn as each chart and written as a report page. The SVG is always well-formed
// XML; the page is too, apart from HTML's void elements (`<br>`, `<meta>`) and its doctype.
import Foundation
import NKAnalysis
import NKEngine
import NKLanguage
import NKRendering

/// Checks well-formedness: tags nest and close, attributes are quoted, `&` starts an entity,
/// no `<` in text, no character XML 1.0 cannot hold. `void` names elements that need no end.
func checkXML(_ text: String, void: Set<String> = [], what: String) {
    func fail(_ why: String, _ at: Int) -> Never {
        let bytes = Array(text.utf8)
        let from = max(0, at - 60), to = min(bytes.count, at + 60)
        fatalError("\(what): \(why) at byte \(at): …\(String(decoding: bytes[from..<to], as: UTF8.self))…")
    }
    let b = Array(text.utf8)
    var stack: [String] = []
    var i = 0
    func name(_ j: inout Int) -> String {
        let start = j
        while j < b.count, b[j] != 32, b[j] != 10, b[j] != 9, b[j] != 62, b[j] != 47, b[j] != 61 { j += 1 }
        return String(decoding: b[start..<j], as: UTF8.self)
    }
    func find(_ pattern: [UInt8], from: Int) -> Int? {
        var k = from
        while k + pattern.count <= b.count {
            if b[k] == pattern[0], b[k..<(k + pattern.count)].elementsEqual(pattern) { return k }
            k += 1
        }
        return nil
    }
    func entity(_ j: Int) {
        guard let semicolon = b[j...].prefix(12).firstIndex(of: 59) else { fail("a bare &", j) }
        let body = String(decoding: b[(j + 1)..<semicolon], as: UTF8.self)
        guard ["amp", "lt", "gt", "quot", "apos"].contains(body) || body.hasPrefix("#") else { fail("an unknown entity &\(body);", j) }
    }
    while i < b.count {
        let c = b[i]
        if c < 0x20, c != 9, c != 10, c != 13 { fail("control character \(c)", i) }
        if c == 38 { entity(i); i += 1; continue }
        if c != 60 { i += 1; continue }
        // a tag
        if b[(i + 1)...].starts(with: Array("!--".utf8)) {
            guard let end = find(Array("-->".utf8), from: i + 4) else { fail("an open comment", i) }
            i = end + 3
            continue
        }
        if b[(i + 1)...].starts(with: Array("!DOCTYPE".utf8)) || b[(i + 1)...].starts(with: Array("?xml".utf8)) {
            guard let close = b[i...].firstIndex(of: 62) else { fail("an open declaration", i) }
            i = close + 1
            continue
        }
        var j = i + 1
        let closing = j < b.count && b[j] == 47
        if closing { j += 1 }
        let tag = name(&j)
        if tag.isEmpty { fail("a < in text", i) }
        var selfClosing = false
        while true {
            while j < b.count, b[j] == 32 || b[j] == 10 || b[j] == 9 { j += 1 }
            guard j < b.count else { fail("an open tag <\(tag)", i) }
            if b[j] == 62 { j += 1; break }
            if b[j] == 47, j + 1 < b.count, b[j + 1] == 62 { selfClosing = true; j += 2; break }
            if closing { fail("attributes in an end tag", j) }
            let attribute = name(&j)
            if attribute.isEmpty { fail("a bad attribute in <\(tag)", j) }
            guard j + 1 < b.count, b[j] == 61, b[j + 1] == 34 || b[j + 1] == 39 else { fail("attribute \(attribute) without a quoted value", j) }
            let quote = b[j + 1]
            j += 2
            while j < b.count, b[j] != quote {
                if b[j] == 60 { fail("a < in an attribute", j) }
                if b[j] == 38 { entity(j) }
                if b[j] < 0x20, b[j] != 9, b[j] != 10, b[j] != 13 { fail("control character in an attribute", j) }
                j += 1
            }
            guard j < b.count else { fail("an open attribute value", i) }
            j += 1
        }
        if closing {
            guard stack.last == tag else { fail("</\(tag)> closes <\(stack.last ?? "nothing")>", i) }
            stack.removeLast()
        } else if !selfClosing, !void.contains(tag.lowercased()) {
            stack.append(tag)
            if tag == "style" || tag == "script" {
                // raw text up to its end tag
                guard let end = find(Array("</\(tag)>".utf8), from: j) else { fail("an open <\(tag)>", i) }
                j = end
            }
        }
        i = j
    }
    if let open = stack.last { fail("<\(open)> never closes", b.count) }
}

extension Choices {
    mutating func label() -> String {
        let samples = ["<b>", "a & b", "\"quoted\"", "it's", "]]>", "\u{1}\u{8}", "\u{FFFE}", "Süd", "\u{202E}rtl", "", " ", "-->", "&amp;"]
        if next(3) == 0 { return pick(samples) }
        let bytes = (0..<next(10)).map { _ in UInt8(next(256)) }
        return String(decoding: bytes, as: UTF8.self)
    }

    mutating func number() -> Double? {
        switch next(8) {
        case 0: return nil
        case 1: return pick([Double.nan, .infinity, -.infinity, -0.0, 1e308, -1e308, 5e-324, 1e-300])
        case 2: return Double(next(256)) * pick([1, -1, 1000, 0.001, 1e12])
        default:
            var v: UInt64 = 0
            for _ in 0..<8 { v = v << 8 | UInt64(next(256)) }
            return next(2) == 0 ? Double(Int64(bitPattern: v) >> UInt64(next(64))) : Double(bitPattern: v)
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    var c = Choices(data, size)
    let rows = c.next(30)
    let labels = 1 + c.next(2), numbers = 1 + c.next(3)
    var pairs: [(String, Column)] = []
    for k in 0..<labels { pairs.append(("\(c.label())_\(k)", .strings((0..<rows).map { _ in c.next(5) == 0 ? nil : c.label() }))) }
    for k in 0..<numbers {
        if c.next(3) == 0 {
            pairs.append(("n\(k)", .integers((0..<rows).map { _ in c.number().map { $0.isFinite && abs($0) < 9e18 ? Int64($0) : 0 } })))
        } else {
            pairs.append(("\(c.label())\(k)", .floats((0..<rows).map { _ in c.number() })))
        }
    }
    guard let table = try? Table(pairs) else { return 0 }
    // FUZZ_PRINT=1 .build/fuzz-plain/fuzz-charts CRASH shows the table a crash came from
    if getenv("FUZZ_PRINT") != nil {
        for column in table.columns { fputs("\(column.type): \(column.values.map { "\($0)" }.joined(separator: " | "))\n", stderr) }
    }
    let language: LabelLanguage = c.next(2) == 0 ? .english : .german
    let result = TableResult(table)
    for groups in [nil, labels] as [Int?] {
        if let svg = Chart.svg(Chart.Request(result, language: language, groupColumns: groups, anyTable: true)) {
            checkXML(svg, what: "chart")
        }
    }
    var page = HTMLReport(title: c.label(), language: language)
    var blocks: [HTMLReport.Block] = [.comment(c.label()), .code(c.label()), .narration(c.label()), .error(c.label())]
    let shown = HTMLReport.fragments(of: .result(result), groupColumns: labels, language: language, maxRows: 1 + c.next(10))
        + HTMLReport.fragments(of: .message(c.label()), groupColumns: nil, language: language, maxRows: 10)
    blocks += shown.map { HTMLReport.Block.fragment($0) }
    page.blocks = blocks
    checkXML(page.html(), void: ["br", "meta", "img", "hr", "link", "input", "wbr"], what: "report")
    return 0
}
