import Foundation
import NKTestSupport
import Testing

/// The prompt driven as a person uses it: the real binary in a real terminal (tmux), keys sent
/// with `send-keys`, the screen read with `capture-pane`. Skipped where tmux is missing
/// (`.ci/run` installs it).
@Suite(.serialized, .enabled(if: Tmux.available, "tmux is not installed: the terminal tests are skipped (apt-get install tmux)"))
struct InteractiveTests {
    @Test func typeAStatementAndSeeTheResult() throws {
        let t = try Tmux()
        defer { t.close() }
        t.type("load \"Tests/Corpus/nk/data/people.csv\"", enter: true)
        try t.waitFor("loaded people: 6 rows")
        t.type("people | segment by region", enter: true)
        try t.waitFor("│ Süd    │       2 │ 33.33 │")
    }

    @Test func tabCompletesAColumnOfTheFlowingTable() throws {
        let t = try Tmux()
        defer { t.close() }
        t.type("load \"Tests/Corpus/nk/data/people.csv\"", enter: true)
        try t.waitFor("loaded people")
        t.type("people | select employ")
        t.keys("Tab")
        try t.waitFor("nk> people | select employees")
        t.keys("Enter")
        try t.waitFor("│ employees │")
    }

    @Test func multiLineStatementAndHistoryAfterARestart() throws {
        let history = try TestPaths.temporaryDirectory().appendingPathComponent("history").path
        let first = try Tmux(history: history)
        first.type("load \"Tests/Corpus/nk/data/people.csv\"", enter: true)
        try first.waitFor("loaded people")
        first.type("people |", enter: true)
        try first.waitFor("  > ")
        first.type("count", enter: true)
        try first.waitFor("│       6 │")
        first.keys("C-d")
        try first.waitFor("EXIT=0")
        first.close()
        let second = try Tmux(history: history)
        defer { second.close() }
        second.keys("Up")
        try second.waitFor("nk> people |")
        // the entry's second line is drawn a moment after its first
        try second.waitFor("count")
    }

    @Test func ctrlCAtThePromptClearsTheLine() throws {
        let t = try Tmux()
        defer { t.close() }
        t.type("people | filter half typed")
        try t.waitFor("half typed")
        t.keys("C-c")
        // as a person would: type again once the fresh, empty prompt is there
        try t.waitForLastLine("nk>", exactly: true)
        t.type("print \"still here\"", enter: true)
        try t.waitFor("still here\n")
        #expect(!t.screen().contains("error"))
    }

    @Test func ctrlCCancelsALongStatementAndKeepsTheTables() throws {
        // a file big enough that loading it in a debug build takes seconds
        let big = try TestPaths.temporaryDirectory().appendingPathComponent("big.csv")
        var text = "id,amount,label\n"
        text.reserveCapacity(40_000_000)
        for i in 0..<1_500_000 { text += "\(i),\(i % 997).25,label \(i % 1000)\n" }
        try text.write(to: big, atomically: true, encoding: .utf8)
        let t = try Tmux()
        defer { t.close() }
        t.type("load \"Tests/Corpus/nk/data/people.csv\"", enter: true)
        try t.waitFor("loaded people")
        t.type("load \"\(big.path)\" as big", enter: true)
        Thread.sleep(forTimeInterval: 0.3)
        t.keys("C-c")
        try t.waitFor("cancelled")
        t.type(".tables", enter: true)
        try t.waitFor("│ people │")
        #expect(!t.screen().contains("│ big"))
    }

    /// A path completes as a whole word: absolute inside `load`'s quotes, relative after `.read`.
    @Test func tabCompletesPaths() throws {
        let folder = try TestPaths.temporaryDirectory()
        try "id\n1\n".write(to: folder.appendingPathComponent("datafile_unique.csv"), atomically: true, encoding: .utf8)
        let t = try Tmux()
        defer { t.close() }
        t.type("load \"\(folder.path)/datafile_u")
        t.keys("Tab")
        try t.waitFor("\(folder.path)/datafile_unique.csv")
        t.keys("C-u")
        t.type(".read Scripts/workshop/01-nicht-k")
        t.keys("Tab")
        try t.waitFor(".read Scripts/workshop/01-nicht-kunden.nk")
    }

    /// With `.timer on`, a cancelled statement's progress line is gone before the timer line.
    @Test func timerAfterCtrlCLeavesNoProgressLine() throws {
        // a file that takes more than the two seconds before the progress line shows
        let big = try TestPaths.temporaryDirectory().appendingPathComponent("big.csv")
        let awk = Process()
        awk.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        awk.arguments = ["awk", "BEGIN { print \"id,amount,label\"; for (i = 0; i < 12000000; i++) print i \",\" i % 997 \".25,label \" i % 1000 }"]
        FileManager.default.createFile(atPath: big.path, contents: nil)
        awk.standardOutput = try FileHandle(forWritingTo: big)
        try awk.run()
        awk.waitUntilExit()
        let t = try Tmux()
        defer { t.close() }
        t.type(".timer on", enter: true)
        t.type("load \"\(big.path)\" as big", enter: true)
        try t.waitFor("running")
        t.keys("C-c")
        try t.waitFor("cancelled")
        try t.waitFor("real ")
        #expect(!t.screen().contains("Ctrl-C cancels"), "\(t.screen())")
    }

    @Test func scriptThenPromptWithDashIAndTheHistoryCommand() throws {
        let t = try Tmux(arguments: ["-i", "-c", "load \"Tests/Corpus/nk/data/people.csv\""])
        defer { t.close() }
        try t.waitFor("loaded people: 6 rows")      // the -c statements ran first
        t.type("people | count", enter: true)
        try t.waitFor("│       6 │")
        t.type(".history 5", enter: true)
        try t.waitFor("    1  people | count")
        t.type(".help filter", enter: true)
        try t.waitFor("filter (stage): keep the rows where a condition is true")
    }

    @Test func stepModeWaitsForEnterTakesOwnStatementsAndStopsOnQ() throws {
        let t = try Tmux(arguments: ["--step", "Tests/Corpus/step/lesson.nk"], ready: "step> ")
        defer { t.close() }
        try t.waitFor("▶ -- a short lesson for the step-mode tests")
        try t.waitForLastLine("step>")
        #expect(!t.screen().contains("loaded people"))     // nothing ran yet
        t.keys("Enter")
        try t.waitFor("loaded people: 6 rows")
        try t.waitFor("Erst zählen wir. First we count.")   // narration comes without a key
        try t.waitFor("▶ -- how many people?")
        try t.waitForLastLine("step>")
        t.type("people | filter region = \"Süd\" | count", enter: true)
        try t.waitFor("next: people | count")
        #expect(t.screen().contains("│       2 │"))
        try t.waitForLastLine("step>")
        t.keys("Enter")
        try t.waitFor("│       6 │")
        try t.waitFor("▶ people")
        try t.waitForLastLine("step>")
        t.type("q", enter: true)
        try t.waitFor("stopped the script; the tables it made are kept")
        try t.waitFor("nk> ")                              // the prompt stays open
        #expect(!t.screen().contains("Ende. The end."))
        t.type(".tables", enter: true)
        try t.waitFor("│ people │")
        t.keys("C-d")
        try t.waitFor("EXIT=0")
    }

    @Test func stepOnThenReadAtThePrompt() throws {
        let t = try Tmux()
        defer { t.close() }
        t.type(".step on", enter: true)
        try t.waitFor("step mode: scripts (.read file.nk) pause before each statement")
        t.type(".read Tests/Corpus/step/lesson.nk", enter: true)
        for marker in ["▶ -- a short lesson", "▶ -- how many people?", "▶ people"] {
            try t.waitFor(marker)
            try t.waitForLastLine("step>")
            t.keys("Enter")
        }
        try t.waitFor("Ende. The end.")
        try t.waitFor("│ Süd    │       2 │ 33.33 │")
    }

    @Test func theGreetingNamesDemoAndDemoLoadsTheTables() throws {
        let t = try Tmux()
        defer { t.close() }
        try t.waitFor("— .demo loads the demo data, .help lists the verbs, Ctrl-D leaves")
        t.type(".demo", enter: true)
        try t.waitFor("loaded orders:")
        try t.waitFor("customers | segment by status")   // what to try next
        t.type("customers | count", enter: true)
        try t.waitFor("│    1800 │")
    }

    @Test func dashDashDemoOpensThePromptWithTheDemoTables() throws {
        let t = try Tmux(arguments: ["--demo"])
        defer { t.close() }
        try t.waitFor("today is 2025-06-30")
        try t.waitFor("nk> ")
        t.type(".tables", enter: true)
        try t.waitFor("│ interviews │")
    }

    @Test func dotReportWritesWhatWasTypedAtThePrompt() throws {
        let folder = try TestPaths.temporaryDirectory()
        let page = folder.appendingPathComponent("session.html").path
        let t = try Tmux(arguments: ["--demo"])
        defer { t.close() }
        try t.waitFor("nk> ")
        t.type("customers | segment by size", enter: true)
        try t.waitFor("4 rows")
        t.type(".report \(page)", enter: true)
        try t.waitFor("wrote the report to \(page)")
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.contains("<code>customers | segment by size</code>"))
        #expect(html.contains("<title>count per size</title>"))
    }

    @Test func dashDashReportWithThePromptIsWrittenWhenItCloses() throws {
        let page = try TestPaths.temporaryDirectory().appendingPathComponent("typed.html").path
        let t = try Tmux(arguments: ["--demo", "--report", page])
        defer { t.close() }
        try t.waitFor("nk> ")
        t.type("orders | segment lifecycle", enter: true)
        try t.waitFor("churn rate:")
        #expect(!FileManager.default.fileExists(atPath: page))
        t.type(".quit", enter: true)
        let deadline = Date().addingTimeInterval(20)
        while !FileManager.default.fileExists(atPath: page), Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.contains("<code>orders | segment lifecycle</code>"))
        #expect(html.contains("<title>Lifecycle classes as of 2025-06-30</title>"))
    }

    @Test func historySurvivesAShellThatIsKilled() throws {
        let history = try TestPaths.temporaryDirectory().appendingPathComponent("history").path
        let first = try Tmux(history: history)
        first.type("print \"typed before the crash\"", enter: true)
        try first.waitFor("typed before the crash\n")
        // SIGKILL: no exit handler runs, nothing is flushed at the end
        let shell = Tmux.spawn(["tmux", "-L", first.socket, "display-message", "-p", "#{pane_pid}"], capture: true)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let kill = Process()
        kill.executableURL = URL(fileURLWithPath: "/usr/bin/pkill")
        kill.arguments = ["-KILL", "-P", shell]
        try kill.run()
        kill.waitUntilExit()
        try first.waitFor("EXIT=137")
        first.close()
        let second = try Tmux(history: history)
        defer { second.close() }
        second.keys("Up")
        try second.waitFor("nk> print \"typed before the crash\"")
    }

    @Test func twoShellsAtOnceKeepEachOthersHistory() throws {
        let history = try TestPaths.temporaryDirectory().appendingPathComponent("history").path
        let a = try Tmux(history: history)
        defer { a.close() }
        let b = try Tmux(history: history)
        defer { b.close() }
        try a.waitFor("nk> ")
        try b.waitFor("nk> ")
        // typed in turns; each shell also leaves last, after the other wrote
        for (shell, word) in [(a, "a1"), (b, "b1"), (a, "a2"), (b, "b2")] {
            shell.type("print \"\(word)\"", enter: true)
            try shell.waitFor("\(word)\n")
        }
        a.keys("C-d")
        try a.waitFor("EXIT=0")
        b.keys("C-d")
        try b.waitFor("EXIT=0")
        let kept = try String(contentsOfFile: history, encoding: .utf8)
        #expect(kept == ["a1", "b1", "a2", "b2"].map { "print \"\($0)\"\n" }.joined())
        // a third shell finds the newest line of either first
        let c = try Tmux(history: history)
        defer { c.close() }
        c.keys("Up")
        try c.waitFor("nk> print \"b2\"")
    }

    @Test func ctrlDOnAnEmptyLineLeavesWithStatusZero() throws {
        let t = try Tmux()
        defer { t.close() }
        try t.waitFor("nk> ")
        t.keys("C-d")
        try t.waitFor("EXIT=0")
    }
}

/// A tmux server of its own running nk in one pane.
final class Tmux {
    static let available: Bool = {
        var pid: pid_t = 0
        let argv = [strdup("tmux"), strdup("-V"), nil]
        defer { argv.forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        guard posix_spawnp(&pid, "tmux", &actions, nil, argv, environ) == 0 else { return false }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return status == 0
    }()

    let socket = "nk-test-\(UUID().uuidString.prefix(8))"

    init(history: String? = nil, arguments: [String] = [], ready: String = "nk> ") throws {
        let historyPath = try history ?? TestPaths.temporaryDirectory().appendingPathComponent("history").path
        let binary = CommandLineTests.binary.path
        let quoted = arguments.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let command = "cd '\(TestPaths.root.path)' && NO_COLOR=1 NK_HISTORY='\(historyPath)' XDG_CONFIG_HOME=/nonexistent '\(binary)' \(quoted); echo EXIT=$?; sleep 60"
        tmux(["new-session", "-d", "-x", "120", "-y", "50", "sh", "-c", command])
        try waitFor(ready)
    }

    /// Runs a tmux command with posix_spawn and waitpid. (The client of `new-session` forks a
    /// server that outlives it, which Foundation's Process does not cope with here.)
    @discardableResult
    func tmux(_ arguments: [String]) -> String {
        Tmux.spawn(["tmux", "-L", socket] + arguments, capture: arguments.first == "capture-pane")
    }

    static func spawn(_ arguments: [String], capture: Bool) -> String {
        // Other tests run processes at the same time; none of their pipes may leak into the
        // tmux server (it lives on and would keep them open), so every descriptor is marked
        // close-on-exec before spawning.
        closeOnExec()
        var fds: [Int32] = [-1, -1]
        if capture {
            _ = pipe(&fds)
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if capture {
            posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
            posix_spawn_file_actions_addclose(&actions, fds[0])
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // The test runner's threads block most signals, and a blocked mask is inherited: the
        // tmux server would never see the SIGTERM of kill-server, nor nk the SIGHUP of a closed
        // pane. Each tmux starts with no signal blocked and default handlers.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawnp(&pid, "tmux", &actions, &attributes, argv, environ)
        if capture { Glibc.close(fds[1]) }
        guard status == 0 else { if capture { Glibc.close(fds[0]) }; return "" }
        var output = Data()
        if capture {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = read(fds[0], &buffer, buffer.count)
                if n <= 0 { break }
                output.append(contentsOf: buffer[0..<n])
            }
            Glibc.close(fds[0])
        }
        var exitStatus: Int32 = 0
        waitpid(pid, &exitStatus, 0)
        return String(decoding: output, as: UTF8.self)
    }

    func type(_ text: String, enter: Bool = false) {
        tmux(["send-keys", "-l", text])
        if enter { keys("Enter") }
    }

    func keys(_ key: String) { tmux(["send-keys", key]) }

    func screen() -> String { tmux(["capture-pane", "-p", "-J"]) }

    /// Waits (up to 20 s) until the screen shows `text`.
    func waitFor(_ text: String, timeout: Double = 20) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if screen().contains(text) { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Issue.record("the screen never showed \(text.debugDescription):\n\(screen())")
        throw CancellationError()
    }

    /// Waits until the last line with text on the screen starts with `prefix` (a prompt that
    /// readline has drawn, so keys typed now are not lost while it sets up the terminal).
    func waitForLastLine(_ prefix: String, exactly: Bool = false, timeout: Double = 20) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let last = screen().split(separator: "\n").last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            let trimmed = last.map { $0.trimmingCharacters(in: .whitespaces) }
            if exactly ? trimmed == prefix : last?.hasPrefix(prefix) == true { Thread.sleep(forTimeInterval: 0.05); return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Issue.record("the last line never started with \(prefix.debugDescription):\n\(screen())")
        throw CancellationError()
    }

    func close() { tmux(["kill-server"]) }

    static func closeOnExec() {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return }
        for entry in entries {
            guard let fd = Int32(entry), fd > 2 else { continue }
            let flags = fcntl(fd, F_GETFD)
            if flags >= 0 { _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
        }
    }
}
