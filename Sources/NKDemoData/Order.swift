import Foundation
import NKEngine

/// One order of a customer.
struct Order {
    var customer: Int
    var day: Int
    var line: String
    var revenue: Double
    var directCost: Double
    var serviceCost: Double
    var deliveryDays: Int

    /// What each industry buys, by product line (in the order of `Vocabulary.productLines`).
    static let mix: [String: [Double]] = [
        "Maschinenbau": [30, 5, 20, 20, 25], "Automobilzulieferer": [30, 3, 15, 22, 30], "Elektrotechnik": [35, 8, 20, 27, 10],
        "Bauwesen": [25, 40, 20, 12, 3], "Logistik": [30, 20, 25, 20, 5], "Lebensmittel": [30, 15, 25, 22, 8],
        "Medizintechnik": [25, 3, 15, 27, 30], "Energie": [30, 25, 15, 15, 15], "Handwerk": [30, 35, 25, 8, 2],
    ]

    /// In spring 2023 the special-parts shop fell weeks behind.
    static let delayStart = dayOf(2023, 3, 1), delayEnd = dayOf(2023, 6, 30)
    /// The win-back campaign of early 2025.
    static let campaignStart = dayOf(2025, 1, 20)

    /// Every order of every customer, by date; marks who lapsed, and why, on the companies.
    static func all(for companies: inout [Company]) -> [Order] {
        var orders: [Order] = []
        for i in companies.indices where companies[i].status == .customer {
            orders += history(of: &companies[i])
        }
        orders.sort { ($0.day, $0.customer) < ($1.day, $1.customer) }
        return orders
    }

    /// A customer's orders from the first one until today, with the lapses the story needs.
    private static func history(of c: inout Company) -> [Order] {
        var r = Random(3, c.id)
        let lines = zip(Vocabulary.productLines, mix[c.industry]!).map { ($0, $1) }
        var rate = ["S": 5.0, "M": 9, "L": 14, "XL": 20][c.size]! * r.logNormal(median: 1, sigma: 0.35)
        if c.region == "Süd" || c.region == "Südwest" { rate *= 1.25 }  // close to the plant
        if c.difficult { rate = 9 }
        // how much of its need a customer buys here: a few buy a lot (the 80/20 rule)
        let sizeFactor = ["S": 1.0, "M": 2, "L": 4.5, "XL": 8][c.size]! * r.logNormal(median: 1, sigma: 1.0)
        var d = weekday(min(c.firstContact + r.int(7...75), today - 1))
        var end = d + Int(r.exponential(mean: 365 * 7))  // natural churn: about one in seven a year
        var cameBack = false
        var orders: [Order] = []
        while true {
            if d > end {
                // some who drift away come back by themselves
                guard !cameBack, r.chance(0.15) else { break }
                cameBack = true
                d = weekday(end + r.int(400...900))
                end = d + Int(r.exponential(mean: 365 * 7))
            }
            guard d <= today else { break }
            let line = r.pick(lines)
            let special = line == "Sonderanfertigung"
            let late = special && d >= delayStart && d <= delayEnd
            var revenue = r.logNormal(median: 320 * sizeFactor * (special ? 2.4 : line == "Werkzeuge" ? 1.3 : 1), sigma: 0.7)
            if c.difficult { revenue *= 0.55 }
            let direct = revenue * (special ? 0.58 + 0.1 * r.unit() : 0.5 + 0.1 * r.unit())
            let service = c.difficult ? revenue * (0.38 + 0.4 * r.unit()) + 18 : revenue * (0.01 + 0.05 * r.unit()) + 4
            let delivery = late ? r.int(25...60) : special ? r.int(8...18) : r.int(1...5)
            orders.append(Order(customer: c.id, day: d, line: line, revenue: revenue, directCost: direct,
                                serviceCost: service, deliveryDays: delivery))
            if late && !c.delayed && r.chance(0.7) {
                // the delay drove this customer away: perhaps one order already placed, then silence
                c.delayed = true
                if r.chance(0.4) {
                    let last = weekday(d + r.int(20...60))
                    if last <= today {
                        orders.append(Order(customer: c.id, day: last, line: r.pick(lines), revenue: revenue * 0.5,
                                            directCost: direct * 0.5, serviceCost: service * 0.5, deliveryDays: r.int(1...5)))
                    }
                }
                // the win-back campaign brings some of them back
                guard r.chance(0.38) else { break }
                d = weekday(campaignStart + r.int(0...110))
                end = today + 365
                continue
            }
            d = weekday(d + max(1, Int(r.exponential(mean: 365 / rate))))
        }
        // the longest silence: a lapse when longer than 12 months (or still going on today)
        var previous = orders.first!.day
        for o in orders.dropFirst() + [Order(customer: c.id, day: today, line: "", revenue: 0, directCost: 0, serviceCost: 0, deliveryDays: 0)] {
            if CivilDate.addMonths(previous, 12) < o.day {
                c.lapsed = true
                c.lastOrderBeforeLapse = previous
            }
            previous = o.day
        }
        return orders
    }

    /// Orders are placed on working days: a weekend day moves to the Monday.
    static func weekday(_ d: Int) -> Int {
        switch CivilDate.isoWeekday(d) {
        case 6: return d + 2
        case 7: return d + 1
        default: return d
        }
    }
}
