import Foundation
import NKEngine

/// The session's memory budget: the tables it keeps and each statement's work share
/// `memoryLimit`. A statement runs with what the tables leave (loads, joins and database reads
/// measure their need against that before they start); a table that would take the session
/// past the limit is not kept.
extension Session {
    /// Bytes the session's tables hold together (a buffer two tables share counted once), and
    /// each table's own bytes in the order the tables were defined.
    public func memoryHeld() -> (total: Int, tables: [(name: String, bytes: Int)]) {
        let kept = order.compactMap { name in tables[name].map { (name, $0) } }
        return (Table.memoryBytes(of: kept.map(\.1)), kept.map { ($0.0, $0.1.memoryBytes) })
    }

    /// Throws when keeping `new` (under `names`, replacing the tables of those names) would
    /// take the session's tables past the memory limit; nothing is defined then.
    func checkRoom(for new: [Table], replacing names: [String]) throws {
        let others = order.filter { !names.contains($0) }.compactMap { tables[$0] }
        let after = Table.memoryBytes(of: others + new)
        guard after > memoryLimit else { return }
        let held = memoryHeld()
        throw EngineError(.resourceLimit, "keeping it would take the session's tables to \(ExecutionContext.formatBytes(after)), past the memory limit of \(ExecutionContext.formatBytes(memoryLimit)); nothing was defined",
                          hint: Session.heldHint(held, limit: memoryLimit))
    }

    /// A refusal for lack of memory, told with what the session's tables hold.
    func explainingHeldMemory(_ d: Diagnostic) -> Diagnostic {
        guard d.kind == .resourceLimit else { return d }
        let held = memoryHeld()
        guard held.total > 0, d.hint?.contains("the session's tables hold") != true else { return d }
        var out = d
        // the statement ran with what the tables left: say so where the message names the limit
        let left = ExecutionContext.formatBytes(max(0, memoryLimit - held.total))
        out.message = d.message.replacingOccurrences(of: "the memory limit of \(left)",
                                                     with: "the \(left) left of the memory limit of \(ExecutionContext.formatBytes(memoryLimit))")
        out.hint = Session.heldHint(held, limit: memoryLimit)
        return out
    }

    /// "the session's tables hold 600 MB of the 1 GB limit (orders 500 MB, customers 100 MB),
    /// leaving 400 MB …"
    static func heldHint(_ held: (total: Int, tables: [(name: String, bytes: Int)]), limit: Int) -> String {
        let largest = held.tables.sorted { $0.bytes > $1.bytes }.prefix(5)
        let list = largest.map { "\($0.name) \(ExecutionContext.formatBytes($0.bytes))" }.joined(separator: ", ")
            + (held.tables.count > largest.count ? ", …" : "")
        let left = max(0, limit - held.total)
        let biggest = largest.first?.name ?? "name"
        return "the session's tables hold \(ExecutionContext.formatBytes(held.total)) of the memory limit of \(ExecutionContext.formatBytes(limit)) (\(list)), leaving \(ExecutionContext.formatBytes(left)) for this statement: drop a table (drop \(biggest)) or raise the limit (.set memory_limit …)"
    }
}
