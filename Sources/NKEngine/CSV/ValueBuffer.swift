/// A growable buffer of trivial values with manually managed memory: appending checks only the
/// capacity (no copy-on-write uniqueness check), which matters in the CSV reader's inner loop.
/// The owner calls ``deallocate()``.
struct ValueBuffer<T> {
    private(set) var base: UnsafeMutablePointer<T>?
    private(set) var count = 0
    private(set) var capacity = 0

    init() {}

    @inline(__always)
    mutating func append(_ value: T) {
        if count == capacity { grow(to: Swift.max(1024, capacity * 2)) }
        (base.unsafelyUnwrapped + count).initialize(to: value)
        count &+= 1  // below capacity, so it cannot overflow (the CSV reader's inner loop)
    }

    mutating func reserve(_ n: Int) {
        if n > capacity { grow(to: n) }
    }

    private mutating func grow(to newCapacity: Int) {
        let fresh = UnsafeMutablePointer<T>.allocate(capacity: newCapacity)
        if let base {
            fresh.moveInitialize(from: base, count: count)
            base.deallocate()
        }
        base = fresh
        capacity = newCapacity
    }

    /// Forgets the values, keeping the memory.
    mutating func removeAll() { count = 0 }

    var last: T? { count > 0 ? base.unsafelyUnwrapped[count - 1] : nil }

    /// The values as a buffer (valid until the next append or deallocate).
    var buffer: UnsafeBufferPointer<T> { UnsafeBufferPointer(start: base, count: count) }

    mutating func deallocate() {
        base?.deallocate()
        base = nil
        count = 0
        capacity = 0
    }
}

extension ValueBuffer where T == Int32 {
    /// Adds `offset` to every value, in place (the buffer's memory is shared by copies).
    func shiftAll(by offset: Int32) {
        guard let base else { return }
        for i in 0..<count { base[i] &+= offset }
    }

    /// Replaces every value `v` by `table[v]`, in place.
    func remap(through table: [Int32]) {
        guard let base else { return }
        table.withUnsafeBufferPointer { t in
            for i in 0..<count { base[i] = t[Int(base[i])] }
        }
    }
}
