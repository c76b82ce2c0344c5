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

#if canImport(Glibc)
import Glibc
#endif

/// Gives memory that freed tables left in the allocator back to the system. glibc keeps freed
/// blocks in its heap (all of them once ``keepFreedMemoryForReuse()`` is set; before, those
/// below its mmap threshold), so without this a session's resident memory never comes down
/// after a `drop`, although the memory is free and is reused.
public enum FreedMemory {
    public static func giveBack() {
        #if canImport(Glibc)
        _ = trim?(0)
        #endif
    }

    /// One allocator arena for the whole process, for a program to set before its first
    /// thread starts. glibc gives each thread that allocates its own arena, and the parallel
    /// kernels run on several: what they free stays in their arenas, so a long session grew
    /// where a single arena reuses it. The soak on the L data (2,000 statements, seed 9) ended
    /// 8.7 % above its start with one arena per thread, 1.1 % with one; the benchmark's
    /// workloads did not measurably change (docs/ROBUSTNESS.md).
    public static func useOneArena() {
        #if canImport(Glibc)
        let arenaMax: Int32 = -8   // M_ARENA_MAX in malloc.h
        _ = option?(arenaMax, 1)
        #endif
    }

    /// Large arrays from the heap, and what is freed kept there for the next statement, for a
    /// program to set before its first thread starts. glibc takes an allocation above its mmap
    /// threshold (which cannot be raised past 32 MB) from the kernel as new pages and gives them
    /// back when it is freed, so at five times the benchmark's L data every column (40 MB one of
    /// customers, 400 MB one of orders) and every array as long came as new pages, which the
    /// kernel clears on first touch: W5 spent 40–90 ms a run in the kernel there, none at L.
    /// Freed memory now stays for reuse until a `drop` gives it back (``giveBack()``).
    ///
    /// The heap's own trimming is off (a threshold of -1, which glibc reads as the largest
    /// size). With the largest `Int32` as threshold, freeing more than 2 GB at once, both XL
    /// tables replaced by a new load, handed the heap's top back, and the load that followed
    /// took every page new: 1.8 s of system time for the XL orders alone.
    public static func keepFreedMemoryForReuse() {
        #if canImport(Glibc)
        let mmapMax: Int32 = -4, trimThreshold: Int32 = -1   // M_MMAP_MAX, M_TRIM_THRESHOLD in malloc.h
        _ = option?(mmapMax, 0)
        _ = option?(trimThreshold, -1)
        #endif
    }

    #if canImport(Glibc)
    /// glibc's `malloc_trim`, looked up once (Swift's Glibc module leaves malloc.h out).
    private static let trim: (@convention(c) (Int) -> Int32)? = {
        guard let symbol = dlsym(nil, "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
    }()

    /// glibc's `mallopt`, looked up the same way.
    private static let option: (@convention(c) (Int32, Int32) -> Int32)? = {
        guard let symbol = dlsym(nil, "mallopt") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
    }()
    #endif
}
