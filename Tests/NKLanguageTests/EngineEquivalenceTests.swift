import Foundation
import NKEngine
@testable import NKLanguage
import NKRendering
import NKSources
import NKTestSupport
import Testing

/// The SQL nk writes for DuckDB and Spark, run by the real engines (the `duckdb` command, and
/// `spark-sql` in local mode), gives what the pipeline gives in memory: the same columns and
/// types, the same rows. The pipelines are PostgreSQL's (``SQLEquivalenceTests``).
enum EngineEquivalence {
    static let peopleCSV = TestPaths.corpus("nk").appendingPathComponent("data/people.csv").path
    static let columns = "id BIGINT, name STRING, region STRING, employees BIGINT, nps BIGINT, revenue DOUBLE, since DATE, active BOOLEAN"

    /// Runs `pipeline` in memory and in `database` (in `dialect`) and compares the results.
    static func check(_ pipeline: String, _ database: any Database, _ dialect: SQLDialect) throws {
        let session = Session()
        try session.load(peopleCSV, as: "people")
        let plan = try #require(session.plan(ofPipeline: pipeline))
        let memory = try session.run(plan).table
        let sql = try SQLCompiler(dialect: dialect).compile(plan)
        let remote = try database.read(query: sql.text(dialect), context: ExecutionContext()).table
        #expect(remote.names == memory.names)
        #expect(remote.columns.map(\.type) == memory.columns.map(\.type), "\(sql.text(dialect))")
        let ordered = !sql.order.isEmpty && !sql.order.contains { $0.column.hasPrefix("\u{1}") }
        #expect(SQLEquivalenceTests.rows(remote, sorted: !ordered) == SQLEquivalenceTests.rows(memory, sorted: !ordered), "\(sql.text(dialect))")
    }
}

@Suite(.serialized, .enabled(if: Engines.duckdbRuns, Comment(rawValue: Engines.duckdbSkip)))
struct DuckDBEquivalenceTests {
    nonisolated(unsafe) static let database: Result<DuckDBDatabase, Error> = Result {
        let path = try Engines.duckdbFile("""
            CREATE TABLE people (\(EngineEquivalence.columns.replacingOccurrences(of: "STRING", with: "VARCHAR")));
            COPY people FROM '\(EngineEquivalence.peopleCSV)' (HEADER);
            """)
        return try DuckDBDatabase(path: path, shown: "test.duckdb")
    }

    @Test(arguments: SQLEquivalenceTests.pipelines)
    func duckdbGivesWhatMemoryGives(_ pipeline: String) throws {
        try EngineEquivalence.check(pipeline, try Self.database.get(), .duckdb)
    }

    @Test func analysesInsideDuckDBTellWhatMemoryTells() throws {
        let types: [DataType: String] = [.integer: "BIGINT", .float: "DOUBLE", .string: "VARCHAR", .date: "DATE", .boolean: "BOOLEAN", .timestamp: "TIMESTAMP"]
        let statements = try AnalysesInEngines.data.map { d in
            "CREATE TABLE \(d.name) (\(try AnalysesInEngines.columns(d, types)));\nCOPY \(d.name) FROM '\(d.path)' (HEADER, DELIMITER '\(d.delimiter)');"
        }
        let path = try Engines.duckdbFile(statements.joined(separator: "\n"))
        try AnalysesInEngines.check(try DuckDBDatabase(path: path, shown: "test.duckdb"))
    }
}

@Suite(.serialized, .enabled(if: Engines.sparkRuns, Comment(rawValue: Engines.sparkSkip)))
struct SparkEquivalenceTests {
    static func database() throws -> SparkDatabase {
        let spark = try Engines.spark.get()
        try spark.execute("CREATE OR REPLACE TEMPORARY VIEW people (\(EngineEquivalence.columns)) USING csv OPTIONS (path '\(EngineEquivalence.peopleCSV)', header 'true')")
        return spark
    }

    @Test(arguments: SQLEquivalenceTests.pipelines)
    func sparkGivesWhatMemoryGives(_ pipeline: String) throws {
        try EngineEquivalence.check(pipeline, try Self.database(), .spark)
    }

    @Test func ctrlCCancelsTheSparkJobAndTheSessionGoesOn() throws {
        let spark = try Engines.spark.get()
        let (error, seconds) = Engines.interrupted(spark, query: "SELECT sum(id % 7) AS s FROM range(0, 100000000000, 1, 2)", after: 2)
        #expect((error as? EngineError)?.category == .cancelled, "\(String(describing: error))")
        #expect(seconds < 30, "the job was not cancelled")
        #expect(try spark.read(query: "SELECT 1 AS one", context: ExecutionContext()).table.rowCount == 1)
    }

    @Test func sparkErrorsPointAtTheirLine() throws {
        let spark = try Engines.spark.get()
        let error = #expect(throws: EngineError.self) {
            try spark.read(query: "SELECT nope\nFROM range(3)", context: ExecutionContext())
        }
        #expect(error?.message.hasPrefix("Spark: [UNRESOLVED_COLUMN") == true, "\(String(describing: error))")
        #expect(error?.hint?.contains("LINE 1: ") == true, "\(String(describing: error?.hint))")
    }

    @Test func analysesInsideSparkTellWhatMemoryTells() throws {
        let spark = try Engines.spark.get()
        let types: [DataType: String] = [.integer: "BIGINT", .float: "DOUBLE", .string: "STRING", .date: "DATE", .boolean: "BOOLEAN", .timestamp: "TIMESTAMP"]
        for d in AnalysesInEngines.data {
            try spark.execute("CREATE OR REPLACE TEMPORARY VIEW \(d.name) (\(try AnalysesInEngines.columns(d, types, quote: "`"))) USING csv "
                              + "OPTIONS (path '\(d.path)', header 'true', sep '\(d.delimiter)')")
        }
        try AnalysesInEngines.check(spark)
    }
}

/// The analysis verbs run inside an engine tell exactly what they tell in memory (the whole
/// printed answer: tables, statistics, sentences, notes), on the demo customers and orders, on
/// the orders with gaps (rows without a customer or a date, text keys, timestamps), and on the
/// real bank marketing data.
enum AnalysesInEngines {
    struct Data {
        var name: String
        var path: String
        var delimiter: String
    }

    static var data: [Data] {
        let demo = TestPaths.root.appendingPathComponent("Datasets/demo")
        var out = [Data(name: "customers", path: demo.appendingPathComponent("customers.csv").path, delimiter: ","),
                   Data(name: "orders", path: demo.appendingPathComponent("orders.csv").path, delimiter: ","),
                   Data(name: "gaps", path: gapsCSV, delimiter: ",")]
        if let real = TestPaths.realdata?.appendingPathComponent("bank_marketing/bank-full.csv").path,
           FileManager.default.fileExists(atPath: real) {
            out.append(Data(name: "bank", path: real, delimiter: ";"))
        }
        return out
    }

    /// The demo orders with a text customer key (`account`), a timestamp (`ordered_at`), and
    /// gaps: every 97th row without a customer, every 89th without a date.
    static let gapsCSV: String = {
        let text = (try? String(contentsOf: TestPaths.root.appendingPathComponent("Datasets/demo/orders.csv"), encoding: .utf8)) ?? ""
        var lines = text.split(separator: "\n").map(String.init)
        guard !lines.isEmpty else { return "" }
        var out = ["order_id,account,order_date,ordered_at,revenue"]
        for (k, line) in lines.dropFirst().enumerated() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let account = k % 97 == 5 ? "" : "K-\(f[1])"
            let day = k % 89 == 7 ? "" : f[2]
            out.append([f[0], account, day, day.isEmpty ? "" : "\(day) \(String(format: "%02d", k % 24)):30:00", f[4]].joined(separator: ","))
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nk-gaps-\(getpid()).csv").path
        try? out.joined(separator: "\n").appending("\n").write(toFile: path, atomically: true, encoding: .utf8)
        lines.removeAll()
        return path
    }()

    static let questions = [
        "e.bank | filter balance > 1000 and job != \"unknown\" | derive ratio = round(balance / (age + 1), 2) | segment by job agg count(), avg(ratio), median(duration) | sort job",
        "e.orders | join e.customers on customer_id | segment by industry agg sum(revenue), count() | sort industry",
        "e.customers | distinct region, size | sort region, size",
        "e.bank | top 5 by balance | select age, job, balance",
        "e.customers | filter nps >= 0 | derive later = acquired_on + 30 days, name = trim(upper(company)) | sort acquired_on desc, customer_id | head 10",
        "e.customers | why-not status = \"lost\" reasons lost_reason",
        "e.customers | filter region != \"Nord\" | why-not status != \"customer\" and nps < 20 by industry, size, channel, complaints, employees depth 3 min-support 2%",
        "e.bank | why-not y = \"yes\"",
        "e.bank | why-not y = \"no\" by job, marital, education, housing, loan, age depth 3",
        "why-not (e.customers | filter status = \"lost\") vs (e.customers | filter status = \"customer\") by industry, region, size, channel, employees",
        "why-not (e.bank | filter y = \"yes\") vs (e.bank | filter y = \"no\" and age > 30) by job, marital, age, balance",
        "e.customers | compare where status = \"lost\"",
        "e.customers | compare by status = \"customer\" on industry, employees, nps, acquired_on, acquisition_cost all",
        "compare (e.customers | filter status = \"lost\") vs (e.customers | filter status = \"customer\")",
        "e.bank | compare where y = \"yes\"",
        "e.bank | filter age > 25 | compare by housing",
        "e.customers | segment persona",
        "e.customers | filter status = \"prospect\" | lookalike e.customers like status = \"customer\" on industry, size, region, employees",
        "e.orders | filter revenue > 2000 | segment value revenue revenue cost direct_cost service service_cost | sort order_id",
        "e.orders | segment lifecycle by customer_id on order_date",
        "e.gaps | segment lifecycle by account on ordered_at as of 2024-12-31 lapsed after 6 months new within 2 months orders by order_id",
        "e.customers | segment lifecycle using e.orders",
        "e.orders | segment lifecycle by customer_id on order_date | filter class = \"lapsed\" | join e.customers on customer_id | segment by industry",
        "e.orders | segment lifecycle by customer_id on order_date | segment by class agg count(), sum(recent_orders) | sort class",
        "e.gaps | segment lifecycle by account on ordered_at lapsed after 6 months new within 2 months orders by order_id | filter class != \"active\" | sort account | head 30",
        "e.gaps | segment lifecycle by account on order_date as of 2024-02-29 lapsed after 1 years | segment by class agg count(), sum(orders), sum(purchase_days) | sort class",
        "e.orders | segment cohort by customer_id on order_date",
        "e.gaps | filter revenue > 100 | segment cohort by account on ordered_at per quarter",
        "e.orders | segment rfm by customer_id on order_date value revenue",
        "e.gaps | segment rfm by account on order_date value revenue as of 2025-01-31 ties first orders by order_id",
        "e.orders | segment rfm by customer_id on order_date value revenue | segment by segment agg count(), avg(monetary), sum(frequency) | sort segment",
        "e.gaps | segment rfm by account on ordered_at value revenue ties first | filter r = 5 or f = 1 | sort account | head 40",
        "e.gaps | segment rfm by account on order_date value revenue as of 2025-01-31 orders by order_id | segment by rfm agg count() | sort rfm",
        "e.gaps | segment pareto on revenue by account a 70% b 90%",
        "e.customers | filter acquisition_cost > 0 | segment pareto on acquisition_cost",
        "e.bank | segment pareto on balance by job",
        // nothing to count: the same empty answers
        "e.orders | filter revenue < 0 | segment lifecycle by customer_id on order_date",
        "e.orders | filter revenue < 0 | segment rfm by customer_id on order_date value revenue | count",
        "e.customers | compare where status = \"nobody\" on industry, nps",
    ]

    /// The columns of a CSV file as nk reads them, in an engine's type names.
    static func columns(_ d: Data, _ types: [DataType: String], quote: Character = "\"") throws -> String {
        let session = Session()
        var options = CSVOptions()
        options.delimiter = d.delimiter.utf8.first
        try session.load(d.path, as: "t", options: options)
        let t = session.table("t")!
        return zip(t.names, t.columns).map { "\(quote)\($0)\(quote) \(types[$1.type]!)" }.joined(separator: ", ")
    }

    /// Each question asked in memory and inside `database`, printed and drawn, compared whole.
    static func check(_ database: any Database) throws {
        for question in questions {
            let table = String(question[question.range(of: "e.")!.upperBound...].prefix { $0 != " " })
            guard data.contains(where: { $0.name == table }) else { continue }
            let session = Session()
            session.attachDatabase(database, as: "e")
            func answer(_ pushdown: Bool) -> String {
                session.pushdown = pushdown
                var out = ""
                let printer = ResultPrinter(out: { out += $0 }, err: { out += $0 })
                // the answer's chart too: it draws what was counted beyond the printed tables
                // (compare's percentiles)
                let diagnostics = session.run(Source(name: "q", text: question), keepGoing: false, emit: { output in
                    printer.print(output)
                    if case .result(let result) = output, let svg = Chart.svg(Chart.Request(result, language: session.language)) { out += svg }
                })
                return out + diagnostics.map { ErrorRenderer.render($0) }.joined()
            }
            let memory = answer(false), engine = answer(true)
            #expect(memory.contains(" row") && !memory.contains("error"), "\(memory)")
            #expect(engine == memory, "\(database.kind): \(question)")
        }
    }
}
