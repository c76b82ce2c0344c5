import NKAnalysis
import NKEngine
import NKTestSupport
import Testing

/// `segment pareto` ranks rows by a measure, largest first (equal measures in input order), and
/// cuts the classes where the running share of the rows above reaches a and b; rows without a
/// measure come last without rank, share or class.
@Suite struct ParetoTests {
    @Test func ranksSharesAndClasses() throws {
        let t = makeTable([("id", .integers([0, 1, 2, 3, 4, 5, 6])), ("v", .floats([5, nil, 3, -1, 5, 0, 2]))])
        let r = try Pareto.run(t, options: Pareto.Options(measure: "v"), cancellation: CancellationFlag())
        // total 15: 5 and 5 and 3 are A (the rows above them hold 0, 33 and 67 %), 2 is B (87 %
        // above it), 0 and -1 are C, the null last
        #expect(goldenText(r.rows) == """
            schema: id integer, v float, rank integer, cumulative_share float, class string
            rows: 7
            id|v|rank|cumulative_share|class
            0|5|1|33.33333333333333|A
            4|5|2|66.66666666666666|A
            2|3|3|86.66666666666667|A
            6|2|4|100|B
            5|0|5|100|C
            3|-1|6|100|C
            1|null|null|null|null

            """)
        #expect(goldenText(r.classes) == """
            schema: class string, rows integer, share_rows float, v float, share_v float
            rows: 3
            class|rows|share_rows|v|share_v
            A|3|50|13|86.66666666666667
            B|1|16.666666666666668|2|13.333333333333334
            C|2|33.333333333333336|0|0

            """)
        #expect(r.unranked == 1)
    }

    @Test func noPositiveTotalHasNoShares() throws {
        let t = makeTable([("v", .integers([0, -2, 0]))])
        let r = try Pareto.run(t, options: Pareto.Options(measure: "v"), cancellation: CancellationFlag())
        #expect(goldenText(r.rows) == """
            schema: v integer, rank integer, cumulative_share float, class string
            rows: 3
            v|rank|cumulative_share|class
            0|1|null|C
            0|2|null|C
            -2|3|null|C

            """)
    }

    @Test func aSetFlagStopsIt() {
        let t = makeTable([("v", .floats((0..<5_000).map { Double($0 % 97) }))])
        let flag = CancellationFlag()
        flag.cancel()
        #expect { try Pareto.run(t, options: Pareto.Options(measure: "v"), cancellation: flag) } throws: {
            ($0 as? EngineError)?.category == .cancelled
        }
    }
}
