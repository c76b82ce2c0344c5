import Foundation
import NKEngine
import NKDemoData
import NKLanguage
import NKRendering

/// The shell's own commands: lines starting with `.`.
enum DotCommands {
    static let names = ["help", "tables", "schema", "describe", "mode", "timer", "maxrows", "maxwidth", "read", "output",
                        "once", "cd", "history", "set", "bail", "step", "demo", "quit", "exit",
                        "import", "dump", "headers", "nullvalue", "separator", "open", "report"]

    /// One dot command as typed: its name, its arguments, the shell, and where it was written.
    struct Invocation {
        let command: String
        let args: [String]
        let shell: ShellSession
        let location: String

        /// Reports an error at the command's place; false, for returning.
        func fail(_ message: String, hint: String? = nil) -> Bool {
            shell.report(ShellError(message, hint: hint, at: location))
            return false
        }

        /// The first argument as on or off; nil when it is neither.
        var onOff: Bool? {
            switch args.first?.lowercased() {
            case "on", "true", "yes", "1": return true
            case "off", "false", "no", "0": return false
            default: return nil
            }
        }
    }

    /// What each command does; false when it failed (the error is printed).
    static let handlers: [String: @Sendable (Invocation) -> Bool] = [
        "help": help, "tables": tables, "schema": schema, "describe": describe, "mode": mode,
        "timer": timer, "bail": bail, "step": step, "maxrows": limit, "maxwidth": limit,
        "read": read, "output": output, "once": output, "cd": changeFolder, "history": history,
        "set": set, "report": report, "demo": { loadDemo(in: $0.shell, location: $0.location, hint: $0.shell.history != nil) },
        "quit": quit, "exit": quit,
        // what sqlite3 and duckdb users type first: done, or answered with nk's way
        "import": importFile, "dump": dump, "headers": answer, "nullvalue": answer, "separator": answer, "open": openFile,
    ]

    /// `.import FILE TABLE` (sqlite3's `--csv` and other flags ignored) is `load "FILE" as TABLE`.
    static func importFile(_ c: Invocation) -> Bool {
        let args = c.args.filter { !$0.hasPrefix("--") }
        guard let path = args.first else { return c.fail(".import needs a file", hint: "in nk: load \"file.csv\" as name") }
        let quoted = path.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        let statement = "load \"\(quoted)\"" + (args.count > 1 ? " as \(args[1])" : "")
        c.shell.message(".import is \(statement) in nk")
        return c.shell.run(statement, name: c.location)
    }

    /// `.open FILE`: sqlite3's way to open a database is nk's attach.
    static func openFile(_ c: Invocation) -> Bool {
        guard let path = c.args.first else { return c.fail(".open needs a file", hint: "in nk: attach \"crm.sqlite\" as crm") }
        let quoted = path.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        let statement = "attach \"\(quoted)\" as \(Session.tableName(for: path))"
        c.shell.message(".open is \(statement) in nk")
        return c.shell.run(statement, name: c.location)
    }

    /// `.dump TABLE`: the table as CSV, whatever the output mode.
    static func dump(_ c: Invocation) -> Bool {
        let s = c.shell.session
        guard let name = c.args.first else { return c.fail(".dump needs a table", hint: ".dump customers (as CSV; save customers to \"customers.csv\" writes a file)") }
        guard let table = s.table(name) else {
            return c.fail("no table `\(name)`", hint: NameSuggestion.nearest(to: name, in: s.order).map { "did you mean `\($0)`?" } ?? ".tables lists them")
        }
        c.shell.printer.out(CSVWriter.string(table))
        return true
    }

    /// The other commands of sqlite3 and duckdb: what to do in nk instead.
    static func answer(_ c: Invocation) -> Bool {
        let answers = [
            "headers": "nk always names the columns: tables show a header, csv and tsv output start with one",
            "nullvalue": "nk shows a null as null in tables and leaves it empty in csv; to show another text: select coalesce(x, \"-\")",
            "separator": "nk sets the output separator with the mode (.mode csv, .mode tsv) and the input one with load … with delimiter ';'",
        ]
        c.shell.message(answers[c.command] ?? ".help lists the commands")
        return true
    }

    /// Runs one dot command; false when it failed (the error is printed).
    static func run(_ line: String, in shell: ShellSession, location: String) -> Bool {
        let words = line.dropFirst().split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let command = words.first?.lowercased() else { return true }
        let invocation = Invocation(command: command, args: Array(words.dropFirst()), shell: shell, location: location)
        guard let handler = handlers[command] else {
            return invocation.fail("no command .\(command)", hint: NameSuggestion.nearest(to: command, in: names).map { "did you mean .\($0)?" } ?? ".help lists the commands")
        }
        return handler(invocation)
    }

    static func help(_ c: Invocation) -> Bool {
        guard !c.args.isEmpty else {
            c.shell.message(String(HelpTopics.overview.dropLast()))
            return true
        }
        let topic = c.args.joined(separator: " ")
        guard let text = HelpTopics.topic(topic) else {
            let names = HelpTopics.all.map(\.name)
            return c.fail("no help on `\(topic)`", hint: NameSuggestion.nearest(to: topic, in: names).map { "did you mean `\($0)`?" } ?? ".help lists the topics")
        }
        c.shell.message(text.hasSuffix("\n") ? String(text.dropLast()) : text)
        return true
    }

    static func tables(_ c: Invocation) -> Bool {
        let s = c.shell.session
        if s.order.isEmpty, s.databaseOrder.isEmpty { c.shell.message("no tables yet: load \"file.csv\" reads one"); return true }
        var names = s.order, rows: [Int64?] = [], columns: [Int64?] = [], from: [String?] = [], sizes: [String?] = []
        let held = s.memoryHeld()
        for (t, size) in zip(s.order.compactMap({ s.table($0) }), held.tables) {
            rows.append(Int64(t.rowCount)); columns.append(Int64(t.columnCount)); from.append("memory")
            sizes.append(ExecutionContext.formatBytes(size.bytes))
        }
        // an attached database's tables are listed without reading them
        for db in s.databaseOrder {
            guard let database = s.databases[db] else { continue }
            let tables: [String]
            do { tables = try database.tableNames() } catch { return c.fail("\(db): \(error)", hint: "detach \(db), then attach it again") }
            for t in tables {
                names.append("\(db).\(t)"); rows.append(nil); columns.append(nil); from.append("\(database.kind) \(database.location)")
                sizes.append(nil)
            }
        }
        var pairs: [(String, Column)] = [("table", .strings(names)), ("rows", .integers(rows)), ("columns", .integers(columns)),
                                         ("memory", .strings(sizes))]
        if !s.databaseOrder.isEmpty { pairs.append(("from", .strings(from))) }
        let t = try? Table(pairs)
        if let t { c.shell.printer.print(.table(t, totalRows: t.rowCount)) }
        if !s.order.isEmpty {
            // tables that share columns (a copy, a filter's text) hold them once in the total
            c.shell.message("the tables hold \(ExecutionContext.formatBytes(held.total)) in all"
                            + (s.memoryLimitIsSet ? " of the memory limit of \(ExecutionContext.formatBytes(s.memoryLimit))" : ""))
        }
        return true
    }

    static func schema(_ c: Invocation) -> Bool {
        let s = c.shell.session
        for name in c.args.isEmpty ? s.order : c.args {
            guard let t = s.table(name) else {
                return c.fail("no table `\(name)`", hint: NameSuggestion.nearest(to: name, in: s.order).map { "did you mean `\($0)`?" } ?? ".tables lists them")
            }
            c.shell.message("\(name):\n" + t.schema.map { "  \($0.description)" }.joined(separator: "\n"))
        }
        return true
    }

    static func describe(_ c: Invocation) -> Bool {
        guard let name = c.args.first else { return c.fail(".describe needs a table", hint: ".describe customers") }
        return c.shell.run("describe \(name)", name: c.location)
    }

    static func mode(_ c: Invocation) -> Bool {
        let printer = c.shell.printer
        guard let value = c.args.first else {
            c.shell.message("mode: \(printer.renderer.ascii && printer.format == .table ? "ascii" : printer.format.rawValue)")
            return true
        }
        if value.lowercased() == "ascii" || value.lowercased() == "box" {
            printer.format = .table
            printer.renderer.ascii = value.lowercased() == "ascii"
        } else if let f = OutputFormat(name: value) {
            printer.format = f
            if f == .table { printer.renderer.ascii = false }
        } else {
            return c.fail("no mode `\(value)`", hint: "modes: table, ascii, line, csv, tsv, json, jsonl, markdown")
        }
        return true
    }

    static func timer(_ c: Invocation) -> Bool {
        guard let on = c.onOff else { return c.fail(".timer takes on or off") }
        c.shell.timer = on
        return true
    }

    static func bail(_ c: Invocation) -> Bool {
        guard let on = c.onOff else { return c.fail(".bail takes on or off") }
        c.shell.bail = on
        return true
    }

    static func step(_ c: Invocation) -> Bool {
        guard let on = c.onOff else { return c.fail(".step takes on or off", hint: ".step on, then .read script.nk") }
        if on && c.shell.stepInput == nil {
            return c.fail("step mode needs the prompt: it waits for Enter before each statement", hint: "nk --step script.nk in a terminal")
        }
        c.shell.stepping = on
        if on { c.shell.message("step mode: scripts (.read file.nk) pause before each statement") }
        return true
    }

    /// `.maxrows N` and `.maxwidth N`.
    static func limit(_ c: Invocation) -> Bool {
        guard let value = c.args.first, let n = Int(value), n > 0 else { return c.fail(".\(c.command) takes a positive number", hint: ".\(c.command) 50") }
        if c.command == "maxrows" { c.shell.printer.renderer.maxRows = n } else { c.shell.printer.renderer.maxColumnWidth = max(4, n) }
        return true
    }

    static func read(_ c: Invocation) -> Bool {
        guard let path = c.args.first else { return c.fail(".read needs a file", hint: ".read script.nk") }
        let full = c.shell.session.resolve(path)
        guard let data = FileManager.default.contents(atPath: full), let text = String(data: data, encoding: .utf8) else {
            return c.fail("cannot read \(path)", hint: "check the path")
        }
        return c.shell.run(text, name: path, baseDirectory: (full as NSString).deletingLastPathComponent)
    }

    /// `.output [file]` and `.once file`.
    static func output(_ c: Invocation) -> Bool {
        c.shell.endRedirect()
        guard let path = c.args.first else {
            if c.command == "once" { return c.fail(".once needs a file", hint: ".once result.csv") }
            return true
        }
        let full = c.shell.session.resolve(path)
        guard FileManager.default.createFile(atPath: full, contents: nil), let handle = FileHandle(forWritingAtPath: full) else {
            return c.fail("cannot write \(path)", hint: "check that the folder exists and is writable")
        }
        c.shell.redirect = handle
        c.shell.redirectOnce = c.command == "once"
        return true
    }

    /// `.report FILE [overwrite]`: the session so far as one HTML page. An existing file is
    /// replaced only when this shell wrote it or `overwrite` says so.
    static func report(_ c: Invocation) -> Bool {
        guard let path = c.args.first else { return c.fail(".report needs a file", hint: ".report session.html") }
        guard let recorder = c.shell.recorder else {
            return c.fail("this run records nothing for a report", hint: "nk --report FILE script.nk writes a script's report; at the prompt .report writes the session")
        }
        let full = URL(fileURLWithPath: c.shell.session.resolve(path)).standardizedFileURL.path
        let overwrite = c.args.dropFirst().first?.lowercased() == "overwrite" || c.shell.session.overwriteFiles
        if FileManager.default.fileExists(atPath: full), !overwrite, !c.shell.reportsWritten.contains(full) {
            return c.fail("\(path) exists, and nk did not write it in this session: it is left as it is", hint: "to replace it: .report \(path) overwrite")
        }
        do {
            try recorder.write(to: full, language: c.shell.session.language, fallbackTitle: "nk")
        } catch {
            return c.fail("cannot write \(path): \(error.localizedDescription)", hint: "name a file in a folder you can write to")
        }
        c.shell.reportsWritten.insert(full)
        c.shell.message(c.shell.session.language == .german ? "Bericht geschrieben: \(path)" : "wrote the report to \(path)")
        return true
    }

    static func changeFolder(_ c: Invocation) -> Bool {
        let target = c.args.first.map { ($0 as NSString).expandingTildeInPath } ?? NSHomeDirectory()
        guard FileManager.default.changeCurrentDirectoryPath(target) else { return c.fail("cannot change to \(target)") }
        c.shell.message(FileManager.default.currentDirectoryPath)
        return true
    }

    static func history(_ c: Invocation) -> Bool {
        guard let history = c.shell.history else { return c.fail(".history works at the prompt") }
        let n = c.args.first.flatMap { Int($0) } ?? 20
        let entries = history.entries.suffix(n)
        let first = history.entries.count - entries.count + 1
        for (i, e) in entries.enumerated() { c.shell.message(String(format: "%5d  ", first + i) + e.replacingOccurrences(of: "\n", with: "\n       ")) }
        return true
    }

    static func set(_ c: Invocation) -> Bool {
        guard c.args.count >= 2 else { return c.fail(".set takes a setting and a value", hint: ".set today 2025-06-30") }
        var value = c.args.dropFirst().joined(separator: " ")
        if ["memory_limit", "memory-limit"].contains(c.args[0].lowercased()), !value.hasPrefix("\"") { value = "\"\(value)\"" }
        return c.shell.run("set \(c.args[0]) = \(value)", name: c.location)
    }

    /// `.quit` and `.exit [CODE]`.
    static func quit(_ c: Invocation) -> Bool {
        if let code = c.args.first {
            guard let status = Int32(code) else { return c.fail(".exit takes a whole number") }
            c.shell.exitRequest = status
        } else {
            c.shell.exitRequest = 0
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
            """ + (FileManager.default.fileExists(atPath: "Scripts/workshop/01-nicht-kunden.nk")
                ? "\nor a workshop: .read Scripts/workshop/01-nicht-kunden.nk (.step on first, to go one statement at a time)" : ""))
        return true
    }
}
