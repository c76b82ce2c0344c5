import Foundation
import NKEngine

/// A line on standard error for statements that run longer than two seconds at the prompt:
/// elapsed time and, where the engine reports it, how much of the work is done. Erased when the
/// statement ends.
final class ProgressLine: @unchecked Sendable {
    private let flag: CancellationFlag
    private let timer: DispatchSourceTimer
    private let start = Date()
    private var shown = false
    private var finished = false
    private let lock = NSLock()

    init(flag: CancellationFlag, after delay: Double = 2) {
        self.flag = flag
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global())
        timer.schedule(deadline: .now() + delay, repeating: 0.25)
        timer.setEventHandler { [weak self] in self?.draw() }
        timer.resume()
    }

    private func draw() {
        lock.lock()
        defer { lock.unlock() }
        if finished { return }
        let line = "\r\u{1B}[K" + ProgressLine.text(elapsed: Date().timeIntervalSince(start), progress: flag.progress)
        FileHandle.standardError.write(Data(line.utf8))
        shown = true
    }

    /// Stops the display and erases the line if it was drawn.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if finished { return }
        finished = true
        timer.cancel()
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    static func text(elapsed: Double, progress: (done: Int, total: Int, bytes: Bool)) -> String {
        var text = String(format: "running %.1f s", elapsed)
        if progress.total > 0 {
            let percent = Int(Double(progress.done) / Double(progress.total) * 100)
            text += progress.bytes
                ? " · \(percent) % of \(amount(progress.total, bytes: true))"
                : " · \(amount(progress.done, bytes: false)) of \(amount(progress.total, bytes: false)) rows (\(percent) %)"
        }
        return text + " · Ctrl-C cancels"
    }

    static func amount(_ n: Int, bytes: Bool) -> String {
        let x = Double(n)
        if bytes { return x >= 1e9 ? String(format: "%.1f GB", x / 1e9) : String(format: "%.0f MB", x / 1e6) }
        return x >= 1e6 ? String(format: "%.1f M", x / 1e6) : x >= 1e3 ? String(format: "%.0f k", x / 1e3) : String(n)
    }
}
