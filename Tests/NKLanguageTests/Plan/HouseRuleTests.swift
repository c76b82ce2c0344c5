import Foundation
import NKLanguage
import NKTestSupport
import Testing

/// The rules the code keeps, checked on the sources themselves: small files, short functions,
/// and verbs named only in their own files (the parser, help, completion and the statement
/// runner find them through the registry).
@Suite struct HouseRuleTests {
    static let sources = TestPaths.root.appendingPathComponent("Sources")

    static func swiftFiles(_ folder: URL) -> [URL] {
        let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        return (walker?.allObjects as? [URL] ?? []).filter { $0.pathExtension == "swift" }.sorted { $0.path < $1.path }
    }

    static func relative(_ url: URL) -> String { String(url.path.dropFirst(TestPaths.root.path.count + 1)) }

    @Test func noSourceFileOver500Lines() throws {
        for file in Self.swiftFiles(Self.sources) {
            let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).count
            #expect(lines <= 500, "\(Self.relative(file)) has \(lines) lines")
        }
    }

    @Test func noFunctionOver80Lines() throws {
        for file in Self.swiftFiles(Self.sources) {
            let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for (start, length) in FunctionLengths.of(lines) {
                #expect(length <= 80, "\(Self.relative(file)):\(start + 1): a function of \(length) lines")
            }
        }
    }

    /// The measure itself: a function is counted from its `func` line to its closing brace.
    @Test func functionLengthsAreMeasured() {
        let lines = ["struct A {", "    func f(_ x: Int = { 1 }(),", "           y: Int) -> Int {", "        if x > 0 { return 1 }",
                     "        return \"}\".count", "    }", "    init() {}", "}"]
        #expect(FunctionLengths.of(lines).map(\.length) == [5, 1])
        let requirements = ["protocol P {", "    func f() -> Int", "    /// g", "    func g()", "}", "extension P {", "    func f() -> Int { 1 }", "}"]
        #expect(FunctionLengths.of(requirements).map(\.length) == [1])
    }

    /// Outside `Verbs/`, no code decides by a stage's keyword: it asks the registry.
    @Test func verbsAreNamedOnlyInTheirOwnFiles() throws {
        let folders = ["NKLanguage/Parser", "NKLanguage/Session", "NKLanguage/Plan", "NKShell", "NKRendering"]
        let keywords = VerbRegistry.stageWords + VerbRegistry.verbs.compactMap { $0.words.qualifier }
        for folder in folders {
            for file in Self.swiftFiles(Self.sources.appendingPathComponent(folder)) {
                let text = try String(contentsOf: file, encoding: .utf8)
                // `count(distinct x)` is an expression, not the stages `count` and `distinct`
                let ownWords: Set<String> = file.lastPathComponent == "Parser+Expressions.swift" ? ["count", "distinct"] : []
                for word in keywords where !ownWords.contains(word) {
                    for pattern in ["isWord(\"\(word)\")", "accept(\"\(word)\")", "case \"\(word)\"", "== \"\(word)\""] {
                        #expect(!text.contains(pattern), "\(Self.relative(file)) decides by `\(pattern)`")
                    }
                }
            }
        }
    }

    @Test func everyVerbHasHelpAndItsOwnWords() {
        var names = Set<String>()
        for verb in VerbRegistry.verbs {
            #expect(names.insert(verb.words.name).inserted, "\(verb.words.name) is registered twice")
            #expect(!verb.help.summary.isEmpty && verb.help.example.contains(verb.words.keyword), "\(verb.words.name)")
        }
    }
}

/// Lengths of the functions in Swift source lines (declaration to closing brace), ignoring
/// braces in strings and comments.
enum FunctionLengths {
    static func of(_ lines: [String]) -> [(start: Int, length: Int)] {
        var found: [(Int, Int)] = []
        for (i, line) in lines.enumerated() where isDeclaration(line) {
            if let end = closingLine(lines, from: i) { found.append((i, end - i + 1)) }
        }
        return found
    }

    static func isDeclaration(_ line: String) -> Bool {
        let words = line.trimmingCharacters(in: .whitespaces).split(separator: " ").map(String.init)
        let modifiers: Set = ["public", "private", "fileprivate", "internal", "static", "mutating", "override", "nonisolated", "@discardableResult", "final"]
        guard let word = words.first(where: { !modifiers.contains($0) && !$0.hasPrefix("@") }) else { return false }
        return word == "func" || word.hasPrefix("init(") || word.hasPrefix("init?(") || word.hasPrefix("init<")
    }

    /// The line of the brace that closes the body opened after `start` (outside parentheses).
    static func closingLine(_ lines: [String], from start: Int) -> Int? {
        var parentheses = 0, depth = 0, opened = false
        for i in start..<min(lines.count, start + 1000) {
            for c in code(lines[i]) {
                if !opened {
                    if c == "(" { parentheses += 1 } else if c == ")" { parentheses -= 1 } else if c == "{", parentheses == 0 { opened = true; depth = 1 }
                } else if c == "{" {
                    depth += 1
                } else if c == "}" {
                    depth -= 1
                    if depth == 0 { return i }
                }
            }
            if !opened, i - start > 12 { return nil }
            // a requirement in a protocol has no body: the next line is a comment or a declaration
            if !opened, parentheses == 0, i + 1 < lines.count {
                let next = lines[i + 1].trimmingCharacters(in: .whitespaces)
                if next.hasPrefix("///") || next.hasPrefix("}") || isDeclaration(next) || next.hasPrefix("var ") { return nil }
            }
        }
        return nil
    }

    /// A line without its string literals and comment.
    static func code(_ line: String) -> String {
        var out = "", inString = false, escaped = false
        var previous: Character = " "
        for c in line {
            if inString {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
            } else if c == "\"" {
                inString = true
            } else if c == "/", previous == "/" {
                out.removeLast()
                break
            } else {
                out.append(c)
            }
            previous = c
        }
        return out
    }
}
