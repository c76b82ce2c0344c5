import Foundation
import NKEngine
import NKDemoData
import NKLanguage
import NKRendering

/// The shell's own commands: lines starting with `.`.
enum DotCommands {
    static let names = ["help", "tables", "schema", "describe", "mode", "timer", "maxrows", "maxwidth", "read", "output",
                        "once", "cd", "history", "set", "bail", "step", "demo", "quit", "exit"]

    /// Runs one dot command; false when it failed (the error is printed).
    static func run(_ line: String, in shell: ShellSession, location: String) -> Bool {
        let words = line.dropFirst().split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let command = words.first?.lowercased() else { return true }
        let args = Array(words.dropFirst())
        func fail(_ message: String, hint: String? = nil) -> Bool {
            shell.report(ShellError(message, hint: hint, at: location))
            return false
        }
        func onOff(_ value: String?) -> Bool? {
            switch value?.lowercased() {
            case "on", "true", "yes", "1": return true
            case "off", "false", "no", "0": return false
            default: return nil
            }
        }
        switch command {
        case "help":
            if let topic = args.first {
                guard let text = HelpTopics.topic(topic) else {
                    let names = HelpTopics.all.map(\.name)
                    return fail("no help on `\(topic)`", hint: NameSuggestion.nearest(to: topic, in: names).map { "did you mean `\($0)`?" } ?? ".help lists the topics")
                }
                shell.message(text.hasSuffix("\n") ? String(text.dropLast()) : text)
            } else {
                shell.message(String(HelpTopics.overview.dropLast()))
            }
        case "tables":
            let s = shell.session
            if s.order.isEmpty { shell.message("no tables yet: load \"file.csv\" reads one"); return true }
            let tables = s.order.compactMap { s.table($0) }
            let t = try? Table([("table", .strings(s.order)), ("rows", .integers(tables.map { Int64($0.rowCount) })),
                                ("columns", .integers(tables.map { Int64($0.columnCount) }))])
            if let t { shell.printer.print(.table(t, totalRows: t.rowCount)) }
        case "schema":
            let s = shell.session
            let names = args.isEmpty ? s.order : args
            for name in names {
                guard let t = s.table(name) else {
                    return fail("no table `\(name)`", hint: NameSuggestion.nearest(to: name, in: s.order).map { "did you mean `\($0)`?" } ?? ".tables lists them")
                }
                shell.message("\(name): " + t.schema.map(\.description).joined(separator: ", "))
            }
        case "describe":
            guard let name = args.first else { return fail(".describe needs a table", hint: ".describe customers") }
            return shell.run("describe \(name)", name: location)
        case "mode":
            guard let value = args.first else {
                shell.message("mode: \(shell.printer.renderer.ascii && shell.printer.format == .table ? "ascii" : shell.printer.format.rawValue)")
                return true
            }
            if value.lowercased() == "ascii" || value.lowercased() == "box" {
                shell.printer.format = .table
                shell.printer.renderer.ascii = value.lowercased() == "ascii"
            } else if let f = OutputFormat(name: value) {
                shell.printer.format = f
                if f == .table { shell.printer.renderer.ascii = false }
            } else {
                return fail("no mode `\(value)`", hint: "modes: table, ascii, line, csv, tsv, json, jsonl, markdown")
            }
        case "timer":
            guard let on = onOff(args.first) else { return fail(".timer takes on or off") }
            shell.timer = on
        case "demo":
            return loadDemo(in: shell, location: location, hint: shell.history != nil)
        case "step":
            guard let on = onOff(args.first) else { return fail(".step takes on or off", hint: ".step on, then .read script.nk") }
            if on && shell.stepInput == nil {
                return fail("step mode needs the prompt: it waits for Enter before each statement", hint: "nk --step script.nk in a terminal")
            }
            shell.stepping = on
            if on { shell.message("step mode: scripts (.read file.nk) pause before each statement") }
        case "bail":
            guard let on = onOff(args.first) else { return fail(".bail takes on or off") }
            shell.bail = on
        case "maxrows", "maxwidth":
            guard let value = args.first, let n = Int(value), n > 0 else { return fail(".\(command) takes a positive number", hint: ".\(command) 50") }
            if command == "maxrows" { shell.printer.renderer.maxRows = n } else { shell.printer.renderer.maxColumnWidth = max(4, n) }
        case "read":
            guard let path = args.first else { return fail(".read needs a file", hint: ".read script.nk") }
            let full = shell.session.resolve(path)
            guard let data = FileManager.default.contents(atPath: full), let text = String(data: data, encoding: .utf8) else {
                return fail("cannot read \(path)", hint: "check the path")
            }
            return shell.run(text, name: path, baseDirectory: (full as NSString).deletingLastPathComponent)
        case "output", "once":
            shell.endRedirect()
            guard let path = args.first else {
                if command == "once" { return fail(".once needs a file", hint: ".once result.csv") }
                return true
            }
            let full = shell.session.resolve(path)
            guard FileManager.default.createFile(atPath: full, contents: nil), let handle = FileHandle(forWritingAtPath: full) else {
                return fail("cannot write \(path)", hint: "check that the folder exists and is writable")
            }
            shell.redirect = handle
            shell.redirectOnce = command == "once"
        case "cd":
            let target = args.first.map { ($0 as NSString).expandingTildeInPath } ?? NSHomeDirectory()
            guard FileManager.default.changeCurrentDirectoryPath(target) else { return fail("cannot change to \(target)") }
            shell.message(FileManager.default.currentDirectoryPath)
        case "history":
            guard let history = shell.history else { return fail(".history works at the prompt") }
            let n = args.first.flatMap { Int($0) } ?? 20
            let entries = history.entries.suffix(n)
            let first = history.entries.count - entries.count + 1
            for (i, e) in entries.enumerated() { shell.message(String(format: "%5d  ", first + i) + e.replacingOccurrences(of: "\n", with: "\n       ")) }
        case "set":
            guard args.count >= 2 else { return fail(".set takes a setting and a value", hint: ".set today 2025-06-30") }
            var value = args.dropFirst().joined(separator: " ")
            if ["memory_limit", "memory-limit"].contains(args[0].lowercased()), !value.hasPrefix("\"") { value = "\"\(value)\"" }
            return shell.run("set \(args[0]) = \(value)", name: location)
        case "quit", "exit":
            if let code = args.first {
                guard let c = Int32(code) else { return fail(".exit takes a whole number") }
                shell.exitRequest = c
            } else {
                shell.exitRequest = 0
            }
        default:
            return fail("no command .\(command)", hint: NameSuggestion.nearest(to: command, in: names).map { "did you mean .\($0)?" } ?? ".help lists the commands")
        }
        return true
    }

    /// Loads the demo data (Datasets/demo) and sets `today` to its last day. The folder is
    /// looked for in `NK_DEMO_DATA`, the working directory and above nk's executable; where it
    /// is missing (an installed nk), the generator writes it into the temporary folder first.
    static func loadDemo(in shell: ShellSession, location: String, hint: Bool) -> Bool {
        let environment = ProcessInfo.processInfo.environment
        var candidates = [environment["NK_DEMO_DATA"], "Datasets/demo"].compactMap { $0 }
        var folder = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(folder.appendingPathComponent("Datasets/demo").path)
            folder = folder.deletingLastPathComponent()
        }
        var path = candidates.first { FileManager.default.fileExists(atPath: ($0 as NSString).appendingPathComponent("customers.csv")) }
        if path == nil {
            let generated = (NSTemporaryDirectory() as NSString).appendingPathComponent("nk-demo-\(NKCommandLine.version)")
            do {
                if !FileManager.default.fileExists(atPath: (generated as NSString).appendingPathComponent("markt.csv")) {
                    try DemoData.write(to: generated)
                }
                path = generated
            } catch {
                shell.report(ShellError("cannot write the demo data to \(generated): \(error)", at: location))
                return false
            }
        }
        let quoted = path!.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        guard shell.run("set today = \(DemoData.referenceDay)\nload \"\(quoted)\"", name: location) else { return false }
        guard hint else { return true }
        shell.message("""
            the demo data: Kessler Befestigungstechnik, a supplier of fasteners, with its customers and prospects,
            orders, contacts, interviews and a market statistic (Datasets/demo/README.md tells its story). Try:
              customers | segment by status
              customers | why-not status = "lost" by channel, industry, size reasons lost_reason
              orders | segment lifecycle
            or a workshop: .read Scripts/workshop/01-nicht-kunden.nk (.step on first, to go one statement at a time)
            """)
        return true
    }
}
