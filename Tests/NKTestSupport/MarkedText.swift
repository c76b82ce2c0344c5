/// A test input with places marked inside it by the keycap emoji 1️⃣ … 9️⃣: the text without
/// the markers, and each marker's byte offset into that text. Expected diagnostics are written
/// where they belong: `customers | filter 1️⃣regoin = "Süd"` marks the offset of `regoin`.
public struct MarkedText {
    /// The text with the markers taken out.
    public let text: String
    /// Byte offset (UTF-8) of each marker in `text`, by its digit.
    public let markers: [Int: Int]

    public init(_ marked: String) {
        var text = ""
        var markers: [Int: Int] = [:]
        var scalars = Array(marked.unicodeScalars)[...]
        while let scalar = scalars.first {
            scalars = scalars.dropFirst()
            // a keycap is the digit, U+FE0F, then U+20E3
            if ("1"..."9").contains(scalar), scalars.count >= 2,
               scalars[scalars.startIndex].value == 0xFE0F, scalars[scalars.startIndex + 1].value == 0x20E3 {
                markers[Int(scalar.value) - 0x30] = text.utf8.count
                scalars = scalars.dropFirst(2)
                continue
            }
            text.unicodeScalars.append(scalar)
        }
        self.text = text
        self.markers = markers
    }

    /// The offset of marker 1.
    public var first: Int? { markers[1] }
}
