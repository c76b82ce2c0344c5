import CZlib
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An SVG file read back as XML: every element's name and attributes, and each `<text>`'s
/// class and content. Reading fails when the file is not well-formed XML.
public struct SVGContent {
    public struct Text {
        public var role: String
        public var content: String
        /// The `<title>` inside the text: the whole label when the shown one is cut.
        public var title: String?
        public var fontSize: Double?
    }

    public var elements: [(name: String, attributes: [String: String])] = []
    public var texts: [Text] = []
    public var title = ""
    public var desc = ""
    /// The `<title>` of each drawn element (a bar's "label: value"), in order.
    public var elementTitles: [String] = []

    public func texts(_ role: String) -> [String] { texts.filter { $0.role == role }.map(\.content) }

    public init(_ data: Data) throws {
        let delegate = Collector()
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        guard parser.parse() else {
            throw NSError(domain: "SVG", code: 1, userInfo: [NSLocalizedDescriptionKey: "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "?") at line \(parser.lineNumber)"])
        }
        self = delegate.content
    }

    private final class Collector: NSObject, XMLParserDelegate {
        var content = SVGContent(empty: ())
        var stack: [String] = []
        var characters = ""
        var openText: Text?

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            content.elements.append((name, attributes))
            if name == "text" { openText = Text(role: attributes["class"] ?? "", content: "", title: nil, fontSize: attributes["font-size"].flatMap(Double.init)) }
            stack.append(name)
            characters = ""
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { characters += string }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            stack.removeLast()
            switch name {
            case "title":
                if stack.last == "text" { openText?.title = characters } else if stack == ["svg"] { content.title = characters } else { content.elementTitles.append(characters) }
                characters = ""
            case "desc" where stack == ["svg"]: content.desc = characters
            case "text":
                if var t = openText {
                    t.content = characters
                    content.texts.append(t)
                }
                openText = nil
            default: break
            }
            if name != "title" { characters = "" }
        }
    }

    private init(empty: ()) {}
}

/// A PNG image decoded to 8-bit RGBA pixels (the kinds Chromium writes: 8-bit RGB or RGBA,
/// not interlaced).
public struct PNGImage {
    public var width: Int
    public var height: Int
    public var pixels: [UInt8]

    public init(_ data: Data) throws {
        let bytes = [UInt8](data)
        func fail(_ why: String) -> NSError { NSError(domain: "PNG", code: 1, userInfo: [NSLocalizedDescriptionKey: why]) }
        guard bytes.count > 33, bytes[0..<8] == [137, 80, 78, 71, 13, 10, 26, 10] else { throw fail("not a PNG file") }
        func u32(_ i: Int) -> Int { Int(bytes[i]) << 24 | Int(bytes[i + 1]) << 16 | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3]) }
        var at = 8
        var idat: [UInt8] = []
        var colourType = 0, depth = 0, interlace = 0
        width = 0
        height = 0
        while at + 8 <= bytes.count {
            let length = u32(at), kind = String(decoding: bytes[(at + 4)..<(at + 8)], as: UTF8.self)
            let body = at + 8
            guard body + length <= bytes.count else { throw fail("a chunk runs past the end") }
            if kind == "IHDR" {
                width = u32(body); height = u32(body + 4)
                depth = Int(bytes[body + 8]); colourType = Int(bytes[body + 9]); interlace = Int(bytes[body + 12])
            } else if kind == "IDAT" {
                idat += bytes[body..<(body + length)]
            } else if kind == "IEND" { break }
            at = body + length + 4
        }
        guard depth == 8, interlace == 0, colourType == 2 || colourType == 6 else { throw fail("unsupported PNG (depth \(depth), colour type \(colourType))") }
        let channels = colourType == 6 ? 4 : 3
        let stride = width * channels
        var raw = [UInt8](repeating: 0, count: height * (stride + 1))
        var rawLength = uLongf(raw.count)
        let status = raw.withUnsafeMutableBufferPointer { out in
            idat.withUnsafeBufferPointer { input in uncompress(out.baseAddress, &rawLength, input.baseAddress, uLong(input.count)) }
        }
        guard status == Z_OK, Int(rawLength) == raw.count else { throw fail("the image data does not inflate (\(status))") }
        var image = [UInt8](repeating: 0, count: height * stride)
        for y in 0..<height {
            let filter = raw[y * (stride + 1)]
            for x in 0..<stride {
                let v = raw[y * (stride + 1) + 1 + x]
                let a = x >= channels ? Int(image[y * stride + x - channels]) : 0
                let b = y > 0 ? Int(image[(y - 1) * stride + x]) : 0
                let c = x >= channels && y > 0 ? Int(image[(y - 1) * stride + x - channels]) : 0
                let predicted: Int
                switch filter {
                case 1: predicted = a
                case 2: predicted = b
                case 3: predicted = (a + b) / 2
                case 4:
                    let p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                    predicted = pa <= pb && pa <= pc ? a : pb <= pc ? b : c
                default: predicted = 0
                }
                image[y * stride + x] = UInt8(truncatingIfNeeded: Int(v) + predicted)
            }
        }
        pixels = []
        pixels.reserveCapacity(width * height * 4)
        for i in 0..<(width * height) {
            pixels += image[(i * channels)..<(i * channels + 3)]
            pixels.append(channels == 4 ? image[i * channels + 3] : 255)
        }
    }

    /// The share of pixels that are not (nearly) white, and how many different colours there are.
    public var ink: (share: Double, colours: Int) {
        var inked = 0
        var colours = Set<UInt32>()
        for i in 0..<(width * height) {
            let r = pixels[i * 4], g = pixels[i * 4 + 1], b = pixels[i * 4 + 2]
            if r < 235 || g < 235 || b < 235 { inked += 1 }
            if colours.count < 1000 { colours.insert(UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b)) }
        }
        return (width * height == 0 ? 0 : Double(inked) / Double(width * height), colours.count)
    }
}

/// Headless Chromium (Debian's `chromium`), kept off the network: every host name resolves
/// to nothing, and the browser's own background services are switched off.
public enum Chromium {
    public static let program: String? = ["chromium", "chromium-browser", "google-chrome"].lazy.compactMap { name -> String? in
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }.first
    public static var runs: Bool { program != nil || Engines.underCI }
    public static let skip = "no chromium for the tests (apt-get install chromium)"

    static let offline = ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--disable-background-networking",
                          "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
                          "--disable-features=Translate,OptimizationHints,MediaRouter,SpellCheck", "--host-resolver-rules=MAP * ~NOTFOUND"]

    /// What Chromium made of a page: the DOM it built, its log (console messages appear as
    /// `CONSOLE` lines) and the URLs it tried to fetch that are not the browser's own services.
    public struct Visit {
        public var dom: String
        public var log: String
        public var requests: [String]
        public var consoleLines: [String] { log.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init) }
    }

    /// Opens a local file and dumps its DOM.
    public static func visit(_ file: URL) throws -> Visit {
        let folder = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let netlog = folder.appendingPathComponent("net.json")
        let (out, err) = try run(offline + ["--user-data-dir=\(folder.path)/profile", "--log-net-log=\(netlog.path)", "--enable-logging=stderr", "--v=0",
                                            "--dump-dom", file.absoluteString])
        let log = (try? String(contentsOf: netlog, encoding: .utf8)) ?? ""
        var requests: [String] = []
        let pattern = try NSRegularExpression(pattern: "\"url\":\"([a-z]+://[^\"]*)\"")
        for m in pattern.matches(in: log, range: NSRange(log.startIndex..., in: log)) {
            let url = String(log[Range(m.range(at: 1), in: log)!])
            let browserOwn = ["google.com/", "googleapis.com/", "gvt1.com/", "gstatic.com/"].contains { url.contains($0) }
            if !browserOwn, !url.hasPrefix("file://"), !requests.contains(url) { requests.append(url) }
        }
        return Visit(dom: out, log: err, requests: requests)
    }

    /// A screenshot of a local file at the given size, decoded.
    public static func screenshot(_ file: URL, width: Int, height: Int) throws -> PNGImage {
        let folder = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let png = folder.appendingPathComponent("shot.png")
        _ = try run(offline + ["--user-data-dir=\(folder.path)/profile", "--window-size=\(width),\(height)", "--screenshot=\(png.path)", file.absoluteString])
        return try PNGImage(Data(contentsOf: png))
    }

    /// The page as Chromium prints it (its print style sheet), as PDF: the size of each page in
    /// points.
    public static func printedPages(_ file: URL) throws -> [(width: Double, height: Double)] {
        let folder = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let pdf = folder.appendingPathComponent("page.pdf")
        _ = try run(offline + ["--user-data-dir=\(folder.path)/profile", "--no-pdf-header-footer", "--print-to-pdf=\(pdf.path)", file.absoluteString])
        let text = String(decoding: try Data(contentsOf: pdf), as: UTF8.self)
        let boxes = try NSRegularExpression(pattern: "/MediaBox \\[0 0 ([0-9.]+) ([0-9.]+)\\]")
        return boxes.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { m in
            (Double(text[Range(m.range(at: 1), in: text)!])!, Double(text[Range(m.range(at: 2), in: text)!])!)
        }
    }

    static func run(_ arguments: [String]) throws -> (String, String) {
        guard let program else { throw NSError(domain: "Chromium", code: 1, userInfo: [NSLocalizedDescriptionKey: skip]) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // read both pipes while it runs, so a full pipe cannot stall it
        let outData = Box(), errData = Box()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { outData.data = out.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { errData.data = err.fileHandleForReading.readDataToEndOfFile() }
        let killer = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 90, execute: killer)
        group.wait()
        process.waitUntilExit()
        killer.cancel()
        return (String(decoding: outData.data, as: UTF8.self), String(decoding: errData.data, as: UTF8.self))
    }

    /// Bytes one reader thread fills while the other waits for it (the group orders them).
    private final class Box: @unchecked Sendable { var data = Data() }
}
