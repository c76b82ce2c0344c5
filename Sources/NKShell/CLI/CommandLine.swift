import CReadline
import Foundation
import NKEngine
import NKLanguage
import NKRendering

/// nk's command line: what the flags mean, and the exit status (0 fine, 1 a statement failed,
/// 2 the command line itself is wrong; `.exit N` chooses its own).
public enum NKCommandLine {
    public static let version = "0.4.0"

    public static let usage = """
        nk \(version) — an analysis shell for non-customer thinking

        usage: nk [options] [SCRIPT.nk | DATA.csv | FOLDER]...

        With nothing to run and a terminal, nk opens its prompt. Scripts run in order (paths in
        a script start in its folder); a CSV file or folder is loaded and summarised; statements
        piped on standard input run like a script.

        options:
          -c STATEMENTS       run these statements (may be repeated)
          -f FILE             run a script (like naming it)
          -i                  open the prompt after running the rest
          --demo              load the demo data first (Datasets/demo, as of its last day)
          --step              run scripts one statement per Enter, then open the prompt
                              (for teaching; needs a terminal)
          --format FORMAT     table (default), line, csv, tsv, json, jsonl or markdown
          --bail              stop at the first failing statement (the default)
          --keep-going        run every statement even after one fails (exit status 1 then)
          --init FILE         run FILE first (default before the prompt: $XDG_CONFIG_HOME/nk/nkrc)
          --no-init           run no init file
          --no-color          no colour (NO_COLOR in the environment does the same)
          --color             colour and bars even when the output is not a terminal
          --rows N            rows shown per result table (default 40)
          --report FILE       also write what ran as one HTML page: narration, statements,
                              tables and a chart of each result (docs/CHARTS.md)
          -h, --help          show this text
          --version           show nk's version

        examples:
          nk                                   the prompt
          nk --demo                            the prompt, with the demo data loaded
          nk --step Scripts/workshop/01-nicht-kunden.nk   a workshop, one step per Enter
          nk Datasets/demo                     what the demo data holds
          nk report.nk                         run a script
          nk -c 'load "Datasets/demo"' -c 'customers | segment by status'
          nk --format csv report.nk > out.csv  results as CSV
          nk --report workshop.html Scripts/workshop/01-nicht-kunden.nk   a page for the room
          echo 'load "a.csv"; a | count' | nk  statements from a pipe

        At the prompt, .help lists everything; docs/LANGUAGE.md is the language reference.

        """

    struct Options {
        var inputs: [Input] = []
        var format = OutputFormat.table
        var formatGiven = false
        var keepGoing = false
        var rows = 40
        var interactive = false
        var demo = false
        var step = false
        var initFile: String?
        var noInit = false
        var color = true
        /// Colour and bars even when the output is not a terminal.
        var forceColor = false
        /// `--report FILE`: the HTML page of what ran.
        var report: String?
    }

    enum Input {
        case script(String)
        case data(String)
        case command(String)
    }

    /// Runs nk with `arguments` (without the program name); returns the exit status.
    public static func run(_ arguments: [String],
                           output: @escaping (String) -> Void = { FileHandle.standardOutput.write(Data($0.utf8)) },
                           errors: @escaping (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) },
                           standardInput: () -> String? = NKCommandLine.pipedStandardInput,
                           environment: [String: String] = ProcessInfo.processInfo.environment,
                           terminal: Bool = isatty(0) != 0 && isatty(1) != 0) -> Int32 {
        var options: Options
        switch parse(arguments, output: output, errors: errors) {
        case .exit(let status): return status
        case .run(let parsed): options = parsed
        }
        if options.step {
            guard terminal else {
                errors(ErrorRenderer.render(ShellError("--step needs a terminal: it waits for Enter before each statement", hint: "without --step the script runs start to finish")))
                return 2
            }
            options.interactive = true
        }
        let prompt = (options.inputs.isEmpty || options.interactive) && terminal
        let color = options.color && (terminal || options.forceColor) && environment["NO_COLOR"] == nil
        let shell = ShellSession(format: options.format, rows: options.rows, color: color, out: output, err: errors)
        shell.bail = !options.keepGoing
        if terminal {
            shell.printer.renderer.width = Terminal.width()
        }
        shell.printer.renderer.bars = terminal || options.forceColor
        if prompt || options.report != nil { shell.recorder = ReportRecorder() }
        var failed = false

        // the init file: named with --init anywhere, the default one only before the prompt
        let initPath = options.noInit ? nil : (options.initFile ?? (prompt ? Terminal.defaultInitFile(environment) : nil))
        if let initPath {
            // an error in the init file is reported; the prompt still opens
            if let text = readScript(initPath, errors: errors, quietWhenMissing: options.initFile == nil) {
                if !shell.run(text, name: initPath, baseDirectory: (initPath as NSString).deletingLastPathComponent), !prompt { failed = true }
            } else if options.initFile != nil, !prompt {
                return 1
            }
        }

        let history = environment["NK_HISTORY"].map { $0.isEmpty ? nil : $0 } ?? History.defaultPath(environment: environment)
        let interactive = prompt ? InteractiveShell(shell: shell, historyPath: history) : nil
        if options.step {
            interactive?.prepare()
            shell.stepping = true
        }
        if options.demo {
            guard DotCommands.loadDemo(in: shell, location: "--demo", hint: prompt) else { return 1 }
        }
        if options.inputs.isEmpty && !prompt {
            guard let piped = standardInput() else {
                if options.demo { return failed ? 1 : 0 }
                errors(ErrorRenderer.render(ShellError("nothing to run", hint: "nk script.nk runs a script, nk -c \"…\" runs statements, nk Datasets/demo shows the demo data")))
                return 2
            }
            return shell.run(piped, name: "<stdin>") && !failed ? 0 : (shell.exitRequest ?? 1)
        }
        if !runInputs(options.inputs, in: shell, errors: errors) { failed = true }
        // with the prompt to come, --report is written when it closes, with what was typed
        let opensPrompt = interactive != nil && shell.exitRequest == nil && !(failed && shell.bail && !options.interactive)
        if let path = options.report, !opensPrompt, !writeReport(shell, to: path, inputs: options.inputs, errors: errors) { return 1 }
        if let code = shell.exitRequest { return code }
        if let interactive, opensPrompt {
            shell.stepping = false
            let banner = options.demo || options.step ? "nk \(version) — .help lists the verbs, Ctrl-D leaves\n"
                : "nk \(version) — .demo loads the demo data, .help lists the verbs, Ctrl-D leaves\n"
            let status = interactive.run(banner: banner)
            if let path = options.report, !writeReport(shell, to: path, inputs: options.inputs, errors: errors) { return 1 }
            return status
        }
        return failed ? 1 : 0
    }

    /// Runs the scripts, statements and data files named on the command line in order; false
    /// when one failed (with bail, the rest are not run).
    static func runInputs(_ inputs: [Input], in shell: ShellSession, errors: (String) -> Void) -> Bool {
        var failed = false
        for input in inputs {
            if shell.exitRequest != nil { break }
            let ok: Bool
            switch input {
            case .command(let text):
                ok = shell.run(text, name: "<command line>")
            case .script(let path):
                guard let text = readScript(path, errors: errors) else { ok = false; break }
                ok = shell.run(text, name: path, baseDirectory: (path as NSString).deletingLastPathComponent)
            case .data(let path):
                ok = summarise(path, in: shell, errors: errors)
            }
            if !ok {
                failed = true
                if shell.bail { break }
            }
        }
        return !failed
    }

    /// What the arguments ask for: a run with these options, or an exit now (help, version,
    /// or a wrong argument, reported).
    enum Parsed {
        case run(Options)
        case exit(Int32)
    }

    static func parse(_ arguments: [String], output: (String) -> Void, errors: (String) -> Void) -> Parsed {
        var options = Options()
        var i = 0
        func value(_ flag: String) -> String? {
            guard i + 1 < arguments.count else { errors(ErrorRenderer.render(ShellError("\(flag) needs a value", hint: "nk --help lists the options"))); return nil }
            i += 1
            return arguments[i]
        }
        while i < arguments.count {
            let a = arguments[i]
            switch a {
            case "-h", "--help": output(usage); return .exit(0)
            case "--version": output("nk \(version) (GNU readline \(String(cString: nk_rl_library_version())))\n"); return .exit(0)
            case "-c":
                guard let v = value(a) else { return .exit(2) }
                options.inputs.append(.command(v))
            case "-f":
                guard let v = value(a) else { return .exit(2) }
                options.inputs.append(.script(v))
            case "-i": options.interactive = true
            case "--demo": options.demo = true
            case "--step": options.step = true
            case "--format", "-m", "--mode":
                guard let v = value(a) else { return .exit(2) }
                guard let f = OutputFormat(name: v) else {
                    errors(ErrorRenderer.render(ShellError("unknown format \(v)", hint: "formats: " + OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))))
                    return .exit(2)
                }
                options.format = f
                options.formatGiven = true
            case "--keep-going", "-k": options.keepGoing = true
            case "--bail", "-bail": options.keepGoing = false
            case "--init":
                guard let v = value(a) else { return .exit(2) }
                options.initFile = v
            case "--no-init": options.noInit = true
            case "--no-color", "--no-colour": options.color = false
            case "--color", "--colour": options.forceColor = true
            case "--report":
                guard let v = value(a) else { return .exit(2) }
                options.report = v
            case "--rows":
                guard let v = value(a) else { return .exit(2) }
                guard let n = Int(v), n > 0 else { errors(ErrorRenderer.render(ShellError("--rows needs a positive number", hint: "nk --rows 10 script.nk"))); return .exit(2) }
                options.rows = n
            default:
                if a.hasPrefix("-"), a.count > 1 {
                    let flags = ["-c", "-f", "-i", "--demo", "--step", "--format", "--keep-going", "--bail", "--init", "--no-init", "--no-color", "--color", "--rows", "--report", "--help", "--version"]
                    let hint = NameSuggestion.nearest(to: a, in: flags).map { "did you mean \($0)?" } ?? "nk --help lists the options"
                    errors(ErrorRenderer.render(ShellError("unknown option \(a)", hint: hint)))
                    return .exit(2)
                }
                options.inputs.append(a.lowercased().hasSuffix(".nk") ? .script(a) : .data(a))
            }
            i += 1
        }

        return .run(options)
    }

    /// `--report FILE`: the page of everything that ran, titled by the first script's opening
    /// comment (else its name). Written even when a statement failed: the page shows the error.
    static func writeReport(_ shell: ShellSession, to path: String, inputs: [Input], errors: (String) -> Void) -> Bool {
        let script = inputs.lazy.compactMap { input -> String? in if case .script(let p) = input { return p } else { return nil } }.first
        let fallback = script.map { ($0 as NSString).lastPathComponent } ?? "nk"
        do {
            try shell.recorder?.write(to: path, language: shell.session.language, fallbackTitle: fallback)
            shell.message(shell.session.language == .german ? "Bericht geschrieben: \(path)" : "wrote the report to \(path)")
            return true
        } catch {
            errors(ErrorRenderer.render(ShellError("cannot write the report to \(path): \(error.localizedDescription)", hint: "name a file in a folder you can write to")))
            return false
        }
    }

    static func readScript(_ path: String, errors: (String) -> Void, quietWhenMissing: Bool = false) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            if quietWhenMissing && !exists { return nil }
            errors(ErrorRenderer.render(ShellError("cannot read \(path)" + (exists ? (isDirectory.boolValue ? ": it is a folder" : ": permission denied") : ": no such file"))))
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            // say where the first byte that is not UTF-8 is
            let bytes = [UInt8](data)
            var iterator = bytes.makeIterator()
            var parser = Unicode.UTF8.ForwardParser()
            var offset = 0
            scan: while true {
                switch parser.parseScalar(from: &iterator) {
                case .valid(let scalar): offset += scalar.count
                case .error, .emptyInput: break scan
                }
            }
            let line = bytes[..<offset].reduce(1) { $1 == 10 ? $0 + 1 : $0 }
            let column = offset - (bytes[..<offset].lastIndex(of: 10).map { $0 + 1 } ?? 0) + 1
            let byte = String(format: "0x%02X", bytes[min(offset, bytes.count - 1)])
            errors(ErrorRenderer.render(ShellError("the script is not UTF-8 text (byte \(byte))", hint: "save the script as UTF-8", at: "\(path):\(line):\(column)")))
            return nil
        }
        return text
    }

    /// Standard input's text when it is not a terminal (statements piped in); nil otherwise.
    public static func pipedStandardInput() -> String? {
        if isatty(0) != 0 { return nil }
        let data = FileHandle.standardInput.readDataToEndOfFile()
        return String(decoding: data, as: UTF8.self)
    }

    /// A CSV file or folder named on the command line: loaded and summarised.
    static func summarise(_ path: String, in shell: ShellSession, errors: (String) -> Void) -> Bool {
        let printer = shell.printer
        do {
            for loaded in try shell.session.load(path) {
                let t = loaded.table
                let d = loaded.dialect
                printer.print(.message("\(loaded.name): \(Value.grouped(t.rowCount)) rows, \(t.columnCount) columns (delimiter \(d.delimiterName)\(d.decimal == UInt8(ascii: ",") ? ", decimal comma" : ""), \(d.header ? "header" : "no header"))"))
                for note in loaded.notes { printer.print(.message("note: \(note)")) }
                printer.print(.table(t.head(5), totalRows: t.rowCount))
                if let status = t.index(of: "status"), t.columns[status].type == .string {
                    let name = t.names[status]
                    let g = try t.groupBy([NamedExpr(name, .col(name))], [Aggregate(.count), Aggregate(.share, as: "percent")]).sorted(by: [.desc("count")])
                    printer.print(.message("\n\(loaded.name) by \(name):"))
                    printer.print(.table(g, totalRows: g.rowCount))
                }
                printer.print(.message(""))
            }
            return true
        } catch {
            errors(ErrorRenderer.render(error))
            return false
        }
    }
}
