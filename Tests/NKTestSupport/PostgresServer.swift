import Foundation

/// A throwaway PostgreSQL cluster for the tests: `initdb` into a temporary folder, the server
/// on a Unix socket in that folder only (no TCP), stopped when the test process ends. Started
/// once, on first use. As root the cluster runs as the `postgres` (or `nobody`) user, since
/// `initdb` refuses root.
///
/// Two roles: `nk` (trusted on the socket) and `ann` (password `s3cret-pass`, checked with
/// SCRAM), and a database `crm`.
public final class PostgresServer: @unchecked Sendable {
    /// The socket folder: connect with `postgresql:///crm?host=<socket>&user=nk`.
    public let socket: String?
    /// Why there is no server, when there is none.
    public let problem: String?

    public static let shared = PostgresServer()

    /// Runs SQL in the test database with psql.
    public func sql(_ text: String, database: String = "crm") throws {
        guard let psql = PostgresServer.binary("psql") else { throw Failure(description: "psql not found") }
        try PostgresServer.run([psql, "-q", "-v", "ON_ERROR_STOP=1", url(database), "-c", text], as: nil)
    }

    /// Whether tests that need the server run: when it started, and always under CI (where a
    /// missing server must fail them, not skip them).
    public static var runs: Bool { shared.socket != nil || ProcessInfo.processInfo.environment["CI"] == "true" }
    public static var skipReason: String { "no PostgreSQL server for the tests: \(shared.problem ?? "")" }

    /// The server's log file.
    public var logFile: String? { socket.map { $0 + "/log" } }

    public func url(_ database: String = "crm", user: String = "nk") -> String {
        "postgresql:///\(database)?host=\(socket ?? "/nonexistent")&user=\(user)"
    }

    private init(suffix: String = "") {
        do {
            socket = try PostgresServer.start(suffix: suffix)
            problem = nil
        } catch {
            socket = nil
            problem = "\(error)"
        }
    }

    /// A cluster of its own, for a test that stops and starts its server (the shared one serves
    /// tests that run at the same time). Stopped when the process exits.
    public static func separate(_ name: String) -> PostgresServer { PostgresServer(suffix: "-" + name) }

    /// Stops the server at once, as a crash or `pg_ctl stop -m immediate` does: by the signal
    /// that command sends (SIGQUIT to the postmaster), without starting a program first, so
    /// that a test can time what follows from the signal itself. Returns once the postmaster
    /// has removed its lock file.
    public func quit() throws {
        guard let socket else { throw Failure(description: "no server") }
        let lock = socket + "/data/postmaster.pid"
        guard let text = try? String(contentsOfFile: lock, encoding: .utf8),
              let pid = text.split(separator: "\n").first.flatMap({ pid_t($0) }) else {
            throw Failure(description: "no running server in \(socket)")
        }
        guard kill(pid, SIGQUIT) == 0 else { throw Failure(description: "the postmaster \(pid) did not take the signal") }
        for _ in 0..<200 where FileManager.default.fileExists(atPath: lock) { Thread.sleep(forTimeInterval: 0.05) }
        if FileManager.default.fileExists(atPath: lock) { throw Failure(description: "the postmaster \(pid) did not stop in 10 s") }
    }

    /// Starts the stopped server again.
    public func start() throws {
        guard let socket, let pgctl = PostgresServer.binary("pg_ctl") else { throw Failure(description: "no server") }
        try PostgresServer.run([pgctl, "-D", socket + "/data", "-o", "-k \(socket) -c listen_addresses='' -c fsync=off",
                                "-l", socket + "/log", "-w", "start"], as: PostgresServer.clusterUser)
    }

    /// The user the clusters run as: root may not run them.
    static var clusterUser: String? {
        guard geteuid() == 0 else { return nil }
        return getpwnam("postgres") != nil ? "postgres" : "nobody"
    }

    static func binary(_ name: String) -> String? {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
            + ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).sorted().reversed().map { "/usr/lib/postgresql/\($0)/bin" }
        return folders.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    /// Runs a program (as `user` when given) and returns what it printed. Spawned and waited
    /// for directly: Foundation's `Process` waits until every descendant lets go of what it
    /// inherited, and the server `pg_ctl` starts lives on.
    @discardableResult
    static func run(_ arguments: [String], as user: String?) throws -> String {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("nk-pg-run-\(getpid())-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        let quoted = arguments.map(shellWord).joined(separator: " ")
        let command = (user.map { "/usr/sbin/runuser -u \(shellWord($0)) -- " } ?? "") + quoted + " > \(shellWord(log)) 2>&1 < /dev/null"
        var pid: pid_t = 0
        let words: [String] = ["/bin/sh", "-c", command]
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        guard posix_spawn(&pid, "/bin/sh", nil, nil, argv, environ) == 0 else { throw Failure(description: "cannot start /bin/sh") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        guard status == 0 else { throw Failure(description: "\(arguments.joined(separator: " ")) failed: \(text)") }
        return text
    }

    /// `text` as one word of a shell command, in single quotes (a quote in it closed, escaped
    /// and opened again).
    static func shellWord(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Stops the cluster in `folder` and removes the folder (and the logs of commands the process
    /// had not finished) once process `pid` has ended, however it ended: a shell in the
    /// background looks once a second. (An `atexit` handler did not run when the test runner
    /// ended, and every run left its servers behind.)
    static func stopWhenGone(_ pid: pid_t, pgctl: String, folder: String, as user: String?) throws {
        let logs = FileManager.default.temporaryDirectory.appendingPathComponent("nk-pg-run-\(pid)-").path
        // the paths reach the shell as its arguments, never inside the script's text
        let stop = (user == nil ? "" : "/usr/sbin/runuser -u \"$5\" -- ") + "\"$2\" -D \"$3/data\" -m immediate stop"
        let watch = "(while kill -0 \"$1\" 2>/dev/null; do sleep 1; done; \(stop); rm -rf \"$3\" \"$4\"*) > /dev/null 2>&1 < /dev/null &"
        try run(["/bin/sh", "-c", watch, "sh", String(pid), pgctl, folder, logs, user ?? ""], as: nil)
    }

    static func start(suffix: String) throws -> String {
        guard let initdb = binary("initdb"), let pgctl = binary("pg_ctl"), let psql = binary("psql") else {
            throw Failure(description: "initdb, pg_ctl or psql not found (apt-get install postgresql)")
        }
        // a path of fixed length (not under $TMPDIR): golden outputs show it, and tables are as wide as it
        let folder = String(format: "/tmp/nk-pg-%08d", getpid()) + suffix
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let user = clusterUser
        if let user {
            let entry = getpwnam(user)!
            chown(folder, entry.pointee.pw_uid, entry.pointee.pw_gid)
            chmod(folder, 0o700)
        }
        let data = folder + "/data"
        try run([initdb, "-D", data, "-U", "nk", "-A", "trust", "-E", "UTF8", "--no-sync", "--locale=C"], as: user)
        let hba = "local all ann scram-sha-256\nlocal all all trust\n"
        try run(["/bin/sh", "-c", "printf '\(hba)' > \(data)/pg_hba.conf"], as: user)
        try run([pgctl, "-D", data, "-o", "-k \(folder) -c listen_addresses='' -c fsync=off", "-l", folder + "/log", "-w", "start"], as: user)
        try stopWhenGone(getpid(), pgctl: pgctl, folder: folder, as: user)
        try run([psql, "-q", "-v", "ON_ERROR_STOP=1", "postgresql:///postgres?host=\(folder)&user=nk",
                 "-c", "create role ann login password 's3cret-pass'", "-c", "create database crm"], as: nil)
        return folder
    }
}

