import Foundation
import NKEngine
#if canImport(Glibc)
import Glibc
#endif

/// `nk-bench --floor --data DIR`: what loading `customers.csv` and `orders.csv` costs on this
/// machine before a single field is converted, beside nk's whole load (medians of `runs`, on
/// every core, release build):
///
/// - **the text**: both files mapped and their pages brought in from the page cache
///   (`MADV_POPULATE_READ`, as the reader does), then unmapped;
/// - **one pass over the text**: every line break found with `memchr`, the least any parser
///   must do (it is about ten times `memchr`'s speed over one long run of bytes: a call per
///   line of 60 bytes costs more than its scan);
/// - **the columns' memory, fresh**: as many bytes as the two loaded tables hold, new from
///   the kernel, one byte written a page (the kernel clears and maps each page on its first
///   write). A load pays this when the heap has no freed memory of that size: the first load
///   of a session, or one after `drop` gave the memory back.
///
/// The benchmark's W1 loads into memory the previous copy freed (`nk-bench` keeps freed
/// memory, as nk does until a `drop`), so its floor is the first two lines; what the goal
/// leaves for splitting and converting fields is printed for both cases (`goal`: the load's
/// time to aim for, 0.5 s by default, the goal for the L data).
func measureLoadFloor(data: String, runs: Int, goal: Double) throws {
    let paths = [data + "/customers.csv", data + "/orders.csv"]
    var load: [Double] = []
    var tableBytes = 0
    for run in 0...runs {
        var tables: [Table] = []
        let t = try seconds { tables = try paths.map { try CSVReader.load(path: $0).table } }
        tableBytes = Table.memoryBytes(of: tables)
        if run > 0 { load.append(t) }
    }
    let textBytes = paths.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0) }
    var mapping: [Double] = [], pass: [Double] = [], fresh: [Double] = []
    var lines = 0
    for run in 0...runs {
        let (mapped, scanned, breaks) = mapAndScan(paths)
        lines = breaks
        let f = freshMemory(bytes: tableBytes)
        if run > 0 { mapping.append(mapped); pass.append(scanned); fresh.append(f) }
    }
    let mb = { (b: Int) in "\(b / 1_000_000) MB" }
    let cores = Parallel.workers
    func row(_ what: String, _ s: Double) { print("| \(what) | \(String(format: "%.3f s", s)) |") }
    print("load floor on \(data): median of \(runs) after 1 warm-up, \(cores) cores")
    print("| step | time |")
    print("| --- | ---: |")
    row("nk's load of both files (\(mb(textBytes)) of text, \(mb(tableBytes)) of columns)", median(load))
    row("mapping the text and bringing its pages in", median(mapping))
    row("one memchr pass over the text (\(lines) line breaks)", median(pass))
    row("the columns' memory, new from the kernel", median(fresh))
    for (what, floor) in [("memory reused (the benchmark's W1)", median(mapping) + median(pass)),
                          ("new memory", median(mapping) + median(pass) + median(fresh))] {
        let left = goal - floor
        guard left > 0 else {
            print("- with \(what) the floor alone, \(String(format: "%.3f", floor)) s, is above a load of \(String(format: "%.2f", goal)) s")
            continue
        }
        print("- a \(String(format: "%.2f", goal)) s load with \(what) leaves \(String(format: "%.3f", left)) s to split and convert "
              + "the fields: " + String(format: "%.2f GB/s a core", Double(textBytes) / left / Double(cores) / 1e9))
    }
    let parse = median(load) - median(mapping) - median(pass)
    print("- nk's load less the floor (memory reused): \(String(format: "%.3f", parse)) s, "
          + String(format: "%.2f GB/s a core", Double(textBytes) / parse / Double(cores) / 1e9))
}

/// Seconds to map the files and bring their pages in, and for one `memchr` pass over them
/// (each on every core), and the line breaks the pass found.
private func mapAndScan(_ paths: [String]) -> (Double, Double, Int) {
    var maps: [(UnsafeMutableRawPointer, Int)] = []
    defer { for (p, n) in maps { munmap(p, n) } }
    let mapped = seconds {
        for path in paths {
            let fd = open(path, O_RDONLY)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            var st = stat()
            guard fstat(fd, &st) == 0, st.st_size > 0,
                  let p = mmap(nil, Int(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else { continue }
            maps.append((p, Int(st.st_size)))
            let pieces = pageRanges(Int(st.st_size), parts: Parallel.workers)
            Parallel.forEach(pieces.count) { k in _ = madvise(p + pieces[k].lowerBound, pieces[k].count, 22 /* MADV_POPULATE_READ */) }
        }
    }
    var found = 0
    let scanned = seconds {
        for (p, n) in maps {
            let pieces = pageRanges(n, parts: Parallel.workers)
            found += Parallel.map(pieces.count) { k -> Int in
                var q = UnsafeRawPointer(p + pieces[k].lowerBound)
                let end = UnsafeRawPointer(p + pieces[k].upperBound)
                var breaks = 0
                while q < end, let hit = memchr(q, 10, end - q) {
                    breaks += 1
                    q = UnsafeRawPointer(hit) + 1
                }
                return breaks
            }.reduce(0, +)
        }
    }
    return (mapped, scanned, found)
}

/// Seconds to write one byte in each page of `bytes` of memory new from the kernel, on every
/// core (the unmapping afterwards is not counted).
private func freshMemory(bytes: Int) -> Double {
    guard bytes > 0, let p = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), p != MAP_FAILED else { return 0 }
    defer { munmap(p, bytes) }
    let pieces = pageRanges(bytes, parts: Parallel.workers)
    return seconds {
        Parallel.forEach(pieces.count) { k in
            var at = pieces[k].lowerBound
            while at < pieces[k].upperBound {
                p.storeBytes(of: 1, toByteOffset: at, as: UInt8.self)
                at += 4096
            }
        }
    }
}

/// `n` bytes cut into `parts` ranges that start on page boundaries.
private func pageRanges(_ n: Int, parts: Int) -> [Range<Int>] {
    let pages = (n + 4095) / 4096
    return (0..<parts).map { k in min(n, pages * k / parts * 4096)..<min(n, pages * (k + 1) / parts * 4096) }.filter { !$0.isEmpty }
}
