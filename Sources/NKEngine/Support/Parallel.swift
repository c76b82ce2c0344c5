import Dispatch
import Foundation
import Synchronization

/// Runs independent pieces of work on all cores, and lets long work be cancelled.
public enum Parallel {
    /// Number of worker threads used for large work (the machine's active cores).
    public static let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Rows per chunk in vectorised evaluation: a multiple of 64 so validity bitmaps slice on
    /// word boundaries.
    public static let chunkRows = 16_384

    /// Below this many units of work, run on the calling thread.
    public static let serialThreshold = 200_000

    /// Calls `body(i)` for `i` in `0..<count`, concurrently when `minimumWork` is large.
    public static func forEach(_ count: Int, minimumWork: Int = .max, _ body: (Int) -> Void) {
        if count <= 1 || workers == 1 || minimumWork < serialThreshold {
            for i in 0..<count { body(i) }
        } else {
            withoutActuallyEscaping(body) { body in
                let box = UncheckedBox(body)
                DispatchQueue.concurrentPerform(iterations: count) { box.value($0) }
            }
        }
    }

    /// `(0..<count).map(body)`, concurrently when the work is large.
    public static func map<T>(_ count: Int, minimumWork: Int = .max, _ body: (Int) -> T) -> [T] {
        var results = [T?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { out in
            let target = UncheckedBox(out)
            forEach(count, minimumWork: minimumWork) { i in target.value[i] = body(i) }
        }
        return results.map { $0! }
    }

    /// `map` for throwing work: the first error (in index order) is rethrown after all finish.
    public static func tryMap<T>(_ count: Int, minimumWork: Int = .max, _ body: (Int) throws -> T) throws -> [T] {
        let results: [Result<T, Error>] = map(count, minimumWork: minimumWork) { i in Result { try body(i) } }
        return try results.map { try $0.get() }
    }

    /// Splits `0..<count` into ranges of `size` rows (the last one shorter).
    public static func ranges(_ count: Int, size: Int = chunkRows) -> [Range<Int>] {
        stride(from: 0, to: count, by: size).map { $0..<min($0 + size, count) }
    }

    /// `range` in consecutive pieces of `size` rows (the last one shorter): a long loop asks for
    /// Ctrl-C between them.
    public static func pieces(of range: Range<Int>, size: Int = 1 << 20) -> [Range<Int>] {
        stride(from: range.lowerBound, to: range.upperBound, by: size).map { $0..<min($0 + size, range.upperBound) }
    }

    /// Splits `0..<count` into about `parts` ranges whose starts are multiples of 64.
    public static func split(_ count: Int, parts: Int) -> [Range<Int>] {
        if count == 0 { return [] }
        let per = max(64, ((count + parts - 1) / parts + 63) & ~63)
        return ranges(count, size: per)
    }
}

/// Wraps a value that is handed to worker threads whose accesses are disjoint by construction.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// A flag that long operations poll between chunks; set from a signal handler or another thread.
/// It also carries how far the current operation is (`progress`), for a progress display.
public final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    private let done = Atomic<Int>(0)
    private let total = Atomic<Int>(0)
    private let unitIsBytes = Atomic<Bool>(false)
    /// Readings left before the flag sets itself (only when `countsReadings`).
    private let readingsLeft = Atomic<Int>(0)
    private let countsReadings: Bool
    public init() { countsReadings = false }

    /// A flag that sets itself when it is read the `reading`-th time (counting from 1, over
    /// all threads): a Ctrl-C that comes at a chosen point in the middle of an operation, so
    /// that a test can stop one at each of the places where it looks.
    public init(settingItselfAtReading reading: Int) {
        precondition(reading >= 1, "the first reading is 1")
        countsReadings = true
        readingsLeft.store(reading, ordering: .relaxed)
    }

    /// Starts reporting an operation over `total` rows (or bytes).
    public func begin(total: Int, bytes: Bool = false) {
        done.store(0, ordering: .relaxed)
        self.total.store(total, ordering: .relaxed)
        unitIsBytes.store(bytes, ordering: .relaxed)
    }

    /// Adds to the work done. Safe from any thread.
    public func advance(_ n: Int) { done.add(n, ordering: .relaxed) }

    /// Work done and total of the operation under way (total 0: nothing reported).
    public var progress: (done: Int, total: Int, bytes: Bool) {
        (done.load(ordering: .relaxed), total.load(ordering: .relaxed), unitIsBytes.load(ordering: .relaxed))
    }

    /// The process-wide flag the shell sets on Ctrl-C.
    public static let shared = CancellationFlag()

    public var isCancelled: Bool {
        if countsReadings, readingsLeft.wrappingSubtract(1, ordering: .relaxed).newValue == 0 {
            flag.store(true, ordering: .relaxed)
        }
        return flag.load(ordering: .relaxed)
    }
    public func cancel() { flag.store(true, ordering: .relaxed) }
    public func reset() {
        flag.store(false, ordering: .relaxed)
        total.store(0, ordering: .relaxed)
        done.store(0, ordering: .relaxed)
    }

    /// Throws ``EngineError/cancelled`` when the flag is set.
    public func check() throws {
        if isCancelled { throw EngineError.cancelled }
    }
}
