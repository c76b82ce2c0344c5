/// How much memory tables hold. Tables share storage freely (a `let` of a filter keeps the
/// text dictionaries of its source; a copy keeps the very same arrays), so a total over
/// several tables counts each buffer once, by its address.
extension Table {
    /// The buffers this table's columns keep, each with its address and size in bytes.
    public var memoryBlocks: [MemoryBlock] {
        var out: [MemoryBlock] = []
        for column in columns {
            switch column.storage {
            case .integer(let a), .timestamp(let a): out.append(MemoryBlock(a))
            case .float(let a): out.append(MemoryBlock(a))
            case .boolean(let a): out.append(MemoryBlock(a))
            case .date(let a): out.append(MemoryBlock(a))
            case .string(let codes, let dictionary):
                out.append(MemoryBlock(codes))
                out.append(MemoryBlock(dictionary.bytesStorage))
                out.append(MemoryBlock(dictionary.offsetsStorage))
                out.append(MemoryBlock(dictionary.slots))
            }
            if let v = column.validity { out.append(MemoryBlock(v.words)) }
        }
        return out
    }

    /// Bytes the table's columns hold (shared buffers included).
    public var memoryBytes: Int { Table.memoryBytes(of: [self]) }

    /// Bytes the tables hold together, each shared buffer counted once.
    public static func memoryBytes(of tables: [Table]) -> Int {
        var seen = Set<UInt>()
        var total = 0
        for t in tables {
            for block in t.memoryBlocks where block.bytes > 0 && seen.insert(block.address).inserted {
                total += block.bytes
            }
        }
        return total
    }
}

/// One buffer a column keeps: where it is (its identity) and how many bytes it holds.
public struct MemoryBlock: Hashable, Sendable {
    public var address: UInt
    public var bytes: Int

    init<T>(_ array: [T]) {
        address = array.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        // the values' bytes; spare capacity depends on the allocator's rounding, so a count
        // by capacity would differ from run to run
        bytes = array.count * MemoryLayout<T>.stride
    }
}

extension StringDictionary {
    var bytesStorage: [UInt8] { bytes }
    var offsetsStorage: [Int] { offsets }
}
