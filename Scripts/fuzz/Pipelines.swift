// What the evaluator and sql targets share: a small table with nulls, duplicates and
// non-ASCII text, and well-formed pipelines over it chosen by the fuzzer's bytes.
import NKEngine

let people: Table = {
    let csv = """
        id,name,region,employees,revenue,since,active
        1,Anna Müller,Süd,12,1200.5,2021-03-15,true
        2,Bernd Schmidt,Nord,150,,2019-11-01,true
        3,Carla Weiß,,8,450,2024-02-29,false
        4,Dieter Groß,Süd,,9800,,true
        5,Eva Öztürk,West,45,0,2023-06-30,
        6,Frank Lange,Nord,1200,15000.25,2015-01-31,false
        7,Gül Yılmaz,Ost,3,-20,2025-06-30,true
        2,Bernd Schmidt,Nord,150,300,2019-12-01,true

        """
    return try! CSVReader.load(text: csv).table
}()

struct Generator {
    var c: Choices
    let columns = ["id", "name", "region", "employees", "revenue", "since", "active"]

    mutating func literal() -> String {
        c.pick(["0", "1", "-1", "2.5", "1e308", "9223372036854775807", "\"Süd\"", "\"\"", "\"x\"", "2024-02-29",
                "1900-01-01", "null", "true", "false", "today()", "0.0"])
    }

    mutating func expression(_ depth: Int = 0) -> String {
        if depth > 4 || c.exhausted { return c.next(2) == 0 ? c.pick(columns) : literal() }
        switch c.next(12) {
        case 0, 1: return c.pick(columns)
        case 2: return literal()
        case 3, 4:
            let op = c.pick(["+", "-", "*", "/", "%", "=", "!=", "<", "<=", ">", ">=", "and", "or"])
            return "(\(expression(depth + 1)) \(op) \(expression(depth + 1)))"
        case 5: return "not \(expression(depth + 1))"
        case 6:
            let f = c.pick(["lower", "upper", "length", "round", "abs", "year", "month", "trim", "integer", "float", "text"])
            return "\(f)(\(expression(depth + 1)))"
        case 7: return "coalesce(\(expression(depth + 1)), \(expression(depth + 1)))"
        case 8: return "if(\(expression(depth + 1)), \(expression(depth + 1)), \(expression(depth + 1)))"
        case 9: return "\(expression(depth + 1)) is \(c.next(2) == 0 ? "" : "not ")null"
        case 10: return "\(expression(depth + 1)) in (\(literal()), \(literal()))"
        default: return "\(expression(depth + 1)) between \(literal()) and \(literal())"
        }
    }

    mutating func aggregate() -> String {
        let col = c.pick(columns)
        return c.pick(["count()", "count(\(col))", "count(distinct \(col))", "sum(\(col))", "avg(\(col))", "min(\(col))",
                       "max(\(col))", "median(\(col))", "quantile(\(col), 0.9)", "share()", "round(avg(\(col)), 1)"])
    }

    mutating func stage() -> String {
        let col = c.pick(columns)
        switch c.next(21) {
        case 0, 1: return "filter \(expression())"
        case 2: return "select \(expression()) as x, \(col)"
        case 3: return "derive x = \(expression())"
        case 4: return "sort \(col)\(c.next(2) == 0 ? " desc" : "")"
        case 5: return "top \(c.next(5)) by \(col)"
        case 6: return "head \(c.next(10))"
        case 7: return "segment by \(col)"
        case 8: return "segment by \(col) agg \(aggregate()), \(aggregate())"
        case 9: return "count"
        case 10: return "distinct \(col)"
        case 11: return "join t on \(col)\(c.next(2) == 0 ? " left" : "")"
        case 12: return "compare where \(expression())"
        case 13: return "why-not \(expression()) by region, active, employees\(c.next(2) == 0 ? " depth 3" : "")"
        case 14: return "segment pareto on \(col)"
        case 15: return "segment lifecycle by \(col) on since"
        case 16: return "segment rfm by \(col) on since value revenue"
        case 17: return "lookalike t like \(expression()) on region, employees"
        case 18: return "segment cohort by \(col) on since per \(c.pick(["month", "quarter", "year"]))"
        case 19: return "append \(c.next(2) == 0 ? "t" : "(t | select \(col), \(c.pick(columns)))")"
        default: return "segment value revenue \(col)"
        }
    }

    mutating func script() -> String {
        var lines: [String] = []
        while !c.exhausted && lines.count < 4 {
            var pipeline = c.next(3) == 0 ? "let u = t" : "t"
            for _ in 0..<c.next(4) + 1 { pipeline += " | " + stage() }
            lines.append(pipeline)
        }
        return lines.joined(separator: "\n")
    }
}
