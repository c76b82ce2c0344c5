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

    /// Runs nk (or `executable`, which starts nk in some way of its own) from the package's
    /// folder, without colour and without an init file.
    static func run(_ arguments: [String], input: String? = nil, executable: URL = binary) throws -> Run {
        let process = Process()
        process.executableURL = executable
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
        // ulimit -f counts 512-byte blocks: 8 blocks are 4 KB; the table below is far larger
        let r = try Self.run(["-c", "ulimit -f 8; exec \"$0\" -c \"$1\"", Self.binary.path,
                              "load \"Tests/Corpus/nk/data/people.csv\"\nlet many = people | join people on region\nsave (many | join people on region | join people on region | join people on region) to \"\(target.path)\" overwrite"],
                             executable: URL(fileURLWithPath: "/bin/sh"))
        #expect(r.status == 1)
        #expect(r.stderr.contains("cannot write \(target.path): file too large"), "\(r.stderr)")
        #expect(try String(contentsOf: target, encoding: .utf8) == old)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["big.csv"])
    }
}


/// Files and folders the user may not touch. Root may touch everything, so under root (as CI
/// runs) nk is started as the user `nobody` through `setpriv`.
extension CommandLineTests {
    static let canDropRoot = getuid() != 0 || FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")

    /// Runs `nk -c script` as a user other than root.
    static func runUnprivileged(_ script: String) throws -> Run {
        guard getuid() == 0 else { return try run(["-c", script]) }
        return try run(["--reuid=65534", "--regid=65534", "--clear-groups", binary.path, "-c", script],
                       executable: URL(fileURLWithPath: "/usr/bin/setpriv"))
    }

    /// A folder no one may write in, holding a `report.csv` anyone may write.
    static func readOnlyFolder() throws -> (folder: URL, report: URL) {
        let folder = try TestPaths.temporaryDirectory()
        let report = folder.appendingPathComponent("report.csv")
        try "old\n".write(to: report, atomically: false, encoding: .utf8)
        chmod(report.path, 0o666)
        chmod(folder.path, 0o555)
        return (folder, report)
    }

    @Test(.enabled(if: canDropRoot)) func aFileWithoutReadPermissionIsAClearError() throws {
        let folder = try TestPaths.temporaryDirectory()
        let secret = folder.appendingPathComponent("secret.csv")
        try "id\n1\n".write(to: secret, atomically: false, encoding: .utf8)
        chmod(secret.path, 0)
        let r = try Self.runUnprivileged("load \"\(secret.path)\" as s")
        #expect(r.status == 1)
        #expect(r.stderr == """
            <command line>:1:6: error: cannot open \(secret.path): permission denied
              load "\(secret.path)" as s
                   \(String(repeating: "^", count: 1) + String(repeating: "~", count: secret.path.count + 1))
            hint: check the file's permissions

            """)
    }

    @Test(.enabled(if: canDropRoot)) func aSaveIntoAReadOnlyFolderLeavesItAsItWas() throws {
        let (folder, report) = try Self.readOnlyFolder()
        defer { chmod(folder.path, 0o755) }
        let r = try Self.runUnprivileged("""
            load "Tests/Corpus/nk/data/people.csv"
            save people to "\(report.path)" overwrite
            """)
        #expect(r.status == 1)
        #expect(r.stderr.contains("<command line>:2:16: error: cannot write in \(folder.path): permission denied"), "\(r.stderr)")
        #expect(r.stderr.contains("hint: check that the folder is writable"))
        #expect(try String(contentsOf: report, encoding: .utf8) == "old\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["report.csv"])
    }

    @Test(.enabled(if: canDropRoot)) func aReadOnlyFileIsNotReplacedEvenWithOverwrite() throws {
        // the folder is writable, so a rename could replace the file; nk does not
        let folder = try TestPaths.temporaryDirectory()
        chmod(folder.path, 0o777)
        let report = folder.appendingPathComponent("report.csv")
        try "old\n".write(to: report, atomically: false, encoding: .utf8)
        chmod(report.path, 0o444)
        let r = try Self.runUnprivileged("""
            load "Tests/Corpus/nk/data/people.csv"
            save people to "\(report.path)" overwrite
            """)
        #expect(r.status == 1)
        #expect(r.stderr.contains("error: cannot write \(report.path): it is read-only; it is left as it is"), "\(r.stderr)")
        #expect(r.stderr.contains("hint: make it writable first (chmod u+w), or save under another name"))
        #expect(try String(contentsOf: report, encoding: .utf8) == "old\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["report.csv"])
    }
}

/// A disk that fills up while nk saves: an 8 KB tmpfs, mounted in a mount namespace of the
/// test's own (`unshare -rm` needs no privileges where user namespaces are allowed).
extension CommandLineTests {
    static let canMountTmpfs: Bool = {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare") else { return false }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        probe.arguments = ["-rm", "sh", "-c", "mount -t tmpfs -o size=8k tmpfs /tmp"]
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return false }
        probe.waitUntilExit()
        return probe.terminationStatus == 0
    }()

    @Test(.enabled(if: canMountTmpfs)) func aFullDiskLeavesTheOldFileAsItWas() throws {
        let mountPoint = try TestPaths.temporaryDirectory()
        let script = """
            load "Tests/Corpus/nk/data/people.csv"
            let many = people | join people on region | join people on region | join people on region | join people on region
            save many to "\(mountPoint.path)/big.csv" overwrite
            """
        // inside the namespace: mount, put the old file there, save over it, then show the
        // status, the file and the folder (the mount is gone once the shell ends)
        let r = try Self.run(["-rm", "sh", "-c", """
            mount -t tmpfs -o size=8k tmpfs "$0" || exit 99
            printf 'old\\n' > "$0/big.csv"
            "$1" -c "$2" >/dev/null
            echo "status $?"; cat "$0/big.csv"; ls -A "$0"
            """, mountPoint.path, Self.binary.path, script], executable: URL(fileURLWithPath: "/usr/bin/unshare"))
        let (stdout, stderr) = (r.stdout, r.stderr)
        #expect(stdout == "status 1\nold\nbig.csv\n")
        #expect(stderr == """
            <command line>:3:14: error: cannot write \(mountPoint.path)/big.csv: no space left on device
              save many to "\(mountPoint.path)/big.csv" overwrite
                           \("^" + String(repeating: "~", count: mountPoint.path.count + 9))
            hint: is the disk full?

            """)
    }
}

extension CommandLineTests {
    /// nk started with SIGTERM, SIGHUP and SIGINT blocked (a blocked mask is inherited, e.g.
    /// from a thread of a program that starts it) still ends on each of them.
    @Test(arguments: [SIGTERM, SIGHUP, SIGINT])
    func signalsBlockedByTheParentStillReachNk(_ signal: Int32) throws {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var blocked = sigset_t()
        sigemptyset(&blocked)
        for s in [SIGTERM, SIGHUP, SIGINT] { sigaddset(&blocked, s) }
        posix_spawnattr_setsigmask(&attributes, &blocked)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        // standard input is a pipe that stays open: nk waits for statements on it
        var input: [Int32] = [-1, -1]
        #expect(pipe(&input) == 0)
        defer { close(input[1]) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input[0], 0)
        posix_spawn_file_actions_addclose(&actions, input[1])
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = [strdup(Self.binary.path), nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        #expect(posix_spawn(&pid, Self.binary.path, &actions, &attributes, argv, environ) == 0)
        close(input[0])
        usleep(300_000)
        kill(pid, signal)
        var status: Int32 = 0, ended = false
        for _ in 0..<100 where !ended {   // up to 5 s
            ended = waitpid(pid, &status, WNOHANG) == pid
            if !ended { usleep(50_000) }
        }
        if !ended { kill(pid, SIGKILL); waitpid(pid, &status, 0) }
        #expect(ended, "nk did not end on signal \(signal)")
    }
}
