import Foundation
import NKEngine

/// Paths of the repository, found from this file's location.
public enum TestPaths {
    /// The package root.
    public static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// python3 from the PATH (the soak's driver, and the other program of the SQLite fault tests).
    public static let python3: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
        .map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    /// `Tests/Corpus/<folder>`.
    public static func corpus(_ folder: String) -> URL { root.appendingPathComponent("Tests/Corpus/\(folder)") }
    /// The shared real datasets beside the project (`../shared/realdata`), when present.
    public static var realdata: URL? {
        let url = root.deletingLastPathComponent().appendingPathComponent("shared/realdata")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }
    /// A fresh temporary directory, inside this test process's own folder.
    public static func temporaryDirectory() throws -> URL {
        let url = temporaryRoot.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// `nk-tests-<process id>` in the system's temporary folder: removed when the test process
    /// exits, so that runs leave nothing behind. Made on first use, which also removes the
    /// folders of earlier test processes that no longer run (one that crashed left its own).
    static let temporaryRoot: URL = {
        let base = FileManager.default.temporaryDirectory
        for name in (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? [] where name.hasPrefix("nk-tests-") {
            if let pid = Int32(name.dropFirst("nk-tests-".count)), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH {
                try? FileManager.default.removeItem(at: base.appendingPathComponent(name))
            }
        }
        atexit { try? FileManager.default.removeItem(at: FileManager.default.temporaryDirectory.appendingPathComponent("nk-tests-\(getpid())")) }
        return base.appendingPathComponent("nk-tests-\(getpid())")
    }()
}

/// A plain-text rendering of a table for golden files: schema, row count, then rows with `|`
/// between fields and `null` for nulls.
public func goldenText(_ table: Table) -> String {
    var lines = ["schema: " + table.schema.map(\.description).joined(separator: ", "), "rows: \(table.rowCount)"]
    lines.append(table.names.joined(separator: "|"))
    for r in 0..<table.rowCount {
        lines.append(table.row(r).map { $0.isNull ? "null" : $0.description.replacingOccurrences(of: "\n", with: "\\n") }.joined(separator: "|"))
    }
    return lines.joined(separator: "\n") + "\n"
}

/// Builds a table from named columns, failing loudly on mistakes in the test itself.
public func makeTable(_ pairs: [(String, Column)]) -> Table {
    do { return try Table(pairs) } catch { fatalError("bad test table: \(error)") }
}

/// Whether two doubles agree to a relative tolerance.
public func approximately(_ a: Double?, _ b: Double?, relative: Double = 1e-9) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    if a == b { return true }
    return abs(a - b) <= relative * max(abs(a), abs(b))
}

/// A deterministic pseudo-random generator (SplitMix64) for reproducible test data.
public struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The `.nk` golden corpus (`Tests/Corpus/nk`): scripts whose whole output is recorded in
/// `NAME.out`. A first line `-- args: …` gives command-line arguments.
public enum GoldenScripts {
    /// Makes the working folder the package root (paths in the expected output are relative to
    /// it) and empties `/tmp/nk-golden-test`, where scripts save files; returns the script's
    /// path, its text and its arguments.
    /// `scratch` false leaves `/tmp/nk-golden-test` alone (for a suite that runs beside the one
    /// that owns it, and skips the scripts writing there).
    public static func prepare(_ name: String, scratch: Bool = true, folder: String = "nk") throws -> (path: String, text: String, arguments: [String]) {
        _ = FileManager.default.changeCurrentDirectoryPath(TestPaths.root.path)
        if scratch {
            try? FileManager.default.removeItem(atPath: "/tmp/nk-golden-test")
            try FileManager.default.createDirectory(atPath: "/tmp/nk-golden-test", withIntermediateDirectories: true)
        }
        let path = "Tests/Corpus/\(folder)/\(name).nk"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var arguments: [String] = []
        if let first = text.split(separator: "\n").first, first.hasPrefix("-- args:") {
            arguments = first.dropFirst("-- args:".count).split(separator: " ").map(String.init)
        }
        return (path, text, arguments)
    }
}

extension CancellationFlag {
    /// Runs `body` with a flag that sets itself at its first reading, then its second, and so
    /// on (``CancellationFlag/init(settingItselfAtReading:)``): every reading up to `eachUpTo`,
    /// then a quarter further each time, so that an operation that looks thousands of times is
    /// still stopped early, late and in between in a few dozen runs. Each run that throws goes
    /// to `stopped` with its reading; the first that returns ends the search, and its reading
    /// is the result. Nil when runs were still being stopped past `limit`.
    public static func stoppingAtEachReading(eachUpTo: Int = 32, limit: Int = 100_000,
                                             _ body: (CancellationFlag, Int) throws -> Void,
                                             stopped: (any Error, Int) -> Void) -> Int? {
        var reading = 1
        while reading <= limit {
            do {
                try body(CancellationFlag(settingItselfAtReading: reading), reading)
                return reading
            } catch {
                stopped(error, reading)
            }
            reading = reading < eachUpTo ? reading + 1 : reading + reading / 4
        }
        return nil
    }
}
