import Foundation

/// What evaluation may depend on besides the data: the date `today()` returns, and the flag
/// that cancels long work.
public struct ExecutionContext: Sendable {
    /// Days since 1970-01-01 that `today()` evaluates to.
    public var today: Int32
    /// Microseconds since the epoch that `now()` evaluates to.
    public var now: Int64
    public var cancellation: CancellationFlag
    /// Bytes a single result may need; an operator that can tell beforehand that it would need
    /// more (a join whose keys repeat on both sides) refuses instead of trying.
    public var memoryLimit: Int
    /// Rows whose arithmetic overflowed (and are null), counted for the statement's notes.
    public var notes: EngineNotes

    /// The default memory budget: three quarters of the machine's memory.
    public static let defaultMemoryLimit = Int(Double(ProcessInfo.processInfo.physicalMemory) * 0.75)

    public init(today: Int32? = nil, cancellation: CancellationFlag = .shared, memoryLimit: Int = ExecutionContext.defaultMemoryLimit) {
        let seconds = Int64(Date().timeIntervalSince1970)
        self.now = seconds * 1_000_000
        self.today = today ?? Int32(seconds / 86_400)
        self.cancellation = cancellation
        self.memoryLimit = memoryLimit
        self.notes = EngineNotes()
    }

    /// "4 GB", "512 MB": a byte count for people.
    public static func formatBytes(_ bytes: Int) -> String {
        let units = ["bytes", "KB", "MB", "GB", "TB", "PB"]
        var value = Double(bytes), unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(bytes) bytes" : (value >= 100 || value == value.rounded() ? String(format: "%.0f", value) : String(format: "%.1f", value)) + " " + units[unit]
    }

    /// Parses "4GB", "512 MB", "1.5G", "1000000" (bytes); nil when it is not a size.
    public static func parseBytes(_ text: String) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces).uppercased().replacingOccurrences(of: " ", with: "")
        let digits = t.prefix { $0.isNumber || $0 == "." }
        guard let number = Double(digits), number > 0 else { return nil }
        let factors: [String: Double] = ["": 1, "B": 1, "K": 1024, "KB": 1024, "M": 1_048_576, "MB": 1_048_576, "G": 1_073_741_824, "GB": 1_073_741_824,
                                         "T": 1_099_511_627_776, "TB": 1_099_511_627_776]
        guard let factor = factors[String(t.dropFirst(digits.count))] else { return nil }
        let bytes = number * factor
        return bytes < 9e18 ? Int(bytes) : nil
    }

    public static var standard: ExecutionContext { ExecutionContext() }
}

import Foundation
