import Foundation
import NKEngine
import NKLanguage

/// `nk-bench --cancel --data DIR`: how long each long operation takes to stop after Ctrl-C.
/// Each runs on a thread of its own; after a delay its cancellation flag is set (what the
/// shell's SIGINT handler does), and the time until the operation returns is the latency. The
/// flag is set at 20, 100, 300, 700 and 1,500 ms, `runs` times each, so every phase of an operation
/// is likely to be caught once; the median and the largest latency are printed (release build).
/// `only` keeps the operations whose names contain it.
func measureCancellation(data: String, runs: Int, only: String?) throws {
    let customers = try CSVReader.load(path: data + "/customers.csv").table
    let orders = try CSVReader.load(path: data + "/orders.csv").table
    // a join that builds 60 M rows: every customer six times over
    let orderKeys = try orders.selecting(["customer_id", "revenue"])
    let customerKeys = try customers.selecting(["customer_id", "region"])
    let sixTimes = try Table.append(Array(repeating: customerKeys, count: 6))
    func statement(_ text: String) -> (CancellationFlag) throws -> Void {
        { flag in
            let session = Session(context: ExecutionContext(cancellation: flag))
            session.set("customers", customers)
            session.set("orders", orders)
            let failures = session.run(Source(name: "cancel", text: text)) { _ in }
            if let f = failures.first { throw EngineError(.cancelled, f.message) }
        }
    }
    var operations: [(String, (CancellationFlag) throws -> Void)] = [
        ("load orders.csv", { flag in _ = try CSVReader.load(path: data + "/orders.csv", cancellation: flag) }),
        ("group-by", { flag in _ = try orders.groupBy([NamedExpr("c", .col("customer_id"))], [Aggregate(.sum, .col("revenue"))],
                                                      context: ExecutionContext(cancellation: flag)) }),
        ("sort", { flag in _ = try orders.sorted(by: [SortKey(.col("revenue"))], context: ExecutionContext(cancellation: flag)) }),
        ("join 60 M rows", { flag in
            _ = try orderKeys.join(sixTimes, on: [("customer_id", "customer_id")], context: ExecutionContext(cancellation: flag)) }),
        ("join", { flag in _ = try orders.join(customers, on: [("customer_id", "customer_id")], context: ExecutionContext(cancellation: flag)) }),
        ("why-not depth 3", statement("customers | why-not status != \"customer\" by industry, region, size_class, channel, employees, nps depth 3 min-support 0.1%")),
        ("segment lifecycle", statement("orders | segment lifecycle")),
        ("segment clv", statement("orders | segment clv value revenue")),
        ("segment rfm", statement("orders | segment rfm by customer_id on order_date value revenue")),
        ("segment pareto", statement("orders | segment pareto on revenue by customer_id")),
        ("lookalike", statement("customers | filter status != \"customer\" | lookalike (customers | filter status = \"customer\") on industry, region, size_class, channel, employees")),
    ]
    // reads that run inside a database: SQLite's progress handler, PostgreSQL's PQcancel
    let sqlite = FileManager.default.currentDirectoryPath + "/Tests/Corpus/sqlite/crm_tool.sqlite"
    if FileManager.default.fileExists(atPath: sqlite) {
        operations.append(("SQLite query", statement("attach \"\(sqlite)\" as db\ndb.(with recursive n(i) as (select 1 union all select i + 1 from n) select count(*) from n)")))
    }
    if let url = ProcessInfo.processInfo.environment["NK_BENCH_POSTGRES"] {
        operations.append(("PostgreSQL query", statement("attach \"\(url)\" as pg\npg.(select pg_sleep(30))")))
    }
    let delays = [0.02, 0.1, 0.3, 0.7, 1.5]
    print("cancellation latency: the flag is set at \(delays.map { "\(Int($0 * 1000))" }.joined(separator: ", ")) ms, \(runs) times each")
    for (name, operation) in operations where only.map({ name.contains($0) }) ?? true {
        var latencies: [(ms: Double, delay: Double)] = []
        var finishedEarly = 0
        for delay in delays {
            for _ in 0..<runs {
                let flag = CancellationFlag()
                let done = DispatchSemaphore(value: 0)
                let run = Finish(operation)
                Thread.detachNewThread {
                    _ = try? run.operation(flag)
                    run.end = DispatchTime.now().uptimeNanoseconds
                    done.signal()
                }
                Thread.sleep(forTimeInterval: delay)
                let cancelledAt = DispatchTime.now().uptimeNanoseconds
                flag.cancel()
                done.wait()
                let end = run.end
                if end < cancelledAt { finishedEarly += 1 } else { latencies.append((Double(end - cancelledAt) / 1e6, delay)) }
            }
        }
        let worst = latencies.max { $0.ms < $1.ms }
        let figure = worst.map { String(format: "median %6.1f ms, max %6.1f ms (set at %d ms)", median(latencies.map(\.ms)), $0.ms, Int($0.delay * 1000)) }
            ?? "finished before the flag was set"
        print(name.padding(toLength: 20, withPad: " ", startingAt: 0) + figure + (finishedEarly > 0 && !latencies.isEmpty ? ", \(finishedEarly) of \(delays.count * runs) finished first" : ""))
    }
}

/// An operation and when it returned, handed to the thread that runs it (the semaphore orders
/// the write before the read).
final class Finish: @unchecked Sendable {
    let operation: (CancellationFlag) throws -> Void
    var end: UInt64 = 0
    init(_ operation: @escaping (CancellationFlag) throws -> Void) { self.operation = operation }
}
