import CSpawn
import Foundation
import NKEngine

/// A database engine's command-line program, kept running for as long as it is attached
/// (`duckdb`, `spark-sql`): a statement goes to its standard input followed by a marker query,
/// its output lines come back on standard output up to the marker's line, and what it writes
/// to standard error in between is that statement's error or progress.
///
/// The program runs in a process group of its own, so that Ctrl-C at the terminal reaches nk
/// only; nk then interrupts the engine: Spark's CLI takes SIGINT as "cancel the running jobs";
/// DuckDB's, reading from a pipe, would end on it, so it is ended and started again.
final class EngineProcess {
    /// The program as it was found, for messages.
    let command: String
    /// The program's process (the leader of its process group).
    let pid: pid_t
    private var input: Int32
    private let output: Int32
    private let errors: Int32
    private var pending: [UInt8] = []
    private var errorBytes: [UInt8] = []
    private var serial = 0
    private(set) var running = true
    /// SIGINT ends the program rather than only its query (DuckDB's command reading from a
    /// pipe): an interrupted statement then ends with the program, and its owner starts it again.
    let interruptEnds: Bool

    /// Starts `program` (a path, or a name looked up on the PATH) in `directory`.
    init(program: String, arguments: [String], directory: String? = nil, environment: [String: String] = [:],
         interruptEnds: Bool = false, installHint: String) throws {
        self.interruptEnds = interruptEnds
        guard let path = EngineProcess.find(program) else {
            throw EngineError(.io, "cannot start \(program): no such program on the PATH", hint: installHint)
        }
        command = path
        var stdinPair: [Int32] = [0, 0], outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0]
        // standard input is a socket pair, so that writing to an engine that has ended is an
        // error (MSG_NOSIGNAL) rather than a SIGPIPE that would end nk. All six ends are closed
        // on exec from their first moment: a program another thread starts meanwhile must not
        // keep them, or this engine's end would go unnoticed while that program runs
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &stdinPair) == 0,
              pipe2(&outPipe, O_CLOEXEC) == 0, pipe2(&errPipe, O_CLOEXEC) == 0 else {
            throw EngineError(.io, "cannot start \(program): \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // the program gets its three channels and nothing else nk has open (whoever opened it,
        // and however: a library's descriptor without close-on-exec would otherwise go along)
        posix_spawn_file_actions_adddup2(&actions, stdinPair[1], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        posix_spawn_file_actions_addclosefrom_np(&actions, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGINT, SIGPIPE, SIGTERM, SIGQUIT] { sigaddset(&defaults, s) }
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        // a working folder is entered by a shell that then becomes the program
        let words = directory.map { ["/bin/sh", "-c", "cd -- \"$1\" || exit 127; shift; exec \"$@\"", "sh", $0, path] + arguments } ?? [path] + arguments
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in argv + envp { free(p) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, words[0], &actions, &attributes, argv, envp)
        for fd in [stdinPair[1], outPipe[1], errPipe[1]] { Glibc.close(fd) }
        guard status == 0 else {
            for fd in [stdinPair[0], outPipe[0], errPipe[0]] { Glibc.close(fd) }
            throw EngineError(.io, "cannot start \(path): \(String(cString: strerror(status)))", hint: installHint)
        }
        pid = child
        input = stdinPair[0]
        output = outPipe[0]
        errors = errPipe[0]
    }

    deinit { stop() }

    /// Whether the program still runs. One that ended on its own since the last statement
    /// (killed, crashed, out of memory) is noticed here and counts as stopped, so that its
    /// owner starts it again before sending the next statement.
    var isRunning: Bool {
        guard running else { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid {
            reaped = true
            stop()
            return false
        }
        return true
    }

    /// Whether the program's end was already collected (then there is nothing to wait for).
    private var reaped = false

    /// Ends the program: its input closes (both engines then exit), and it is killed if it
    /// has not ended within two seconds.
    func stop() {
        guard running else { return }
        running = false
        Glibc.close(input)
        input = -1
        var status: Int32 = 0
        for _ in 0..<40 where !reaped {
            if waitpid(pid, &status, WNOHANG) == pid { break }
            usleep(50_000)
            if waitpid(pid, &status, WNOHANG) == pid { break }
        }
        if !reaped, waitpid(pid, &status, WNOHANG) == 0 {
            kill(-pid, SIGKILL)
            waitpid(pid, &status, 0)
        }
        Glibc.close(output)
        Glibc.close(errors)
    }

    /// The path of `program`: as given when it has a slash, else the first on the PATH.
    static func find(_ program: String) -> String? {
        if program.contains("/") { return access(program, X_OK) == 0 ? program : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = "\(dir)/\(program)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// What one statement printed: standard error's text (the engine's error, if any), and
    /// whether it was cancelled.
    struct Outcome {
        var errors: String
        var cancelled: Bool
    }

    /// Sends `statements` and then `marker(n)`; calls `line` with each line of standard output
    /// before the line `markerLine(n)`, and `progress` with each piece of standard error.
    /// `line` returns false to stop taking rows (the engine is then interrupted and its
    /// output read to the marker). Ctrl-C (the context's flag) interrupts the engine.
    func run(_ statements: String, marker: (String) -> (query: String, line: String), context: ExecutionContext,
             progress: (String) -> Void = { _ in }, line: (UnsafeBufferPointer<UInt8>) throws -> Bool) throws -> Outcome {
        guard running else { throw EngineError(.io, "\(command) has ended", hint: "the next statement starts it again") }
        if let problem = EngineProcess.unclosed(statements) {
            throw EngineError(.invalidInput, "the SQL has \(problem)", hint: "close it, so that the engine sees where the statement ends")
        }
        var text = statements.trimmingCharacters(in: .whitespacesAndNewlines)
        if !text.hasSuffix(";"), !(text.split(separator: "\n").last?.hasPrefix(".") ?? false) { text += ";" }
        serial += 1
        let (query, markerLine) = marker("nk-end-\(serial)-\(pid)")
        let expected = Array(markerLine.utf8)
        try send(text + "\n" + query + "\n")
        errorBytes.removeAll(keepingCapacity: true)
        var interrupted = false, wanted = true, interruptedAt = 0.0
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var fds = [pollfd(fd: output, events: Int16(POLLIN), revents: 0), pollfd(fd: errors, events: Int16(POLLIN), revents: 0)]
        var outputOpen = true
        while true {
            if !interrupted, !wanted || context.cancellation.isCancelled {
                interrupt()
                interrupted = true
                interruptedAt = Date().timeIntervalSince1970
            }
            if interrupted, Date().timeIntervalSince1970 - interruptedAt > 20 {
                stop()
                throw EngineError(.io, "\(command) did not stop when interrupted, so it was ended", hint: "attach the database again")
            }
            let ready = poll(&fds, 2, 100)
            if ready < 0 { if errno == EINTR { continue }; break }
            if fds[1].revents != 0 {
                let n = buffer.withUnsafeMutableBytes { read(errors, $0.baseAddress, $0.count) }
                if n > 0 {
                    errorBytes += buffer[0..<n]
                    if errorBytes.count > 1 << 20 { errorBytes.removeFirst(errorBytes.count - (1 << 19)) }
                    progress(String(decoding: buffer[0..<n], as: UTF8.self))
                }
            }
            guard outputOpen, fds[0].revents != 0 else { continue }
            let n = buffer.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
            if n <= 0 { outputOpen = false; break }
            pending += buffer[0..<n]
            var start = 0
            var finished = false
            try pending.withUnsafeBufferPointer { p in
                while let newline = p[start...].firstIndex(of: 10) {
                    let text = UnsafeBufferPointer(rebasing: p[start..<newline])
                    start = newline + 1
                    // (the marker's line may follow what the program printed without a newline)
                    if text.count >= expected.count, text.suffix(expected.count).elementsEqual(expected) { finished = true; return }
                    if wanted, !interrupted { wanted = try line(text) }
                }
            }
            pending.removeFirst(start)
            if finished {
                pending.removeAll(keepingCapacity: true)
                // what standard error still holds for this statement
                takeErrors(&fds[1], &buffer, waiting: 0)
                return Outcome(errors: String(decoding: errorBytes, as: UTF8.self), cancelled: interrupted && wanted)
            }
        }
        // ended after nk interrupted it: the statement was cancelled, and the next one starts the
        // program again. DuckDB's program always ends so; spark-sql does when SIGINT comes before
        // its statement has begun (its JVM handles SIGINT only while a statement runs), as it
        // did on a busy machine two seconds after the statement was sent
        if interrupted {
            stop()
            return Outcome(errors: "", cancelled: wanted)
        }
        // what it wrote to standard error as it ended (the reason), for at most half a second
        takeErrors(&fds[1], &buffer, waiting: 100, until: Date().addingTimeInterval(0.5))
        stop()
        // all of it: a JVM out of memory can write 20 KB of stack traces after the line that says so
        let ending = EngineProcess.ending(command, String(decoding: errorBytes, as: UTF8.self))
        throw EngineError(.io, ending.message, hint: ending.hint)
    }

    /// Adds what standard error holds to this statement's errors: what is there now, or, with
    /// `waiting` milliseconds, also what arrives that soon after the last piece, up to `until`.
    private func takeErrors(_ fd: inout pollfd, _ buffer: inout [UInt8], waiting: Int32, until deadline: Date = .distantFuture) {
        while Date() < deadline, poll(&fd, 1, waiting) > 0 {
            let n = buffer.withUnsafeMutableBytes { read(errors, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            errorBytes += buffer[0..<n]
        }
    }

    /// What to say when the program ended in the middle of a statement, from the end of what
    /// it wrote to standard error: its last three lines that are not the frames of a stack
    /// trace. A Java program out of memory says so somewhere among those frames; that is the
    /// reason given then, with what to change.
    static func ending(_ command: String, _ said: String) -> (message: String, hint: String) {
        let again = "nothing was defined; the next statement starts it again"
        let lines = said.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        if let reason = lines.lazy.compactMap({ l in l.range(of: "java.lang.OutOfMemoryError").map { l[$0.lowerBound...] } }).last {
            return ("\(command) ran out of memory and ended (\(reason))",
                    again + "; give it more memory (for Spark: SPARK_DRIVER_MEMORY=4g in the environment nk starts in, or spark.driver.memory in spark-defaults.conf) or let it work on less data")
        }
        // a stack's frames say where, not what: the lines before them do
        let told = lines.filter { !$0.isEmpty && !$0.hasPrefix("at ") && !($0.hasPrefix("... ") && $0.hasSuffix(" more")) }
        return ("\(command) ended unexpectedly" + (told.isEmpty ? "" : ": " + told.suffix(3).joined(separator: " ")), again)
    }

    /// What is left open at the end of some SQL (a quote, a quoted name, a block comment),
    /// which would swallow the marker after it: nil when nothing is.
    static func unclosed(_ sql: String) -> String? {
        let b = Array(sql.utf8)
        var i = 0
        while i < b.count {
            switch b[i] {
            case UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"):
                let quote = b[i]
                i += 1
                while i < b.count, b[i] != quote { i += b[i] == UInt8(ascii: "\\") && quote == UInt8(ascii: "'") ? 2 : 1 }
                if i >= b.count { return quote == UInt8(ascii: "'") ? "an unclosed text literal (')" : "an unclosed quoted name" }
            case UInt8(ascii: "-") where i + 1 < b.count && b[i + 1] == UInt8(ascii: "-"):
                while i < b.count, b[i] != 10 { i += 1 }
            case UInt8(ascii: "/") where i + 1 < b.count && b[i + 1] == UInt8(ascii: "*"):
                i += 2
                while i + 1 < b.count, !(b[i] == UInt8(ascii: "*") && b[i + 1] == UInt8(ascii: "/")) { i += 1 }
                if i + 1 >= b.count { return "an unclosed comment (/*)" }
                i += 1
            default: break
            }
            i += 1
        }
        return nil
    }

    private func send(_ text: String) throws {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.send(input, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                let problem = errno
                if problem == EINTR { continue }
                stop()
                throw EngineError(.io, "\(command) has ended: \(String(cString: strerror(problem)))", hint: "nothing was defined; the next statement starts it again")
            }
            offset += n
        }
    }

    /// Interrupts the statement: SIGINT to the program (its launcher scripts exec it, so it is
    /// the process nk started), or, when SIGINT would end it anyway, its whole process group
    /// at once (a launcher that waits for it goes too).
    private func interrupt() {
        if interruptEnds { kill(-pid, SIGKILL) } else { kill(pid, SIGINT) }
    }
}
