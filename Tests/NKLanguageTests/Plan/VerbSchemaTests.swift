import Foundation
import NKDemoData
import NKEngine
import NKLanguage
import NKTestSupport
import Testing

/// Binding knows a plan's columns without reading data; running it must then produce exactly
/// those columns. Checked for every registered verb through its help example, which runs on
/// the demo data, and for every node of each plan; plus the statement forms and `explain`.
@Suite(.serialized) struct VerbSchemaTests {
    /// A session with the demo data, as of its last day (a new one per test: sessions are not shared).
    static func demoSession() -> Session? {
        let s = Session()
        let folder = TestPaths.root.appendingPathComponent("Datasets/demo").path
        guard (try? s.load(folder)) != nil else { return nil }
        s.context.today = Int32(CivilDate.days(year: 2025, month: 6, day: 30))
        s.todayIsSet = true
        return s
    }

    static let examples: [String] = VerbRegistry.verbs.map { $0.help.example } + [
        "compare (customers | filter status = \"lost\") vs (customers | filter status = \"customer\") on industry, size",
        "why-not (customers | filter status = \"lost\") vs (customers | filter status = \"customer\") by industry, channel",
        "customers | segment lifecycle using orders",
        "orders | segment lifecycle history by month",
        "orders | segment pareto on revenue",
        "orders | join customers on customer_id | segment by industry agg sum(revenue) as revenue, sum(revenue) / count() as per_order",
        "customers | segment agg count() as n, avg(nps)",
        "orders | segment value | segment persona",
        "orders | segment cohort per quarter | derive first = customers * 1.0 | filter customers > 0",
        "orders | segment cohort | join (customers | select customer_id, industry) on customers = customer_id",
    ]

    /// The plan of a statement, and the table each of its nodes produces when run.
    static func planAndRun(_ text: String, _ session: Session) throws -> [(label: String, bound: Schema, produced: [Field])] {
        var out: [(String, Schema, [Field])] = []
        var explained: ExplainResult?
        let failures = session.run(Source(name: "test", text: "explain " + text)) { output in
            if case .result(let r as ExplainResult) = output { explained = r }
        }
        if let f = failures.first { throw f }
        let plan = try #require(explained?.plan)
        for (_, node) in plan.walk() {
            let produced = try session.run(node)
            out.append((node.label, node.schema, produced.table.schema))
        }
        return out
    }

    @Test(arguments: examples)
    func boundColumnsAreTheColumnsProduced(_ text: String) throws {
        let session = try #require(Self.demoSession(), "the demo data is missing")
        for (label, bound, produced) in try Self.planAndRun(text, session) {
            #expect(bound.describes(produced), "\(label): bound \(bound), produced \(produced)")
        }
    }

    @Test func everyVerbHasAnExampleThatBinds() throws {
        let session = try #require(Self.demoSession(), "the demo data is missing")
        for verb in VerbRegistry.verbs {
            let plan = try #require(session.plan(ofPipeline: verb.help.example), "\(verb.words.name): \(verb.help.example)")
            #expect(plan.walk().contains { $0.node.label.hasPrefix(verb.words.name) }, "\(verb.words.name): no node of its own in \(plan.label)")
        }
    }
}
