import Foundation

/// Frees what a cancelled operation built off the calling thread, so that Ctrl-C is answered
/// at once: giving a gigabyte of arrays back to the system takes about 60 ms on its own.
public enum Discard {
    /// Takes `value` (pass it with `consume`, so that no other reference is left) and lets it go
    /// on a background queue.
    public static func inBackground<T>(_ value: consuming T) {
        let box = DiscardBox(value)
        DispatchQueue.global(qos: .utility).async { box.empty() }
    }
}

/// Holds the only reference to what is being let go; `empty` frees it wherever it is called.
private final class DiscardBox<T>: @unchecked Sendable {
    private var value: T?
    init(_ value: consuming T) { self.value = value }
    func empty() { value = nil }
}
