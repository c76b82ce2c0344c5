import Foundation

/// The CDNOW sample that ships inside the PyPI package Lifetimes 0.11.3: the raw log
/// (CDNOW_sample.txt) and the customer summaries of its documentation.
public enum CDNOWData {
    /// The folder with the three CDNOW files, fetched once; nil when they cannot be had.
    public static let folder: URL? = {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("nk-cdnow")
        let names = ["cdnow_customers_summary.csv", "cdnow_customers_summary_with_transactions.csv", "CDNOW_sample.txt"]
        if names.allSatisfy({ FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path) }) { return folder }
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        func run(_ arguments: [String]) -> Bool {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = arguments
            p.currentDirectoryURL = folder
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            guard (try? p.run()) != nil else { return false }
            p.waitUntilExit()
            return p.terminationStatus == 0
        }
        guard run(["python3", "-m", "pip", "download", "--no-deps", "-q", "-d", folder.path, "Lifetimes==0.11.3"]) else { return nil }
        let script = "import zipfile,glob\nz=zipfile.ZipFile(glob.glob('Lifetimes-0.11.3*.whl')[0])\n"
            + "for n in \(names):\n  open(n,'wb').write(z.read('lifetimes/datasets/'+n))\n"
        guard run(["python3", "-c", script]) else { return nil }
        return folder
    }()


    /// The rows of one of its CSV files, as numbers (the header left out).
    public static func rows(_ name: String) throws -> [[Double]] {
        let text = try String(contentsOf: folder!.appendingPathComponent(name), encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).dropFirst().map { $0.split(separator: ",").map { Double($0) ?? .nan } }
    }
}
