#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A read-only memory mapping of a whole file.
///
/// A file that another program truncates while nk reads it would end the process: reading a
/// mapped page past the new end of the file raises SIGBUS. `MappingGuard` catches that signal
/// for the pages of open mappings, puts a page of zeros in the place of the vanished one and
/// notes it, so the read goes on and `changed` reports it afterwards. A file that grows or is
/// rewritten in place while nk reads it shows as a changed size or modification time.
final class MappedFile {
    let bytes: UnsafePointer<UInt8>
    let count: Int
    private let mapping: UnsafeMutableRawPointer?
    private let fd: Int32
    private let opened: stat
    private var slot: Int?

    init(path: String) throws {
        var st = stat()
        guard stat(path, &st) == 0 else {
            let reason = String(cString: strerror(errno))
            throw EngineError(errno == ENOENT ? .missingFile : .io, "cannot open \(path): \(reason.lowercased())", hint: errno == ENOENT ? "check the path; a relative path starts in the folder nk was started in" : nil)
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            throw EngineError(.io, "\(path) is a directory, not a file", hint: "name a CSV file inside it")
        }
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw EngineError(.io, "cannot open \(path): \(String(cString: strerror(errno)).lowercased())", hint: errno == EACCES ? "check the file's permissions" : nil)
        }
        // the size and time of the file as opened (not as named: it may have been replaced)
        _ = fstat(fd, &st)
        opened = st
        count = Int(st.st_size)
        if count == 0 {
            mapping = nil
            bytes = UnsafePointer(UnsafeMutablePointer<UInt8>.allocate(capacity: 1))
            return
        }
        let m = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let m, m != MAP_FAILED else {
            Glibc.close(fd)
            throw EngineError(.io, "cannot read \(path): \(String(cString: strerror(errno)).lowercased())")
        }
        madvise(m, count, MADV_SEQUENTIAL)
        mapping = m
        bytes = UnsafePointer(m.assumingMemoryBound(to: UInt8.self))
        slot = MappingGuard.register(m, count)
    }

    /// How the file changed since it was opened, in words; nil if it did not. Bytes read from
    /// a changed file may mix two versions of it (or be zeros where it was cut short).
    var changed: String? {
        var now = stat()
        let truncated = slot.map(MappingGuard.faulted) ?? false
        guard fstat(fd, &now) == 0 else { return truncated ? "it was cut short" : nil }
        if truncated || now.st_size < opened.st_size {
            return "it was cut short from \(Value.grouped(Int(opened.st_size))) to \(Value.grouped(Int(now.st_size))) bytes"
        }
        if now.st_size > opened.st_size {
            return "it grew from \(Value.grouped(Int(opened.st_size))) to \(Value.grouped(Int(now.st_size))) bytes"
        }
        if now.st_mtim.tv_sec != opened.st_mtim.tv_sec || now.st_mtim.tv_nsec != opened.st_mtim.tv_nsec {
            return "it was written to"
        }
        return nil
    }

    /// Maps the pages of a byte range in one call (instead of one page fault per page); a
    /// kernel without `MADV_POPULATE_READ` simply faults them in as they are read.
    func populate(from start: Int, to end: Int) {
        guard let mapping else { return }
        let page = 4096
        let lo = start & ~(page - 1)
        let hi = min(count, (end + page - 1) & ~(page - 1))
        if hi > lo { _ = madvise(mapping + lo, hi - lo, 22 /* MADV_POPULATE_READ */) }
    }

    /// Drops parsed pages from memory (they are re-read from the page cache if touched again).
    func release(upTo offset: Int, from released: Int) -> Int {
        guard let mapping else { return released }
        let page = MappingGuard.pageSize
        let upTo = (offset / page) * page
        if upTo > released { madvise(mapping + released, upTo - released, MADV_DONTNEED) }
        return max(upTo, released)
    }

    func close() {
        if let slot { MappingGuard.unregister(slot) }
        slot = nil
        if let mapping { munmap(mapping, count) } else { UnsafeMutablePointer(mutating: bytes).deallocate() }
        Glibc.close(fd)
    }
}

/// The SIGBUS handler for mapped files, and the table of mappings it serves.
///
/// The table is a fixed array the handler reads without a lock (a signal handler may not take
/// one): a slot is filled before its mapping is read and emptied before it is unmapped. A
/// fault outside every mapping is not ours; the handler then puts the earlier handler back
/// and returns, so the fault happens again and ends the process as it would have.
enum MappingGuard {
    static let slots = 64
    static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
    /// Per slot: start address, end address, and whether a page was replaced.
    nonisolated(unsafe) private static let table = UnsafeMutablePointer<Int>.allocate(capacity: 3 * slots)
    nonisolated(unsafe) private static let previous = UnsafeMutablePointer<sigaction>.allocate(capacity: 1)
    private static let lock = NSLock()
    nonisolated(unsafe) private static var installed = false

    static func register(_ base: UnsafeMutableRawPointer, _ count: Int) -> Int? {
        lock.withLock {
            if !installed { install() }
            for s in 0..<slots where table[3 * s] == 0 {
                table[3 * s + 2] = 0
                table[3 * s + 1] = Int(bitPattern: base) + count
                table[3 * s] = Int(bitPattern: base)
                return s
            }
            return nil  // more files open at once than slots: read without the guard
        }
    }

    static func unregister(_ s: Int) {
        lock.withLock { table[3 * s] = 0; table[3 * s + 1] = 0 }
    }

    static func faulted(_ s: Int) -> Bool { table[3 * s + 2] != 0 }

    private static func install() {
        // everything the handler reads is made here, not lazily inside the handler
        table.initialize(repeating: 0, count: 3 * slots)
        _ = pageSize
        var action = sigaction()
        action.__sigaction_handler.sa_sigaction = { signal, info, context in
            let address = Int(bitPattern: info?.pointee._sifields._sigfault.si_addr)
            for s in 0..<MappingGuard.slots {
                let lo = MappingGuard.table[3 * s], hi = MappingGuard.table[3 * s + 1]
                guard lo != 0, address >= lo, address < hi else { continue }
                let page = address & ~(MappingGuard.pageSize - 1)
                let zeros = mmap(UnsafeMutableRawPointer(bitPattern: page), MappingGuard.pageSize, PROT_READ,
                                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0)
                if zeros != MAP_FAILED {
                    MappingGuard.table[3 * s + 2] = 1
                    return
                }
            }
            sigaction(SIGBUS, MappingGuard.previous, nil)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_SIGINFO | SA_ONSTACK
        sigaction(SIGBUS, &action, previous)
        installed = true
    }
}
