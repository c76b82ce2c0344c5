import Foundation
import NKTestSupport
import Testing

/// Runs the built `nk` binary as a user would and compares its whole output.
@Suite struct CommandLineTests {
    static var binary: URL {
        // the test bundle sits in the build folder beside the products
        var url = Bundle.main.bundleURL
        if url.pathExtension == "xctest" { url.deleteLastPathComponent() }
        return url.appendingPathComponent("nk")
    }

    struct Run { var status: Int32; var stdout: String; var stderr: String }

    static func run(_ arguments: [String], input: String? = nil) throws -> Run {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = TestPaths.root
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdinPipe = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : stdinPipe
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment["XDG_CONFIG_HOME"] = "/nonexistent"
        process.environment = environment
        try process.run()
        if let input {
            stdinPipe.fileHandleForWriting.write(Data(input.utf8))
            try stdinPipe.fileHandleForWriting.close()
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// `Tests/Corpus/cli/NAME.args` holds the arguments (one per line), `NAME.stdin` (if there)
    /// what is piped in; `NAME.out` the expected standard output, then `--- stderr`, then
    /// standard error, then `--- status N`.
    static let cases: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: TestPaths.corpus("cli").path)) ?? [])
        .filter { $0.hasSuffix(".args") }.map { String($0.dropLast(5)) }.sorted()

    @Test(arguments: cases)
    func golden(_ name: String) throws {
        let folder = TestPaths.corpus("cli")
        let args = try String(contentsOf: folder.appendingPathComponent(name + ".args"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let stdin = try? String(contentsOf: folder.appendingPathComponent(name + ".stdin"), encoding: .utf8)
        let r = try Self.run(args, input: stdin)
        let actual = r.stdout + "--- stderr\n" + r.stderr + "--- status \(r.status)\n"
        let expectedURL = folder.appendingPathComponent(name + ".out")
        if ProcessInfo.processInfo.environment["NK_UPDATE_GOLDEN"] != nil {
            try actual.write(to: expectedURL, atomically: true, encoding: .utf8)
        }
        #expect(actual == (try String(contentsOf: expectedURL, encoding: .utf8)))
    }

    @Test func hasCases() { #expect(Self.cases.count >= 4) }
}

extension CommandLineTests {
    /// A write that fails half-way (here: past a file-size limit, as a full disk would) is
    /// reported, and the file that was there before is left whole, with no temporary file.
    @Test func aFailedSaveLeavesTheOldFileAsItWas() throws {
        let folder = try TestPaths.temporaryDirectory()
        let target = folder.appendingPathComponent("big.csv")
        let old = String(repeating: "old line\n", count: 100)
        try old.write(to: target, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // ulimit -f counts 512-byte blocks: 8 blocks are 4 KB; the table below is far larger
        process.arguments = ["-c", "ulimit -f 8; exec \"$0\" -c \"$1\"", Self.binary.path,
                             "load \"Tests/Corpus/nk/data/people.csv\"\nlet many = people | join people on region\nsave (many | join people on region | join people on region | join people on region) to \"\(target.path)\" overwrite"]
        process.currentDirectoryURL = TestPaths.root
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(stderr.contains("cannot write \(target.path): file too large"), "\(stderr)")
        #expect(try String(contentsOf: target, encoding: .utf8) == old)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["big.csv"])
    }
}

