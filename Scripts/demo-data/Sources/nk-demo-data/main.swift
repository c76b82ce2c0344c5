// Writes the demo data of Datasets/demo: a fictional mid-sized German supplier of industrial
// fasteners and tooling, its customers and prospects, and its orders. Deterministic: the same
// seed always gives the same files.
//
//     swift run nk-demo-data [OUTPUT_FOLDER]      (default Datasets/demo)
import Foundation
import NKEngine

struct Generator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    mutating func pick<T>(_ items: [(T, Double)]) -> T {
        let total = items.reduce(0) { $0 + $1.1 }
        var u = unit() * total
        for (item, weight) in items { u -= weight; if u < 0 { return item } }
        return items.last!.0
    }
    mutating func normal() -> Double {
        let u1 = max(unit(), 1e-12), u2 = unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }
}

func day(_ y: Int, _ m: Int, _ d: Int) -> Int { CivilDate.days(year: y, month: m, day: d) }
func iso(_ days: Int) -> String { CivilDate.format(days) }

func csv(_ field: String) -> String {
    field.contains(",") || field.contains("\"") ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
}

let output = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "Datasets/demo"
var g = Generator(seed: 20_250_630)
let industries: [(String, Double)] = [("Maschinenbau", 22), ("Automobilzulieferer", 14), ("Elektrotechnik", 12),
                                      ("Bauwesen", 10), ("Logistik", 9), ("Lebensmittel", 7), ("Medizintechnik", 8),
                                      ("Energie", 6), ("Handwerk", 12)]
let regions: [(String, Double)] = [("Nord", 12), ("Ost", 14), ("Süd", 24), ("West", 22), ("Südwest", 16), ("Mitte", 12)]
let channels: [(String, Double)] = [("Messe", 20), ("Website", 22), ("Empfehlung", 16), ("Kaltakquise", 18), ("Newsletter", 10), ("Partner", 14)]
let names = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
             "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann",
             "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Köhler", "König", "Fuchs", "Jäger", "Groß"]
let trades = ["Maschinenbau", "Präzisionsteile", "Antriebstechnik", "Metallbau", "Elektro", "Logistik", "Bau", "Werkzeuge"]
let legal = ["GmbH", "GmbH & Co. KG", "AG", "KG", "e.K."]
let lostReasons: [(String, Double)] = [("Preis", 30), ("Lieferzeit", 22), ("Wettbewerber", 18), ("kein Bedarf", 14), ("kein Vertrauen", 8), ("Qualität", 8)]
let competitors = ["Schraubenwerk Nord", "Befestigungstechnik Süd AG", "Würth-Konkurrent GmbH", "Industriebedarf Klein & Partner"]
let lines: [(String, Double)] = [("Schrauben & Muttern", 30), ("Dübel & Anker", 18), ("Werkzeuge", 20), ("Normteile", 17), ("Sonderanfertigung", 15)]
let today = day(2025, 6, 30)

var customerRows = ["customer_id,company,industry,region,size,employees,channel,acquired_on,acquisition_cost,complaints,nps,status,lost_reason,competitor"]
var orderRows = ["order_id,customer_id,order_date,revenue,direct_cost,service_cost,product_line"]
var orderId = 1
var orders: [(Int, Int, String)] = []
for id in 1...400 {
    let industry = g.pick(industries), region = g.pick(regions), channel = g.pick(channels)
    let employees = max(3, Int(exp(3.6 + 1.1 * g.normal())))
    let size = employees < 50 ? "S" : employees < 250 ? "M" : employees < 1000 ? "L" : "XL"
    let company = "\(names[g.int(0...names.count - 1)]) \(trades[g.int(0...trades.count - 1)]) \(legal[g.int(0...legal.count - 1)])"
    let acquired = today - g.int(30...3000)
    // trade-fair leads and cold calls close less often; referrals more
    var buy = 0.55 + (channel == "Empfehlung" ? 0.25 : 0) - (channel == "Kaltakquise" ? 0.25 : 0) - (channel == "Messe" && industry == "Bauwesen" ? 0.3 : 0)
    buy = min(0.95, max(0.05, buy))
    let u = g.unit()
    let status = u < buy ? "customer" : (u < buy + (1 - buy) * 0.55 ? "prospect" : "lost")
    let complaints = status == "lost" ? g.int(0...5) : (size == "S" ? g.int(0...3) : g.int(0...1))
    let nps: String = g.unit() < 0.35 ? "" : String(max(-100, min(100, Int((status == "customer" ? 30 : -15) + 30 * g.normal()))))
    let cost = String(format: "%.2f", 400 * exp(0.5 * g.normal()) * (channel == "Messe" ? 2.2 : 1))
    let reason = status == "customer" ? "" : (status == "prospect" && g.unit() < 0.3 ? "" : g.pick(lostReasons))
    let competitor = reason == "Wettbewerber" || (status == "lost" && g.unit() < 0.4) ? competitors[g.int(0...competitors.count - 1)] : ""
    customerRows.append([String(id), csv(company), industry, region, size, String(employees), channel, iso(acquired), cost,
                         String(complaints), nps, status, reason, csv(competitor)].joined(separator: ","))
    guard status != "prospect" else { continue }
    // orders from acquisition until today (customers) or until they left (lost)
    let end = status == "lost" ? acquired + Int(Double(today - acquired) * g.unit() * 0.8) : today - (g.unit() < 0.12 ? g.int(380...900) : 0)
    let perYear = Double(size == "S" ? 3 : size == "M" ? 6 : size == "L" ? 10 : 14) * (0.5 + g.unit())
    var d = acquired + g.int(0...40)
    while d <= end {
        let line = g.pick(lines)
        let revenue = max(20, 180 * exp(0.8 * g.normal()) * (size == "XL" ? 4 : size == "L" ? 2.5 : size == "M" ? 1.5 : 1))
        let direct = revenue * (0.45 + 0.15 * g.unit())
        let service = size == "S" && complaints >= 2 ? revenue * (0.3 + 0.4 * g.unit()) : revenue * 0.05 * g.unit()
        orderRows.append("\(orderId),\(id),\(iso(d)),\(String(format: "%.2f", revenue)),\(String(format: "%.2f", direct)),\(String(format: "%.2f", service)),\(line)")
        orderId += 1
        d += max(1, Int(365 / perYear * (0.3 + 1.4 * g.unit())))
    }
}
try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
try (customerRows.joined(separator: "\n") + "\n").write(toFile: output + "/customers.csv", atomically: true, encoding: .utf8)
try (orderRows.joined(separator: "\n") + "\n").write(toFile: output + "/orders.csv", atomically: true, encoding: .utf8)
print("wrote \(customerRows.count - 1) customers and \(orderRows.count - 1) orders to \(output)")
