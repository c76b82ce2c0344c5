import Foundation
import NKEngine
import NKLanguage
import NKRendering
import NKTestSupport
import Testing

/// Every pattern planted in the demo data (Datasets/demo/README.md) is found by the verb meant
/// to find it, so a change to nk or to the data that breaks the workshops' story fails here.
@Suite struct DemoStoryTests {
    /// The result table of the last statement of `text`, run on the demo data as of 2025-06-30.
    static func query(_ text: String) throws -> Table {
        let session = Session()
        var result: Table?
        let failures = session.run(Source(name: "story", text: """
            set today = 2025-06-30
            load "\(TestPaths.root.appendingPathComponent("Datasets/demo").path)"
            \(text)
            """)) { for o in $0.presented { if case .table(let t, _) = o { result = t } } }
        if let f = failures.first { throw f }
        return try #require(result)
    }

    static func strings(_ t: Table, _ column: String) -> [String] {
        guard let c = t.column(column) else { return [] }
        return (0..<t.rowCount).map { c[$0].description }
    }

    static func number(_ t: Table, _ column: String, row: Int = 0) -> Double {
        t.column(column)?[row].doubleValue ?? .nan
    }

    @Test func tradeFairLeadsFromConstructionAreLostOnPrice() throws {
        let patterns = try Self.query("""
            customers | why-not status = "lost" by channel, industry, size, region
            """)
        #expect(Self.strings(patterns, "pattern").first == #"channel = "Messe" and industry = "Bauwesen""#)
        #expect(Self.number(patterns, "risk_ratio") >= 2.5)
        #expect(Self.strings(patterns, "pattern").contains(#"channel = "Kaltakquise""#))
        let reasons = try Self.query("""
            customers | filter status = "lost" and channel = "Messe" and industry = "Bauwesen" | segment by lost_reason
            """)
        #expect(Self.strings(reasons, "lost_reason").first == "Preis")
        #expect(Self.number(reasons, "share") > 60)
        let rivals = try Self.query("""
            customers | filter status = "lost" and channel = "Messe" and industry = "Bauwesen" and competitor is not null | segment by competitor
            """)
        #expect(Self.strings(rivals, "competitor").first == "Baubeschlag Discount GmbH")
    }

    @Test func coldCallsAreLostOnTrust() throws {
        let reasons = try Self.query("""
            customers | filter status = "lost" | why-not channel = "Kaltakquise" by lost_reason
            """)
        #expect(Self.strings(reasons, "pattern").first == #"lost_reason = "kein Vertrauen""#)
    }

    @Test func smallFirmsFromTheTradesAreNegativePersonas() throws {
        let patterns = try Self.query("""
            let per_customer = orders | segment by customer_id agg count() as orders, sum(revenue) as revenue, sum(direct_cost) as direct_cost, sum(service_cost) as service_cost
            customers | join per_customer on customer_id | segment value | segment persona | why-not negative by industry, size, region, channel
            """)
        #expect(Self.strings(patterns, "pattern").first == #"industry = "Handwerk" and size = "S""#)
        #expect(Self.number(patterns, "risk_ratio") >= 5)
    }

    @Test func lateDeliveriesOfSpring2023DroveCustomersAwayAndTheCampaignBroughtSomeBack() throws {
        let late = try Self.query("""
            orders | filter delivery_days > 20 | segment agg min(order_date) as first, max(order_date) as last, count(distinct customer_id) as customers
            """)
        #expect(late.row(0)[0].description.hasPrefix("2023-03"))
        #expect(late.row(0)[1].description.hasPrefix("2023-06"))
        let setup = """
            let late = orders | filter delivery_days > 20 | segment by customer_id agg count() as late_orders
            let classes = orders | segment lifecycle | join late on customer_id left | derive hit = late_orders is not null
            """
        let lapsed = try Self.query(setup + "\nclasses | why-not class = \"lapsed\" by hit")
        #expect(Self.strings(lapsed, "pattern") == ["hit = true"])
        #expect(Self.number(lapsed, "risk_ratio") >= 2)
        let back = try Self.query(setup + "\nclasses | filter class = \"reactivated\" | segment by hit")
        #expect(Self.strings(back, "hit").first == "true")
        #expect(Self.number(back, "share") >= 65)
        let said = try Self.query("""
            interviews | filter situation = "Nullkunde" | segment by reason
            """)
        #expect(Self.strings(said, "reason").first == "Lieferzeit")
    }

    @Test func everyCohortDropsIn2024() throws {
        let cohorts = try Self.query("orders | segment cohort per year")
        // the year 2024 is column y(2024 − cohort); it is below the year before for every cohort up to 2022
        for (r, cohort) in Self.strings(cohorts, "cohort").enumerated() {
            guard let year = Int(cohort), year <= 2022 else { continue }
            let in2023 = Self.number(cohorts, "y\(2023 - year)", row: r), in2024 = Self.number(cohorts, "y\(2024 - year)", row: r)
            #expect(in2024 < in2023 - 10, "cohort \(cohort): \(in2023) % in 2023, \(in2024) % in 2024")
        }
    }

    @Test func theNewsletterReachesFewDeciders() throws {
        let channels = try Self.query("""
            contacts | segment by channel agg avg(if(decision_maker = "ja", 100, 0)) as deciders, avg(newsletter_opens) as opens | sort deciders
            """)
        #expect(Self.strings(channels, "channel").first == "Newsletter")
        #expect(Self.number(channels, "deciders") < 15)
        #expect(Self.number(channels, "opens") > 5)
        #expect(Self.strings(channels, "channel").last == "Außendienst")
    }

    @Test func theFirstLookalikesResembleTheACustomers() throws {
        let alike = try Self.query("""
            let abc = orders | segment pareto on revenue by customer_id
            let ranked = customers | join abc on customer_id
            customers | filter status = "prospect" | lookalike ranked like class = "A" on industry, size, region, employees | head 20
            """)
        #expect(alike.rowCount == 20)
        for r in 0..<20 {
            let row = alike.row(r)
            let size = row[alike.index(of: "size")!].description, region = row[alike.index(of: "region")!].description
            #expect(["L", "XL"].contains(size) && ["Süd", "Südwest"].contains(region), "\(row)")
        }
    }

    @Test func energyGrowsWhereOurShareIsSmall() throws {
        let market = try Self.query("""
            let by_industry = markt | segment by Branche agg sum(Unternehmen) as companies, avg(Wachstum_Prozent) as growth
            customers | segment by industry agg count(if(status = "customer", 1, null)) as customers | join by_industry on industry = Branche | derive share = 100 * customers / companies | sort growth desc
            """)
        #expect(Self.strings(market, "industry").first == "Energie")
        #expect(Self.number(market, "share") < 5)
        let trend = try Self.query("""
            customers | segment by year(acquired_on) as year agg avg(if(industry = "Energie", 100, 0)) as energy, avg(if(channel = "Messe", 100, 0)) as fair | sort year
            """)
        #expect(Self.number(trend, "energy", row: 0) < 6 && Self.number(trend, "energy", row: trend.rowCount - 1) > 14)
        #expect(Self.number(trend, "fair", row: 0) > Self.number(trend, "fair", row: trend.rowCount - 1) + 5)
    }

    @Test func readyProspectsHaveDecidersAtThisYearsFair() throws {
        let warm = try Self.query("""
            let warm = contacts | filter decision_maker = "ja" and fair_visits >= 2 and last_contact >= today() - 4 months | segment by customer_id agg count() as deciders
            customers | filter status = "prospect" | join warm on customer_id | segment by industry
            """)
        #expect(Self.strings(warm, "industry").first == "Energie")
        #expect(Self.strings(warm, "industry").count >= 4)
    }
}
