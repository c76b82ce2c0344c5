import CReadline
import Foundation
import NKEngine
import NKLanguage

/// nk's command line: what the flags mean, and the exit status (0 fine, 1 a statement failed,
/// 2 the command line itself is wrong).
public enum NKCommandLine {
    public static let version = "0.2.0"

    public static let usage = """
        nk \(version) — an analysis shell for non-customer thinking

        usage: nk [options] [SCRIPT.nk | DATA.csv | FOLDER]...
               nk [options] -c "STATEMENTS"
               STATEMENTS | nk [options]

        Runs scripts of nk statements (paths inside a script start in the script's folder),
        statements given with -c, or statements piped on standard input. A CSV file or a
        folder of CSV files instead of a script is loaded and summarised.

        options:
          -c STATEMENTS       run these statements
          --format FORMAT     table (default), csv, tsv, json, jsonl or markdown
          --keep-going        run every statement even after one fails (exit status 1 then)
          --rows N            rows shown per result table (default 40)
          -h, --help          show this text
          --version           show nk's version

        docs/LANGUAGE.md describes the statements.

        """

    struct Options {
        var inputs: [Input] = []
        var format = OutputFormat.table
        var keepGoing = false
        var rows = 40
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
                           standardInput: () -> String? = NKCommandLine.pipedStandardInput) -> Int32 {
        var options = Options()
        var i = 0
        func value(_ flag: String) -> String? {
            guard i + 1 < arguments.count else { errors("error: \(flag) needs a value\nhint: nk --help lists the options\n"); return nil }
            i += 1
            return arguments[i]
        }
        while i < arguments.count {
            let a = arguments[i]
            switch a {
            case "-h", "--help": output(usage); return 0
            case "--version": output("nk \(version) (GNU readline \(String(cString: nk_rl_library_version())))\n"); return 0
            case "-c":
                guard let v = value(a) else { return 2 }
                options.inputs.append(.command(v))
            case "--format", "-f":
                guard let v = value(a) else { return 2 }
                guard let f = OutputFormat(name: v) else {
                    errors("error: unknown format \(v)\nhint: formats: \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))\n")
                    return 2
                }
                options.format = f
            case "--keep-going", "-k": options.keepGoing = true
            case "--rows":
                guard let v = value(a) else { return 2 }
                guard let n = Int(v), n > 0 else { errors("error: --rows needs a positive number\nhint: nk --rows 10 script.nk\n"); return 2 }
                options.rows = n
            default:
                if a.hasPrefix("-"), a.count > 1 {
                    errors("error: unknown option \(a)\nhint: nk --help lists the options\n")
                    return 2
                }
                options.inputs.append(a.lowercased().hasSuffix(".nk") ? .script(a) : .data(a))
            }
            i += 1
        }
        let printer = ResultPrinter(format: options.format, renderer: TableRenderer(maxRows: options.rows), out: output, err: errors)
        let session = Session()
        if options.inputs.isEmpty {
            guard let piped = standardInput() else {
                errors("error: nothing to run\nhint: nk script.nk runs a script, nk -c \"…\" runs statements, nk Datasets/demo shows the demo data\n")
                return 2
            }
            return run(Source(name: "<stdin>", text: piped), in: session, printer: printer, keepGoing: options.keepGoing, errors: errors) ? 0 : 1
        }
        var failed = false
        for input in options.inputs {
            let ok: Bool
            switch input {
            case .command(let text):
                ok = run(Source(name: "<command line>", text: text), in: session, printer: printer, keepGoing: options.keepGoing, errors: errors)
            case .script(let path):
                guard let text = readScript(path, errors: errors) else { ok = false; break }
                session.baseDirectory = (path as NSString).deletingLastPathComponent
                ok = run(Source(name: path, text: text), in: session, printer: printer, keepGoing: options.keepGoing, errors: errors)
                session.baseDirectory = nil
            case .data(let path):
                ok = summarise(path, in: session, printer: printer, errors: errors)
            }
            if !ok {
                failed = true
                if !options.keepGoing { break }
            }
        }
        return failed ? 1 : 0
    }

    /// Runs a source; false when any statement failed.
    static func run(_ source: Source, in session: Session, printer: ResultPrinter, keepGoing: Bool, errors: (String) -> Void) -> Bool {
        let diagnostics = session.run(source, keepGoing: keepGoing) { printer.print($0) }
        for d in diagnostics { errors(ErrorRenderer.render(d)) }
        return diagnostics.isEmpty
    }

    static func readScript(_ path: String, errors: (String) -> Void) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            errors("error: cannot read \(path)\(exists ? (isDirectory.boolValue ? ": it is a folder" : ": permission denied") : ": no such file")\n")
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            errors("error: \(path) is not UTF-8 text\nhint: save the script as UTF-8\n")
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
    static func summarise(_ path: String, in session: Session, printer: ResultPrinter, errors: (String) -> Void) -> Bool {
        do {
            for loaded in try session.load(path) {
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
