import Foundation
import NKEngine
@testable import NKLanguage
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
}
