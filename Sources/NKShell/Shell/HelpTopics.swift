import NKEngine
import NKLanguage

/// What `.help` knows: every statement, stage, aggregate, function and dot command, each with
/// a line saying what it does and an example.
enum HelpTopics {
    struct Topic {
        var name: String
        var kind: String
        var summary: String
        var example: String
        /// The option words it takes, when it has any.
        var options: [String] = []
    }

    static let statements: [Topic] = [
        Topic(name: "load", kind: "statement", summary: "read a CSV file (or every CSV file of a folder), an .xlsx workbook (load \"x.xlsx\" sheet \"Kunden\") or an attached database's table or query (load crm.customers) into a table", example: "load \"Datasets/demo/customers.csv\" as customers with delimiter ';', decimal ','",
              options: LoadOptions.names),
        Topic(name: "let", kind: "statement", summary: "name the result of a pipeline", example: "let lost = customers | filter status = \"lost\""),
        Topic(name: "save", kind: "statement", summary: "write a table to .csv, .tsv, .json, .md or .xlsx (atomically)", example: "save lost to \"lost.csv\""),
        Topic(name: "attach", kind: "statement", summary: "open a SQLite file, a PostgreSQL database, a DuckDB file (attach duckdb \"f.duckdb\") or a Spark session (attach spark \"local[2]\" … with files \"DIR\") under a name; its tables are then name.table, its queries name.(select …); pipelines over PostgreSQL, DuckDB and Spark tables run inside them",
              example: "attach \"crm.sqlite\" as crm"),
        Topic(name: "detach", kind: "statement", summary: "close an attached database", example: "detach crm"),
        Topic(name: "show", kind: "statement", summary: "the first rows of a table", example: "show customers 20"),
        Topic(name: "describe", kind: "statement", summary: "per column: type, nulls, distinct values, min, max, most frequent", example: "describe customers"),
        Topic(name: "drop", kind: "statement", summary: "forget tables", example: "drop lost"),
        Topic(name: "print", kind: "statement", summary: "print a text (narration in scripts)", example: "print \"Who no longer buys?\""),
        Topic(name: "set", kind: "statement", summary: "fix the date today() returns", example: "set today = 2025-06-30"),
        Topic(name: "explain", kind: "statement", summary: "the plan of a pipeline: each step with the columns it produces, before any data is read; explain sql [postgresql|duckdb|spark] … prints the SQL it becomes", example: "explain customers | filter status = \"lost\" | segment by industry"),
    ]

    /// The verbs of pipelines, from the registry: each verb's own help entry.
    static var stages: [Topic] {
        VerbRegistry.verbs.map {
            Topic(name: $0.words.name, kind: "stage", summary: $0.help.summary, example: $0.help.example,
                  options: $0.help.options.map { [$0] } ?? $0.completionWords)
        }
    }

    static let aggregates: [Topic] = [
        Topic(name: "count", kind: "aggregate", summary: "count() rows, count(x) values, count(distinct x) distinct values", example: "segment by industry agg count(), count(distinct region)"),
        Topic(name: "sum", kind: "aggregate", summary: "total of numbers", example: "segment by industry agg sum(revenue)"),
        Topic(name: "avg", kind: "aggregate", summary: "mean of numbers", example: "segment by industry agg avg(nps)"),
        Topic(name: "min", kind: "aggregate", summary: "smallest value", example: "segment by customer_id agg min(order_date)"),
        Topic(name: "max", kind: "aggregate", summary: "largest value", example: "segment by customer_id agg max(order_date) as last_order"),
        Topic(name: "median", kind: "aggregate", summary: "middle value", example: "segment by size agg median(employees)"),
        Topic(name: "quantile", kind: "aggregate", summary: "the q-quantile (linear interpolation)", example: "segment by size agg quantile(revenue, 0.9)"),
        Topic(name: "share", kind: "aggregate", summary: "share() percent of rows, share(x) percent of x's total", example: "segment by channel agg share(), share(revenue)"),
    ]

    static let functionExamples: [ScalarFunction: String] = [
        .today: "filter last_order < today() - 12 months", .year: "segment by year(order_date)",
        .daysBetween: "select days_between(acquired_on, today()) as days", .lower: "filter lower(company) contains \"gmbh\"",
        .coalesce: "select coalesce(region, \"unknown\")", .if: "select if(nps >= 50, \"promoter\", \"other\") as kind",
        .round: "select round(revenue / 1000, 1) as k", .contains: "filter contains(company, \"Bau\")",
        .substring: "select substring(zip, 1, 2) as area", .padLeft: "select pad_left(customer_id, 6, \"0\")",
        .splitPart: "select split_part(email, \"@\", 2) as domain", .concat: "select concat(first_name, \" \", last_name)",
        .replace: "derive phone = replace(phone, \" \", \"\")", .date: "derive day = date(day_number, \"yyyymmdd\")",
        .timestamp: "derive at = timestamp(text, \"dd.mm.yyyy\")", .left: "select left(zip, 2)", .right: "select right(iban, 4)",
    ]

    static let dotCommands: [Topic] = [
        Topic(name: ".help", kind: "dot command", summary: "this help, or help on one topic", example: ".help filter"),
        Topic(name: ".tables", kind: "dot command", summary: "the tables with their sizes", example: ".tables"),
        Topic(name: ".schema", kind: "dot command", summary: "columns and types of one or every table", example: ".schema customers"),
        Topic(name: ".describe", kind: "dot command", summary: "profile a table's columns", example: ".describe customers"),
        Topic(name: ".mode", kind: "dot command", summary: "output: table, ascii, line, csv, tsv, json, jsonl, markdown", example: ".mode csv"),
        Topic(name: ".report", kind: "dot command", summary: "write the session so far as one HTML page, with a chart of each result", example: ".report session.html"),
        Topic(name: ".timer", kind: "dot command", summary: "print real/user/sys time after each statement", example: ".timer on"),
        Topic(name: ".maxrows", kind: "dot command", summary: "rows shown per result", example: ".maxrows 100"),
        Topic(name: ".maxwidth", kind: "dot command", summary: "widest column shown, in characters", example: ".maxwidth 60"),
        Topic(name: ".read", kind: "dot command", summary: "run a script", example: ".read Scripts/report.nk"),
        Topic(name: ".output", kind: "dot command", summary: "send results to a file (no file: back to the screen)", example: ".output results.txt"),
        Topic(name: ".once", kind: "dot command", summary: "send the next result to a file", example: ".once segment.csv"),
        Topic(name: ".cd", kind: "dot command", summary: "change the working folder", example: ".cd Datasets/demo"),
        Topic(name: ".history", kind: "dot command", summary: "the last statements typed", example: ".history 20"),
        Topic(name: ".set", kind: "dot command", summary: "settings: today, lang, overwrite, memory_limit", example: ".set today 2025-06-30"),
        Topic(name: ".demo", kind: "dot command", summary: "load the demo data (a fastener supplier's customers, orders, contacts, interviews, market) and set today to its last day", example: ".demo"),
        Topic(name: ".step", kind: "dot command", summary: "step mode: scripts read with .read pause before each statement (Enter runs it, q stops)", example: ".step on"),
        Topic(name: ".bail", kind: "dot command", summary: "stop scripts at the first error (on) or go on (off)", example: ".bail off"),
        Topic(name: ".quit", kind: "dot command", summary: "leave nk (.exit CODE leaves with that status)", example: ".quit"),
        Topic(name: ".import", kind: "dot command", summary: "load a CSV file as a table (sqlite3's spelling of load)", example: ".import orders.csv orders"),
        Topic(name: ".dump", kind: "dot command", summary: "print a table as CSV", example: ".dump customers"),
        Topic(name: ".open", kind: "dot command", summary: "attach a SQLite file (sqlite3's spelling of attach)", example: ".open crm.sqlite"),
    ]

    static var all: [Topic] {
        statements + stages + aggregates + dotCommands + ScalarFunction.allCases.map { f in
            Topic(name: f.rawValue, kind: "function", summary: f.signature,
                  example: "… | " + (functionExamples[f] ?? "select \(f.rawValue)(…)"))
        }
    }

    /// The overview `.help` prints.
    static var overview: String {
        func list(_ topics: [Topic]) -> String { topics.map(\.name).joined(separator: ", ") }
        return """
            statements   \(list(statements))
            stages       \(list(stages))
            aggregates   \(list(aggregates))
            functions    \(ScalarFunction.allCases.map(\.rawValue).joined(separator: ", "))
            dot commands \(list(dotCommands)), .exit
            .help NAME shows one of them with an example, .help functions (stages, aggregates, …) lists a kind;
            docs/LANGUAGE.md is the whole reference.

            """
    }

    /// Help on one name, or every entry of a kind (`.help functions`); nil when there is none.
    static func topic(_ name: String) -> String? {
        let key = name.lowercased()
        let kinds = ["functions": "function", "stages": "stage", "verbs": "stage", "aggregates": "aggregate",
                     "statements": "statement", "commands": "dot command", "dot": "dot command"]
        if let kind = kinds[key] {
            return all.filter { $0.kind == kind }.map { "\($0.name) — \($0.summary)\n" }.joined()
        }
        // a segmentation by its own word too: `.help rfm` is `segment rfm`
        var matches = all.filter { $0.name == key || $0.name == "." + key }
        if matches.isEmpty { matches = all.filter { $0.kind == "stage" && $0.name.split(separator: " ").last.map(String.init) == key } }
        guard !matches.isEmpty else { return nil }
        return matches.map { topic in
            "\(topic.name) (\(topic.kind)): \(topic.summary)\n" + (topic.options.isEmpty ? "" : "  options: " + topic.options.joined(separator: ", ") + "\n")
                + "  e.g. \(topic.example)\n"
        }.joined()
    }
}
