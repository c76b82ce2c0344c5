// nk's side of the benchmark (workloads W1–W6 of ../shared/bench/README.md, and W7–W8 of
// Scripts/bench/joins.py):
// median-of-N timings after one warm-up run, peak resident memory after loading, answers
// checked against the agreed answers, and figures printed beside the reference engines' from
// the same run. W4–W6 run as nk statements (segment lifecycle, compare, why-not) through the
// language.
//
//   nk-bench --data DIR [--runs 5] [--anchors anchors.json] [--expected expected.json] [--joins joins.json]
//   nk-bench --cancel --data DIR [--runs 5] [--only NAME]     how fast each long operation stops on Ctrl-C
//   nk-bench --floor --data DIR [--runs 5] [--goal 0.5]       what a load costs before any field is converted
import Foundation
import NKEngine
import NKLanguage
import Synchronization

struct Options {
    var data = "/tmp/nkbench/L"
    var runs = 5
    var anchors: String?
    var expected: String?
    var joins: String?
    /// `--cancel` only: the operations whose names contain this text.
    var only: String?
    /// `--floor` only: the load's time to aim for, in seconds.
    var goal = 0.5
}

let usage = """
    usage: nk-bench --data DIR [--runs 5] [--anchors anchors.json] [--expected expected.json] [--joins joins.json]
           nk-bench --cancel --data DIR [--runs 5] [--only NAME]
           nk-bench --floor --data DIR [--runs 5] [--goal SECONDS]

    """

/// Stops with the usage and exit status 2.
func usageError(_ message: String) -> Never {
    FileHandle.standardError.write(Data("nk-bench: \(message)\n\(usage)".utf8))
    exit(2)
}

func parseOptions() -> Options {
    var o = Options()
    var args = Array(CommandLine.arguments.dropFirst()).filter { $0 != "--cancel" && $0 != "--floor" }
    while !args.isEmpty {
        let flag = args.removeFirst()
        if flag == "--help" || flag == "-h" {
            print(usage, terminator: "")
            exit(0)
        }
        guard let value = args.first else { usageError("\(flag) needs a value") }
        args.removeFirst()
        switch flag {
        case "--data": o.data = value
        case "--runs":
            guard let n = Int(value), n > 0 else { usageError("--runs needs a whole number above 0, not \(value)") }
            o.runs = n
        case "--anchors": o.anchors = value
        case "--expected": o.expected = value
        case "--joins": o.joins = value
        case "--only": o.only = value
        case "--goal":
            guard let g = Double(value), g > 0 else { usageError("--goal needs a number of seconds above 0, not \(value)") }
            o.goal = g
        default: usageError("unknown option \(flag)")
        }
    }
    return o
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// Peak resident set size of this process in MB (VmHWM).
func peakResidentMB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
        return kb / 1024
    }
    return 0
}

/// Rounds to 6 significant digits, as the reference harness does before comparing answers.
func sig6(_ x: Double) -> Double {
    guard x != 0, x.isFinite else { return x }
    let scale = pow(10, 5 - floor(log10(abs(x))))
    return (x * scale).rounded() / scale
}

func same(_ a: Any, _ b: Any) -> Bool {
    switch (a, b) {
    case let (x as [Any], y as [Any]): return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
    case let (x as [String: Any], y as [String: Any]): return x.keys.sorted() == y.keys.sorted() && x.keys.allSatisfy { same(x[$0]!, y[$0]!) }
    case let (x as NSNumber, y as NSNumber): return sig6(x.doubleValue) == sig6(y.doubleValue)
    case let (x as String, y as String): return x == y
    case (is NSNull, is NSNull): return true
    default: return false
    }
}

// the allocator as nk's own program sets it
FreedMemory.useOneArena()
FreedMemory.keepFreedMemoryForReuse()
let options = parseOptions()
/// Runs one measurement and exits: status 0, or 1 with the error (say, a file that does not
/// load) on standard error.
func measureAndExit(_ body: () throws -> Void) -> Never {
    do {
        try body()
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("nk-bench: \(error)\n".utf8))
        exit(1)
    }
}
if CommandLine.arguments.contains("--cancel") {
    measureAndExit { try measureCancellation(data: options.data, runs: options.runs, only: options.only) }
}
if CommandLine.arguments.contains("--floor") {
    measureAndExit { try measureLoadFloor(data: options.data, runs: options.runs, goal: options.goal) }
}
let customersPath = options.data + "/customers.csv", ordersPath = options.data + "/orders.csv"
for path in [customersPath, ordersPath] where !FileManager.default.isReadableFile(atPath: path) {
    usageError("cannot read \(path) (Scripts/bench/run.sh generates the data)")
}
let context = ExecutionContext()

// W1: load both files with type sniffing; the previous copy is freed before each load
var customers = Table(rowCount: 0), orders = Table(rowCount: 0)
var w1: [Double] = []
for run in 0...options.runs {
    customers = Table(rowCount: 0); orders = Table(rowCount: 0)
    let t: Double
    do {
        t = try seconds {
            customers = try CSVReader.load(path: customersPath).table
            orders = try CSVReader.load(path: ordersPath).table
        }
    } catch {
        // a file that is there but does not load: the reader's own error, not a crash report
        FileHandle.standardError.write(Data("nk-bench: \(error)\n".utf8))
        exit(1)
    }
    if run > 0 { w1.append(t) }
}
let peak = peakResidentMB()
// the columns the workloads read: files from elsewhere without them are told so, not met by a
// crash half-way through the run
for (file, table, needed) in [
    ("customers.csv", customers, ["customer_id", "name", "nps", "lost_reason", "region", "employees", "acquired_on", "industry",
                                  "size_class", "status", "channel", "competitor", "acquisition_cost", "complaints"]),
    ("orders.csv", orders, ["customer_id", "order_date", "revenue", "cost", "product_line"]),
] {
    let missing = needed.filter { table.column($0) == nil }
    if !missing.isEmpty {
        FileHandle.standardError.write(Data("nk-bench: \(options.data)/\(file) has no column \(missing.joined(separator: ", ")); the workloads read the columns of Scripts/bench/run.sh's generated data\n".utf8))
        exit(1)
    }
}

func sumFloat(_ table: Table, _ column: String) throws -> Double {
    try table.groupBy([], [Aggregate(.sum, .col(column))]).columns[0][0].doubleValue ?? 0
}
func count(_ table: Table, _ predicate: Expr) throws -> Int { try table.count(where: predicate, context: context) }

let w1Answer: [String: Any] = [
    "customers": customers.rowCount,
    "nps_nonnull": try count(customers, !.isNull(.col("nps"))),
    "lost_reason_nonnull": try count(customers, !.isNull(.col("lost_reason"))),
    "names_with_quote": try count(customers, .call("contains", [.col("name"), .lit("\"")])),
    "names_with_comma": try count(customers, .call("contains", [.col("name"), .lit(",")])),
    "region_sued": try count(customers, .col("region") == .lit("Süd")),
    "sum_employees": Int(try sumFloat(customers, "employees")),
    "min_acquired_on": try customers.groupBy([], [Aggregate(.min, .col("acquired_on"))]).columns[0][0].description,
    "orders": orders.rowCount,
    "sum_revenue": try sumFloat(orders, "revenue"),
    "cost_nonnull": try count(orders, !.isNull(.col("cost"))),
    "product_lines": try orders.distinct(["product_line"]).rowCount,
    "max_order_date": try orders.groupBy([], [Aggregate(.max, .col("order_date"))]).columns[0][0].description,
]

// W2: count of customers in Süd with more than 50 employees and a negative NPS
let w2Predicate: Expr = .col("region") == .lit("Süd") && .col("employees") > .lit(50) && .col("nps") < .lit(0)
var w2Answer = 0
var w2: [Double] = []
for run in 0...options.runs {
    let t = try seconds { w2Answer = try count(customers, w2Predicate) }
    if run > 0 { w2.append(t) }
}

// W3: orders by product line (count, sum, avg of revenue); customers by industry and size
var byLine = Table(rowCount: 0), byIndustrySize = Table(rowCount: 0)
var w3: [Double] = []
for run in 0...options.runs {
    let t = try seconds {
        byLine = try orders.groupBy([NamedExpr("product_line", .col("product_line"))],
                                    [Aggregate(.count), Aggregate(.sum, .col("revenue")), Aggregate(.avg, .col("revenue"))], context: context)
        byIndustrySize = try customers.groupBy([NamedExpr("industry", .col("industry")), NamedExpr("size_class", .col("size_class"))],
                                               [Aggregate(.count)], context: context)
    }
    if run > 0 { w3.append(t) }
}
let w3Answer: [String: Any] = [
    "by_product_line": (0..<byLine.rowCount).map { r in byLine.row(r).map { v -> Any in
        switch v { case .integer(let i): return Int(i); case .float(let f): return f; default: return v.description } } }
        .sorted { ($0[0] as! String) < ($1[0] as! String) },
    "by_industry_size": (0..<byIndustrySize.rowCount).map { r in byIndustrySize.row(r).map { v -> Any in
        if case .integer(let i) = v { return Int(i) } else { return v.description } } }
        .sorted { a, b in (a[0] as! String, a[1] as! String) < (b[0] as! String, b[1] as! String) },
]

// W4–W6 as nk statements, run by a session holding the loaded tables
let session = Session(context: context)
session.set("customers", customers)
session.set("orders", orders)
let w4Source = Source(name: "W4", text: """
    orders | segment lifecycle by customer_id on order_date lapsed after 365 days new within 90 days | segment by class agg count(), sum(recent_orders)
    """)
let w5Source = Source(name: "W5", text: """
    customers | compare where status = "customer" on industry, region, size_class, channel, competitor, employees, acquisition_cost, complaints, nps all
    """)
let w6Source = Source(name: "W6", text: """
    customers | why-not status != "customer" by industry, region, size_class, channel min-ratio 0 all | head 20
    """)
/// The detail tables of the last comparison run, by column.
var compareDetails: [String: [Table]] = [:]
@MainActor func tables(_ source: Source) -> [Table] {
    var out: [Table] = []
    let failures = session.run(source) { output in
        switch output {
        case .table(let t, _): out.append(t)
        // a comparison's tables: the summary, then each column's details
        case .result(let r as CompareResult):
            out += [r.analysis.summary] + r.analysis.details.flatMap(\.tables)
            compareDetails = Dictionary(r.analysis.details.map { ($0.column, $0.tables) }, uniquingKeysWith: { first, _ in first })
        case .result(let r): out.append(r.table)
        default: break
        }
    }
    if let f = failures.first {
        FileHandle.standardError.write(Data("nk-bench: \(source.name): \(f.message)\n".utf8))
        exit(1)
    }
    return out
}
/// Median-ready timings of a statement (after one warm-up run) and its last tables.
@MainActor func timed(_ source: Source) -> ([Double], [Table]) {
    var times: [Double] = [], last: [Table] = []
    for run in 0...options.runs {
        let t = seconds { last = tables(source) }
        if run > 0 { times.append(t) }
    }
    return (times, last)
}
let (w4, w4Tables) = timed(w4Source)
// pareto and rfm on the same orders (nk only: the reference harness has no such workload)
let (paretoTimes, _) = timed(Source(name: "pareto", text: "orders | segment pareto on revenue by customer_id"))
let (rfmTimes, _) = timed(Source(name: "rfm", text: "orders | segment rfm by customer_id on order_date value revenue"))
let (w5, w5Tables) = timed(w5Source)
let (w6, w6Tables) = timed(w6Source)
let (w7, w7Tables) = timed(Source(name: "W7", text: "orders | join customers on customer_id | segment by region agg sum(revenue) as revenue, count() as n"))
let (w8, _) = timed(Source(name: "W8", text: "let s = orders | sort revenue"))
let w7Answer = joinAnswer(w7Tables[0])
let w8Answer = sortAnswer(session.table("s")!)
session.remove("s")

// W4's answer: customers and recent orders per class, under the reference's class names
let referenceClass = ["active": "Aktiv", "new": "Neukunde", "lapsed": "Nullkunde", "reactivated": "Reaktiviert"]
var w4Answer: [String: Any] = ["Aktiv": [0, 0], "Neukunde": [0, 0], "Nullkunde": [0, 0], "Reaktiviert": [0, 0]]
for r in 0..<w4Tables[0].rowCount {
    let row = w4Tables[0].row(r)
    if let name = referenceClass[row[0].description] { w4Answer[name] = [Int(row[1].doubleValue ?? 0), Int(row[2].doubleValue ?? 0)] }
}

// W5's answer from compare's detail tables: the share of each value in either group, and
// mean and median per group (each column's first detail table)
func optionalText(_ v: Value) -> Any { v == .null ? NSNull() : v.description }
var w5Shares: [[Any]] = []
var w5Numeric: [String: [String: [String: Any]]] = ["customer": [:], "noncustomer": [:]]
let w5Summary = w5Tables[0]
for r in 0..<w5Summary.rowCount {
    let column = w5Summary.columns[0][r].description
    let kind = w5Summary.columns[1][r].description
    guard let t = compareDetails[column]?.first else { continue }
    if kind == "categorical", t.columns.count > 6 {
        for i in 0..<t.rowCount {
            let value = t.columns[0][i].description
            w5Shares.append([column, value == "(null)" ? NSNull() : value,
                             (t.columns[2][i].doubleValue ?? 0) / 100, (t.columns[6][i].doubleValue ?? 0) / 100])   // share of either group
        }
    } else if kind == "numeric", t.column("mean") != nil, t.column("median") != nil, t.rowCount == 2 {
        for (i, group) in [(0, "customer"), (1, "noncustomer")] {
            w5Numeric[group]![column] = ["mean": t.column("mean")![i].doubleValue ?? NSNull(), "median": t.column("median")![i].doubleValue ?? NSNull()]
        }
    }
}
w5Shares.sort { a, b in
    let ka = (a[0] as! String, a[1] as? String ?? ""), kb = (b[0] as! String, b[1] as? String ?? "")
    return ka < kb
}
let w5Answer: [String: Any] = ["shares": w5Shares, "numeric": w5Numeric]

// W6's answer from why-not's patterns: `column = "value"` or `column is null`, joined by and
func parseCondition(_ text: Substring) -> (String, Any) {
    if text.hasSuffix(" is null") { return (String(text.dropLast(8)), NSNull()) }
    let parts = text.split(separator: " = ", maxSplits: 1)
    var value = String(parts[1].dropFirst().dropLast())
    value = value.replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "\\\\", with: "\\")
    return (String(parts[0]), value)
}
let w6Patterns = w6Tables[0]
var w6Rows: [[Any]] = (0..<w6Patterns.rowCount).map { r in
    let items = w6Patterns.column("pattern")![r].description.components(separatedBy: " and ").map { parseCondition(Substring($0)) }
    let second: (String, Any) = items.count > 1 ? items[1] : ("", NSNull())
    return [items[0].0, items[0].1, items.count > 1 ? second.0 : NSNull(), second.1,
            Int(w6Patterns.column("target_count")![r].doubleValue!), Int(w6Patterns.column("reference_count")![r].doubleValue!),
            w6Patterns.column("risk_ratio")![r].doubleValue!]
}
func key(_ v: Any) -> String { v as? String ?? "" }
w6Rows.sort { a, b in
    let ra = ((a[6] as! Double) * 1e9).rounded(), rb = ((b[6] as! Double) * 1e9).rounded()
    if ra != rb { return ra > rb }
    if (a[4] as! Int) != (b[4] as! Int) { return (a[4] as! Int) > (b[4] as! Int) }
    return [key(a[0]), key(a[1]), key(a[2]), key(a[3])].lexicographicallyPrecedes([key(b[0]), key(b[1]), key(b[2]), key(b[3])])
}
let w6Answer: [String: Any] = ["top20": w6Rows]

// answers: the expected.json scale whose input hashes match this data's manifest
var checks: [String: String] = ["W1": "not checked", "W2": "not checked", "W3": "not checked", "W4": "not checked", "W5": "not checked", "W6": "not checked"]
if let path = options.expected,
   let expected = (try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))) as? [String: Any],
   let manifest = (try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: options.data + "/manifest.json")))) as? [String: Any],
   let files = manifest["files"] as? [String: Any] {
    let hash = { (name: String) in ((files[name] as? [String: Any])?["sha256"] as? String) ?? "" }
    for (_, value) in expected {
        guard let scale = value as? [String: Any], let data = scale["data"] as? [String: String],
              data["customers.csv"] == hash("customers.csv"), data["orders.csv"] == hash("orders.csv"),
              let workloads = scale["workloads"] as? [String: Any] else { continue }
        func verdict(_ w: String, _ answer: Any) -> String {
            guard let e = (workloads[w] as? [String: Any])?["result"] else { return "no answer" }
            return same(answer, e) ? "agrees" : "DIFFERS"
        }
        checks = ["W1": verdict("W1", w1Answer), "W2": verdict("W2", w2Answer), "W3": verdict("W3", w3Answer), "W4": verdict("W4", w4Answer),
                  "W5": verdict("W5", w5Answer), "W6": verdict("W6", (workloads["W6"] as? [String: Any])?["result"].map { e -> Any in
                      // the reference answer also records whether the engine sorted it; nk's is sorted by construction
                      var answer = w6Answer
                      if let flag = (e as? [String: Any])?["engine_order_ok"] { answer["engine_order_ok"] = flag }
                      return answer
                  } ?? w6Answer)]
    }
}

// reference engines from the same run
var reference: [String: [String: Double]] = [:]
var referenceRSS: [String: Double] = [:]
if let path = options.anchors,
   let anchors = (try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))) as? [String: Any],
   let engines = anchors["engines"] as? [String: Any] {
    for (name, value) in engines {
        guard let e = value as? [String: Any], let workloads = e["workloads"] as? [String: Any] else { continue }
        for (w, r) in workloads { if let m = (r as? [String: Any])?["median"] as? Double { reference[name, default: [:]][w] = m } }
        referenceRSS[name] = e["peak_rss_mb"] as? Double
    }
}

func ms(_ s: Double) -> String { s < 0.01 ? String(format: "%.2f ms", s * 1000) : s < 1 ? String(format: "%.0f ms", s * 1000) : String(format: "%.2f s", s) }
let engines = reference.keys.sorted()
let rows: [(String, Double, Double, String)] = [
    ("W1 load customers + orders", median(w1), 0.9, checks["W1"]!),
    ("W2 filtered count", median(w2), 0.003, checks["W2"]!),
    ("W3 two group-bys", median(w3), 0.100, checks["W3"]!),
    ("W4 lifecycle (segment lifecycle)", median(w4), 0.400, checks["W4"]!),
    ("W5 compare (9 columns)", median(w5), 0.050, checks["W5"]!),
    ("W6 why-not (4 columns, depth 2)", median(w6), 0.050, checks["W6"]!),
]
print("nk benchmark on \(options.data): \(customers.rowCount) customers, \(orders.rowCount) orders; median of \(options.runs) after 1 warm-up, \(Parallel.workers) threads")
var header = "| workload | nk | target |"
for e in engines { header += " \(e) | nk ÷ \(e) |" }
print(header + " answer |")
print("|" + String(repeating: " --- |", count: 4 + 2 * engines.count))
let keys = ["W1", "W2", "W3", "W4", "W5", "W6"]
for (i, r) in rows.enumerated() {
    var line = "| \(r.0) | \(ms(r.1)) | ≤ \(ms(r.2)) |"
    for e in engines {
        if let m = reference[e]?[keys[i]] { line += " \(ms(m)) | \(String(format: "%.2f", r.1 / m)) |" } else { line += " – | – |" }
    }
    print(line + " \(r.3) |")
}
for line in joinRows(w7: w7, w8: w8, w7Answer: w7Answer, w8Answer: w8Answer, path: options.joins, engines: engines) { print(line) }
for (name, times, target) in [("pareto by customer (orders)", paretoTimes, 0.300), ("rfm by customer (orders)", rfmTimes, 0.300)] {
    print("| \(name) | \(ms(median(times))) | ≤ \(ms(target)) |" + String(repeating: " – | – |", count: engines.count) + " not compared |")
}
var memory = "| peak memory after W1 | \(String(format: "%.0f MB", peak)) | ≤ 1000 MB |"
for e in engines { memory += referenceRSS[e].map { " \(String(format: "%.0f MB", $0)) | \(String(format: "%.2f", peak / $0)) |" } ?? " – | – |" }
print(memory + " |")
print("nk times: W1 \(w1.map { String(format: "%.3f", $0) }.joined(separator: " ")) s; W2 \(w2.map { String(format: "%.2f", $0 * 1000) }.joined(separator: " ")) ms; W3 \(w3.map { String(format: "%.1f", $0 * 1000) }.joined(separator: " ")) ms; "
      + "W4 \(w4.map { String(format: "%.0f", $0 * 1000) }.joined(separator: " ")) ms; W5 \(w5.map { String(format: "%.1f", $0 * 1000) }.joined(separator: " ")) ms; W6 \(w6.map { String(format: "%.1f", $0 * 1000) }.joined(separator: " ")) ms; "
      + "W7 \(w7.map { String(format: "%.0f", $0 * 1000) }.joined(separator: " ")) ms; W8 \(w8.map { String(format: "%.0f", $0 * 1000) }.joined(separator: " ")) ms")
if checks.values.contains("DIFFERS") {
    // nk's answers beside the agreed ones, for a closer look
    let all: [String: Any] = ["W1": w1Answer, "W2": w2Answer, "W3": w3Answer, "W4": w4Answer, "W5": w5Answer, "W6": w6Answer]
    let path = options.data + "/nk-answers.json"
    if let data = try? JSONSerialization.data(withJSONObject: all, options: [.prettyPrinted, .sortedKeys]) {
        try? data.write(to: URL(fileURLWithPath: path))
        print("nk's answers: \(path)")
    }
    exit(1)
}
