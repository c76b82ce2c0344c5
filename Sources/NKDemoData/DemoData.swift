import Foundation
import NKEngine

/// The demo data of `Datasets/demo`: Kessler Befestigungstechnik, a fictional mid-sized German
/// supplier of fasteners and tooling, with its customers and prospects, orders, the people its
/// marketing reaches, interviews with non-buyers, and a market statistic. Deterministic: the
/// files are the same, byte for byte, every time.
///
/// The stories a workshop can uncover are planted here and told in `Datasets/demo/README.md`.
public enum DemoData {
    /// The day the data ends: workshop scripts `set today` to it.
    public static let referenceDay = "2025-06-30"

    public struct File: Sendable {
        public var name: String
        public var contents: String
    }

    /// Every file of the demo data, in the order they are written.
    public static func files() -> [File] {
        var companies = Company.all()
        let orders = Order.all(for: &companies)
        return [
            File(name: "customers.csv", contents: customersCSV(companies)),
            File(name: "orders.csv", contents: ordersCSV(orders)),
            File(name: "contacts.csv", contents: contactsCSV(companies)),
            File(name: "interviews.csv", contents: interviewsCSV(companies)),
            File(name: "markt.csv", contents: marketCSV()),
        ]
    }

    /// Writes the files into `folder` (created when missing).
    public static func write(to folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for file in files() {
            try file.contents.write(toFile: (folder as NSString).appendingPathComponent(file.name), atomically: true, encoding: .utf8)
        }
    }

    // MARK: the files

    static func customersCSV(_ companies: [Company]) -> String {
        var lines = ["customer_id,company,industry,region,city,size,employees,channel,acquired_on,acquisition_cost,complaints,nps,status,lost_reason,competitor"]
        for c in companies {
            lines.append([String(c.id), field(c.name), c.industry, c.region, field(c.city), c.size, String(c.employees), c.channel,
                          iso(c.firstContact), money(c.acquisitionCost), String(c.complaints), c.nps.map(String.init) ?? "",
                          c.status.rawValue, c.lostReason ?? "", c.competitor ?? ""].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func ordersCSV(_ orders: [Order]) -> String {
        var lines = ["order_id,customer_id,order_date,product_line,revenue,direct_cost,service_cost,delivery_days"]
        for (i, o) in orders.enumerated() {
            lines.append("\(i + 1),\(o.customer),\(iso(o.day)),\(o.line),\(money(o.revenue)),\(money(o.directCost)),\(money(o.serviceCost)),\(o.deliveryDays)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The people marketing and sales reached: most newsletter readers decide nothing.
    static func contactsCSV(_ companies: [Company]) -> String {
        var lines = ["contact_id,customer_id,company,name,role,decision_maker,channel,newsletter_opens,fair_visits,last_contact"]
        var id = 0
        for c in companies {
            var r = Random(4, c.id)
            let count = c.status == .customer ? r.int(2...4) : r.int(1...3)
            for k in 0..<count {
                id += 1
                let channel = r.pick(Vocabulary.contactChannels.map { ($0, $0.weight) })
                // the people behind a ripe prospect are deciders who came to the fair this year
                let ripe = c.ripe && k == 0
                let decides = ripe || r.chance(channel.deciders)
                let role = decides ? r.pick(Vocabulary.decisionMakerRoles) : r.pick(Vocabulary.otherRoles)
                let name = "\(r.element(Vocabulary.firstNames)) \(r.element(Vocabulary.surnames))"
                let opens = channel.name == "Newsletter" ? r.poisson(decides ? 2 : 9) : (r.chance(0.35) ? r.poisson(2) : 0)
                let visits = ripe ? r.int(2...4) : channel.name == "Messe" ? r.int(1...3) : (r.chance(0.08) ? 1 : 0)
                let earliest = max(c.firstContact, dayOf(2022, 1, 1))
                let last = ripe ? dayOf(2025, 3, 1) + r.int(0...110) : earliest + r.int(0...max(0, today - earliest))
                lines.append([String(id), String(c.id), field(c.name), field(name), role, decides ? "ja" : "nein", channel.name,
                              String(opens), String(visits), iso(min(last, today))].joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Talks with lost prospects and lapsed customers: what they say, in their words.
    static func interviewsCSV(_ companies: [Company]) -> String {
        var lines = ["interview_id,customer_id,company,interviewed_on,situation,reason,quote"]
        var rows: [(day: Int, customer: Int, line: String)] = []
        for c in companies {
            var r = Random(5, c.id)
            let situation: String, reason: String, when: Int
            switch c.status {
            case .lost where r.chance(0.6):
                situation = "verloren"
                // what people say mostly, but not always, matches what sales recorded
                reason = r.chance(0.85) ? c.lostReason! : r.pick(Vocabulary.lostReasons)
                when = c.firstContact + r.int(30...150)
            case .customer where c.lapsed && r.chance(c.delayed ? 0.85 : 0.45):
                situation = "Nullkunde"
                reason = c.delayed ? (r.chance(0.8) ? "Lieferzeit" : r.pick([("Service", 1), ("Wettbewerber", 1)]))
                    : r.pick([("kein Bedarf", 30), ("Wettbewerber", 25), ("Preis", 20), ("Ansprechpartner gewechselt", 15), ("Service", 10)])
                when = max(c.lastOrderBeforeLapse + 400, dayOf(2024, 10, 1)) + r.int(0...120)
            case .prospect where r.chance(0.08):
                situation = "Interessent"
                reason = r.pick([("kein Bedarf", 40), ("Wettbewerber", 30), ("Preis", 30)])
                when = c.firstContact + r.int(20...120)
            default:
                continue
            }
            guard when <= today else { continue }
            let templates = Vocabulary.quotes[reason]!
            let competitor = c.competitor ?? r.element(Vocabulary.competitors)
            let quote = r.element(templates)
                .replacingOccurrences(of: "{c}", with: competitor)
                .replacingOccurrences(of: "{n}", with: String(reason == "Preis" ? r.int(8...25) : r.int(3...8)))
            rows.append((when, c.id, "\(field(c.name)),\(iso(when)),\(situation),\(reason),\(field(quote))"))
        }
        rows.sort { ($0.day, $0.customer) < ($1.day, $1.customer) }
        for (i, row) in rows.enumerated() { lines.append("\(i + 1),\(row.customer),\(row.line)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A market statistic as a German spreadsheet exports it: `;` between fields, decimal
    /// commas, a byte-order mark and Windows line ends. How many companies of each industry
    /// and region could buy fasteners, their yearly demand and its growth.
    static func marketCSV() -> String {
        let companies: [String: Double] = [
            "Maschinenbau": 1_350, "Automobilzulieferer": 720, "Elektrotechnik": 980, "Bauwesen": 2_900, "Logistik": 760,
            "Lebensmittel": 640, "Medizintechnik": 430, "Energie": 1_250, "Handwerk": 4_600,
        ]
        let demand: [String: Double] = [  // thousand euros a company spends on fasteners a year
            "Maschinenbau": 38, "Automobilzulieferer": 61, "Elektrotechnik": 17, "Bauwesen": 22, "Logistik": 9,
            "Lebensmittel": 8, "Medizintechnik": 14, "Energie": 27, "Handwerk": 4,
        ]
        let growth: [String: Double] = [
            "Maschinenbau": 1.8, "Automobilzulieferer": -1.2, "Elektrotechnik": 2.6, "Bauwesen": 0.4, "Logistik": 2.1,
            "Lebensmittel": 1.1, "Medizintechnik": 3.4, "Energie": 9.7, "Handwerk": 0.6,
        ]
        let regionWeight = ["Süd": 1.3, "Südwest": 1.25, "West": 1.2, "Nord": 0.8, "Ost": 0.75, "Mitte": 0.7]
        var lines = ["Branche;Region;Unternehmen;Marktvolumen_Mio_EUR;Wachstum_Prozent"]
        for industry in Vocabulary.industries {
            for region in Vocabulary.regions {
                var r = Random(6, Vocabulary.industries.firstIndex(of: industry)! * 10 + lines.count)
                let n = Int((companies[industry]! * regionWeight[region.name]! / 6 * (0.85 + 0.3 * r.unit())).rounded())
                let volume = Double(n) * demand[industry]! * (0.9 + 0.2 * r.unit()) / 1000
                let g = growth[industry]! + 0.8 * r.normal()
                lines.append("\(industry);\(region.name);\(n);\(decimalComma(volume, 1));\(decimalComma(g, 1))")
            }
        }
        return "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
    }

    // MARK: formatting

    static func iso(_ days: Int) -> String { CivilDate.format(days) }
    static func money(_ x: Double) -> String { String(format: "%.2f", x) }
    static func decimalComma(_ x: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", x).replacingOccurrences(of: ".", with: ",")
    }
    /// A CSV field, quoted when it holds a comma, quote or line break.
    static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

func dayOf(_ y: Int, _ m: Int, _ d: Int) -> Int { CivilDate.days(year: y, month: m, day: d) }
let today = dayOf(2025, 6, 30)
let firstDay = dayOf(2019, 1, 1)
