import Foundation
import NKTestSupport
import Testing

/// `nk-bench` given a data folder that is not the benchmark's: it ends with status 1 and one
/// line that says which file and what is wrong, never with a crash report.
@Suite struct BenchToolTests {
    static let header = (
        customers: "customer_id,name,industry,region,size_class,employees,channel,acquired_on,acquisition_cost,complaints,nps,status,lost_reason,competitor",
        orders: "order_id,customer_id,order_date,revenue,cost,product_line"
    )
    static let customerRow = "1,\"Berger, Maier & Co\",Handel,Süd,M,40,Website,2021-03-04,120.5,0,7,customer,,"
    static let orderRow = "1,1,2024-05-06,99.95,40.10,Werkzeuge"

    static func run(customers: String, orders: String) throws -> CommandLineTests.Run {
        let folder = try TestPaths.temporaryDirectory()
        try customers.write(to: folder.appendingPathComponent("customers.csv"), atomically: true, encoding: .utf8)
        try orders.write(to: folder.appendingPathComponent("orders.csv"), atomically: true, encoding: .utf8)
        let bench = CommandLineTests.binary.deletingLastPathComponent().appendingPathComponent("nk-bench")
        return try CommandLineTests.run(["--data", folder.path, "--runs", "1"], executable: bench)
    }

    @Test func aFileThatDoesNotLoadIsNamedWithItsLineAndColumn() throws {
        let r = try Self.run(customers: "\(Self.header.customers)\n\(Self.customerRow)\n",
                             orders: "\(Self.header.orders)\n\(Self.orderRow)\n2,1,2024-05-07,\"12.50,3.00,Werkzeuge\n")
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.hasPrefix("nk-bench: /"))
        #expect(r.stderr.contains("/orders.csv:3:16: a quoted field opens here and never closes"), "\(r.stderr)")
    }

    @Test func filesWithoutTheWorkloadsColumnsAreNamed() throws {
        let customers = Self.header.customers.replacingOccurrences(of: ",status,lost_reason,competitor", with: "")
        let row = Self.customerRow.split(separator: ",", omittingEmptySubsequences: false).dropLast(3).joined(separator: ",")
        let r = try Self.run(customers: "\(customers)\n\(row)\n", orders: "\(Self.header.orders)\n\(Self.orderRow)\n")
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.hasSuffix("/customers.csv has no column lost_reason, status, competitor; the workloads read the columns of Scripts/bench/run.sh's generated data\n"),
                "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
    }

    /// A data set where a workload has nothing to work on (no customer who is not one, for
    /// why-not): that workload's error, not a crash report.
    @Test func aWorkloadThatFailsIsNamed() throws {
        let r = try Self.run(customers: "\(Self.header.customers)\n\(Self.customerRow)\n", orders: "\(Self.header.orders)\n\(Self.orderRow)\n")
        #expect(r.status == 1)
        #expect(r.stderr == "nk-bench: W6: no row matches status != \"customer\": the target group is empty\n")
    }

    /// A few customers of each status with the benchmark's columns: the run goes through.
    @Test func theBenchmarksColumnsRun() throws {
        let customers = [
            Self.header.customers, Self.customerRow,
            "2,Huber GmbH,Bau,Nord,S,8,Messe,2022-01-10,80,1,-20,prospect,,",
            "3,Kraus AG,Handel,Süd,L,300,Website,2020-06-01,400,2,,lost,Preis,Konkurrent AG",
        ]
        let orders = [Self.header.orders, Self.orderRow, "2,1,2024-07-01,20.00,,Schrauben", "3,3,2021-01-15,310.40,100.00,Werkzeuge"]
        let r = try Self.run(customers: customers.joined(separator: "\n") + "\n", orders: orders.joined(separator: "\n") + "\n")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("| W8 sort, every column kept |"))
    }
}
