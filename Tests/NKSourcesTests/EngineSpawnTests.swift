import Foundation
@testable import NKSources
import Testing

/// Engines started at the same time from several threads (as the tests do, and a session that
/// attaches while another engine starts): no engine's program may hold another's pipes. One
/// that did kept the other's output open after it was killed, so its end went unnoticed until
/// the holder ended too (28 s once, when a second Spark session was starting beside it).
struct EngineSpawnTests {
    /// The pipes and sockets a process has open, by their inode, from /proc.
    static func channels(of pid: pid_t) -> Set<String> {
        let folder = "/proc/\(pid)/fd"
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return Set(fds.compactMap { fd in
            let target = try? FileManager.default.destinationOfSymbolicLink(atPath: folder + "/" + fd)
            return target.flatMap { $0.hasPrefix("pipe:") || $0.hasPrefix("socket:") ? $0 : nil }
        })
    }

    @Test func programsStartedAtOnceHoldOnlyTheirOwnPipes() throws {
        let threads = 4, each = 12
        let started = Started()
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            for _ in 0..<each {
                // `exec sleep` keeps what the shell was given, and opens nothing of its own
                guard let engine = try? EngineProcess(program: "/bin/sh", arguments: ["-c", "exec sleep 30"], installHint: "") else { continue }
                started.add(engine)
            }
        }
        // (posix_spawn returns once the program runs, so its descriptors are settled by now)
        let engines = started.engines
        defer { for engine in engines { kill(-engine.pid, SIGKILL); engine.stop() } }
        #expect(engines.count == threads * each)
        let held = engines.map { Self.channels(of: $0.pid) }
        var owners: [String: Int] = [:]
        for channel in held.flatMap({ $0 }) { owners[channel, default: 0] += 1 }
        let shared = owners.filter { $0.value > 1 }
        #expect(shared.isEmpty, "\(shared.count) pipes or sockets held by more than one engine's program")
        #expect(held.allSatisfy { $0.count == 3 }, "\(held.map(\.count))")
    }
}

/// The engines the threads started, added under a lock.
private final class Started: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var engines: [EngineProcess] = []
    func add(_ engine: EngineProcess) { lock.withLock { engines.append(engine) } }
}
