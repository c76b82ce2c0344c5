import Foundation
import NKEngine

/// A company in the CRM: a customer, a prospect, or a prospect that was lost.
struct Company {
    enum Status: String { case customer, prospect, lost }

    var id: Int
    var name = ""
    var industry = ""
    var region = ""
    var city = ""
    var size = ""
    var employees = 0
    var channel = ""
    var firstContact = 0
    var acquisitionCost = 0.0
    var complaints = 0
    var nps: Int?
    var status = Status.prospect
    var lostReason: String?
    var competitor: String?

    // what the story needs to know about the company (never written out)
    /// A small customer who complains and costs more service than it brings.
    var difficult = false
    /// A prospect that looks like the best customers.
    var twin = false
    /// A prospect whose deciders came to the fair this spring.
    var ripe = false
    /// Set by the orders: the customer had a special order delayed in spring 2023 and left.
    var delayed = false
    /// Set by the orders: the customer went more than 12 months without buying at some point.
    var lapsed = false
    /// Set by the orders: the last purchase before that gap.
    var lastOrderBeforeLapse = 0

    static let count = 1_800

    /// Every company, ids 1 to `count`.
    static func all() -> [Company] {
        var names = Set<String>()
        return (1...count).map { id in
            var c = Company(id: id)
            c.draw(names: &names)
            return c
        }
    }

    private mutating func draw(names: inout Set<String>) {
        var r = Random(1, id)
        // every 40th company is a prospect resembling the best customers
        twin = id % 40 == 17
        let span = Double(today - 10 - firstDay)
        firstContact = twin ? dayOf(2024, 3, 1) + r.int(0...440) : firstDay + Int(span * pow(r.unit(), 0.8))
        let t = Double(firstContact - firstDay) / span
        func blend(_ early: Double, _ late: Double) -> Double { early + (late - early) * t }

        industry = twin ? r.element(["Maschinenbau", "Automobilzulieferer", "Medizintechnik"])
            : r.pick(Vocabulary.industries.map { ($0, blend(Vocabulary.industryWeights[$0]!.0, Vocabulary.industryWeights[$0]!.1)) })
        let regionEntry = twin ? Vocabulary.regions[r.int(0...1)] : r.pick(Vocabulary.regions.map { ($0, $0.weight) })
        region = regionEntry.name
        city = r.element(regionEntry.cities)
        employees = twin ? r.int(300...2_400) : max(3, Int(r.logNormal(median: 45, sigma: 1.15)))
        size = employees < 50 ? "S" : employees < 250 ? "M" : employees < 1_000 ? "L" : "XL"
        var weights = Vocabulary.channels.map { ($0.name, blend($0.early, $0.late)) }
        // construction firms meet suppliers at trade fairs (BAU, bautec)
        if industry == "Bauwesen" { weights[0].1 *= 2 }
        channel = twin ? r.element(["Partner", "Website", "Messe"]) : r.pick(weights)
        name = companyName(&r, names: &names)

        let fairConstruction = channel == "Messe" && industry == "Bauwesen"
        let recent = today - firstContact < 120
        var p = Vocabulary.conversion[channel]!
        if size == "L" || size == "XL" { p += 0.05 } else if size == "S" { p -= 0.03 }
        if industry == "Energie" { p -= 0.14 }
        if fairConstruction { p = 0.10 }
        if recent { p *= 0.45 }
        if twin {
            status = .prospect
        } else if r.chance(p) {
            status = .customer
        } else {
            var pLost = fairConstruction ? 0.85 : channel == "Kaltakquise" ? 0.5 : 0.36
            if recent { pLost *= 0.25 }
            status = r.chance(pLost) ? .lost : .prospect
        }
        ripe = status == .prospect && (twin ? r.chance(0.7) : industry == "Energie" && firstContact >= dayOf(2024, 1, 1) && r.chance(0.5))

        let sizeFactor = ["S": 0.8, "M": 1.0, "L": 1.3, "XL": 1.6][size]!
        acquisitionCost = r.logNormal(median: Vocabulary.acquisitionCost[channel]!, sigma: 0.45) * sizeFactor * (fairConstruction ? 1.3 : 1)

        // small customers in the trades: many complaints, poor ratings, much service
        difficult = status == .customer && size == "S"
            && r.chance(industry == "Handwerk" ? 0.55 : industry == "Bauwesen" ? 0.25 : 0.05)
        switch status {
        case .customer:
            complaints = difficult ? r.int(3...8)
                : size == "S" ? r.pick([(0, 60), (1, 25), (2, 12), (3, 3)]) : r.pick([(0, 70), (1, 22), (2, 7), (3, 1)])
            if r.chance(0.7) { nps = score(difficult ? -35 + 20 * r.normal() : 30 + 28 * r.normal()) }
        case .lost:
            complaints = r.chance(0.1) ? 1 : 0
            if r.chance(0.35) { nps = score(-25 + 30 * r.normal()) }
            let reason = r.pick(fairConstruction ? Vocabulary.fairConstructionReasons
                                : channel == "Kaltakquise" ? Vocabulary.coldCallReasons : Vocabulary.lostReasons)
            lostReason = reason
            let discounter = Vocabulary.competitors[0], fast = Vocabulary.competitors[1]
            switch reason {
            case "Preis": competitor = fairConstruction && r.chance(0.7) ? discounter : r.chance(0.5) ? r.element(Vocabulary.competitors) : nil
            case "Wettbewerber": competitor = fairConstruction && r.chance(0.6) ? discounter : r.element(Vocabulary.competitors)
            case "Lieferzeit": competitor = r.chance(0.6) ? fast : r.chance(0.3) ? r.element(Vocabulary.competitors) : nil
            default: competitor = r.chance(0.2) ? r.element(Vocabulary.competitors) : nil
            }
        case .prospect:
            if r.chance(0.2) { nps = score(5 + 30 * r.normal()) }
        }
    }

    private func score(_ x: Double) -> Int { Int(max(-100, min(100, x.rounded()))) }

    /// "Müller Stahlbau GmbH"; a name already taken gets the city, then a number.
    private func companyName(_ r: inout Random, names: inout Set<String>) -> String {
        let surname = r.element(Vocabulary.surnames)
        let trade = r.element(Vocabulary.trades[industry]!)
        let legal = r.pick(Vocabulary.legalForms)
        var name = "\(surname) \(trade) \(legal)"
        if names.contains(name) { name = "\(surname) \(trade) \(city) \(legal)" }
        var n = 2
        let base = name
        while names.contains(name) { name = "\(base) \(n)"; n += 1 }
        names.insert(name)
        return name
    }
}
