import CReadline
import Foundation
import NKEngine
import NKLanguage

/// nk's command line: what the flags mean, and the exit status.
public enum NKCommandLine {
    public static let version = "0.1.0"

    public static let usage = """
        nk \(version) — an analysis shell for non-customer thinking

        usage: nk [options] PATH...

        Loads each CSV file (a folder: every CSV file in it) and shows what it holds: the
        columns with the types nk read, the first rows, and the rows per status where a
        status column exists.

        options:
          -h, --help      show this text
          --version       show nk's version
          --rows N        rows to show per table (default 5)

        """

    /// Runs nk with `arguments` (without the program name); returns the exit status.
    public static func run(_ arguments: [String], output: (String) -> Void = { print($0, terminator: "") },
                           errors: (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) -> Int32 {
        var paths: [String] = []
        var rows = 5
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            switch a {
            case "-h", "--help": output(usage); return 0
            case "--version": output("nk \(version) (GNU readline \(String(cString: nk_rl_library_version())))\n"); return 0
            case "--rows":
                guard i + 1 < arguments.count, let n = Int(arguments[i + 1]), n >= 0 else {
                    errors("error: --rows needs a number of rows\nhint: nk --rows 10 data.csv\n")
                    return 2
                }
                rows = n
                i += 1
            default:
                if a.hasPrefix("-") {
                    errors("error: unknown option \(a)\nhint: nk --help lists the options\n")
                    return 2
                }
                paths.append(a)
            }
            i += 1
        }
        if paths.isEmpty {
            errors("error: no file given\nhint: nk Datasets/demo shows the demo data; nk --help lists the options\n")
            return 2
        }
        let session = Session()
        let renderer = TableRenderer(maxRows: rows)
        do {
            for path in paths {
                for loaded in try session.load(path) {
                    output(describe(loaded, renderer: renderer))
                }
            }
            return 0
        } catch {
            errors(ErrorRenderer.render(error))
            return 1
        }
    }

    static func describe(_ loaded: Session.Loaded, renderer: TableRenderer) -> String {
        let t = loaded.table
        let d = loaded.dialect
        var text = "\(loaded.name): \(CellFormatter.grouped(t.rowCount)) rows, \(t.columnCount) columns "
        text += "(delimiter \(d.delimiterName)\(d.decimal == UInt8(ascii: ",") ? ", decimal comma" : ""), \(d.header ? "header" : "no header"))\n"
        for note in loaded.notes { text += "note: \(note)\n" }
        text += renderer.render(t.head(renderer.maxRows), totalRows: t.rowCount)
        if let status = t.index(of: "status"), t.columns[status].type == .string {
            let name = t.names[status]
            if let g = try? t.groupBy([NamedExpr(name, .col(name))], [Aggregate(.count), Aggregate(.share, as: "percent")])
                .sorted(by: [.desc("count")]) {
                text += "\n\(loaded.name) by \(name):\n" + TableRenderer(maxRows: 20).render(g)
            }
        }
        return text + "\n"
    }
}
