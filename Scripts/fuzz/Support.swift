// What the fuzz targets share: turning libFuzzer's bytes into Swift values.

/// The input as text; bytes that are not UTF-8 become U+FFFD, as when nk reads a script.
func text(_ data: UnsafePointer<UInt8>, _ size: Int) -> String {
    String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
}

/// Reads choices from the fuzzer's bytes; past the end every choice is 0.
struct Choices {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    init(_ data: UnsafePointer<UInt8>, _ size: Int) { bytes = UnsafeBufferPointer(start: data, count: size) }

    var exhausted: Bool { position >= bytes.count }

    mutating func next(_ count: Int) -> Int {
        guard count > 1, position < bytes.count else { return 0 }
        defer { position += 1 }
        return Int(bytes[position]) % count
    }

    mutating func pick<T>(_ items: [T]) -> T { items[next(items.count)] }
}
