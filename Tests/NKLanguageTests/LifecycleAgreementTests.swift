import Foundation
import NKEngine
import NKLanguage
import NKRendering
import NKTestSupport
import Testing

/// `segment lifecycle` on the shared benchmark's generated orders gives the class counts the
/// reference engines (DuckDB, polars, pandas, sqlite: ../shared/bench/expected.json) agree on.
/// The scale-S data is generated on the fly with ../shared/bench/gen.py (python3 with numpy);
/// without them the test says so and passes nothing off as checked.
@Suite struct LifecycleAgreementTests {
    /// customers and sum(recent_orders) per class at scale S, as expected.json records them.
    static let expected: [String: [Int64]] = [
        "active": [5_145, 20_493], "lapsed": [1_685, 0], "reactivated": [356, 953], "new": [341, 581],
    ]

    /// The same at scale L (1M customers, 10M orders) when NK_BENCH_DATA_L names that data (for
    /// instance /tmp/nkbench/L as Scripts/bench/run.sh leaves it; loading it takes a while in a
    /// debug build, so it is asked for, not assumed; the benchmark checks these counts too).
    static let expectedL: [String: [Int64]] = [
        "active": [515_149, 1_990_396], "lapsed": [170_196, 0], "reactivated": [39_326, 98_891], "new": [33_897, 50_899],
    ]

    static func counts(_ folder: URL) throws -> [String: [Int64]] {
        let s = Session()
        try s.load(folder.appendingPathComponent("orders.csv").path, as: "orders")
        var result: Table?
        let failures = s.run(Source(name: "test", text: """
            orders | segment lifecycle by customer_id on order_date lapsed after 365 days new within 90 days | segment by class agg count(), sum(recent_orders)
            """)) { for o in $0.presented { if case .table(let t, _) = o { result = t } } }
        if let f = failures.first { throw f }
        let t = try #require(result)
        var actual: [String: [Int64]] = [:]
        for r in 0..<t.rowCount {
            let row = t.row(r)
            if case .integer(let n) = row[1], case .integer(let recent) = row[2] { actual[row[0].description] = [n, recent] }
        }
        return actual
    }

    /// The folder of scale-L benchmark data named by NK_BENCH_DATA_L, when it holds that data.
    static var dataL: URL? {
        guard let path = ProcessInfo.processInfo.environment["NK_BENCH_DATA_L"] else { return nil }
        let manifest = URL(fileURLWithPath: path).appendingPathComponent("manifest.json")
        guard let data = try? Data(contentsOf: manifest), let text = String(data: data, encoding: .utf8),
              text.contains("\"orders\": 9999999") else { return nil }
        return URL(fileURLWithPath: path)
    }

    @Test(.enabled(if: dataL != nil, "NK_BENCH_DATA_L names no scale-L benchmark data; Scripts/bench/run.sh checks these counts"))
    func classCountsAtScaleL() throws {
        #expect(try Self.counts(try #require(Self.dataL)) == Self.expectedL)
    }

    static func data() -> URL? {
        if let path = ProcessInfo.processInfo.environment["NK_BENCH_DATA_S"] { return URL(fileURLWithPath: path) }
        guard let shared = TestPaths.realdata?.deletingLastPathComponent() else { return nil }
        let generator = shared.appendingPathComponent("bench/gen.py")
        guard FileManager.default.fileExists(atPath: generator.path),
              let folder = try? TestPaths.temporaryDirectory().appendingPathComponent("benchS") else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", generator.path, "--scale", "S", "--out", folder.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        process.waitUntilExit()
        return process.terminationStatus == 0 ? folder : nil
    }

    static let dataS = data()

    @Test(.enabled(if: dataS != nil, "no scale-S benchmark data (python3 with numpy runs ../shared/bench/gen.py)"))
    func classCountsAgreeWithTheReferenceEngines() throws {
        let actual = try Self.counts(try #require(Self.dataS))
        #expect(actual == Self.expected)
    }
}
