import Foundation

/// What a statement's evaluation has to tell besides its result: values whose arithmetic did
/// not fit their type and became null. Counted from every core; the session reads the notes after a
/// statement and clears them before the next.
public final class EngineNotes: @unchecked Sendable {
    private let lock = NSLock()
    /// What is counted: values or groups, and the sentence said of them.
    private struct Key: Hashable {
        var unit: String
        var what: String
    }
    private var counts: [Key: Int] = [:]
    private var order: [Key] = []

    public init() {}

    /// Adds `n` values to the note `what` (a sentence that follows "N values: "): one per row
    /// and expression that gave null.
    public func count(_ what: String, values n: Int) { count(what, n, unit: "value") }

    /// Adds `n` groups to the note `what` (a sentence that follows "N groups: ").
    public func count(_ what: String, groups n: Int) { count(what, n, unit: "group") }

    private func count(_ what: String, _ n: Int, unit: String) {
        guard n > 0 else { return }
        let key = Key(unit: unit, what: what)
        lock.lock()
        defer { lock.unlock() }
        if counts[key] == nil { order.append(key) }
        counts[key, default: 0] += n
    }

    /// The notes so far, in the order they first came, each with its row count.
    public var sentences: [String] {
        lock.lock()
        defer { lock.unlock() }
        return order.map { key in
            let n = counts[key] ?? 0
            return "\(Value.grouped(n)) \(key.unit)\(n == 1 ? "" : "s"): \(key.what)"
        }
    }

    public func clear() {
        lock.lock()
        defer { lock.unlock() }
        counts = [:]
        order = []
    }
}
