import NKEngine

/// What `.help` knows: every statement, stage, aggregate, function and dot command, each with
/// a line saying what it does and an example.
enum HelpTopics {
    struct Topic {
        var name: String
        var kind: String
        var summary: String
        var example: String
    }

    static let statements: [Topic] = [
        Topic(name: "load", kind: "statement", summary: "read a CSV file (or every CSV file of a folder) into a table", example: "load \"Datasets/demo/customers.csv\" as customers with delimiter ';', decimal ','"),
        Topic(name: "let", kind: "statement", summary: "name the result of a pipeline", example: "let lost = customers | filter status = \"lost\""),
        Topic(name: "save", kind: "statement", summary: "write a table to .csv, .tsv, .json or .md (atomically)", example: "save lost to \"lost.csv\""),
        Topic(name: "show", kind: "statement", summary: "the first rows of a table", example: "show customers 20"),
        Topic(name: "describe", kind: "statement", summary: "per column: type, nulls, distinct values, min, max, most frequent", example: "describe customers"),
        Topic(name: "drop", kind: "statement", summary: "forget tables", example: "drop lost"),
        Topic(name: "print", kind: "statement", summary: "print a text (narration in scripts)", example: "print \"Who no longer buys?\""),
        Topic(name: "set", kind: "statement", summary: "fix the date today() returns", example: "set today = 2025-06-30"),
    ]

    static let stages: [Topic] = [
        Topic(name: "filter", kind: "stage", summary: "keep the rows where a condition is true", example: "customers | filter region = \"Süd\" and employees > 50"),
        Topic(name: "select", kind: "stage", summary: "choose and compute columns", example: "customers | select company, employees * 2 as double"),
        Topic(name: "derive", kind: "stage", summary: "add computed columns", example: "orders | derive margin = revenue - direct_cost"),
        Topic(name: "sort", kind: "stage", summary: "order rows (asc by default, nulls last)", example: "customers | sort region, employees desc"),
        Topic(name: "top", kind: "stage", summary: "the N largest rows by an expression (asc for the smallest)", example: "customers | top 10 by acquisition_cost"),
        Topic(name: "head", kind: "stage", summary: "the first N rows", example: "customers | head 5"),
        Topic(name: "segment", kind: "stage", summary: "group rows: count and share per group, or aggregates with agg", example: "customers | segment by industry, size agg count(), avg(nps)"),
        Topic(name: "count", kind: "stage", summary: "the number of rows", example: "customers | filter status = \"lost\" | count"),
        Topic(name: "join", kind: "stage", summary: "add columns of rows of another table with equal keys (left keeps all)", example: "orders | join customers on customer_id left"),
        Topic(name: "distinct", kind: "stage", summary: "the distinct rows of some columns", example: "orders | distinct customer_id"),
        Topic(name: "compare", kind: "stage", summary: "two groups side by side over every column: shares, means, tests, effect sizes (all: every value)", example: "customers | compare where status = \"customer\" on industry, employees"),
        Topic(name: "segment lifecycle", kind: "stage", summary: "each customer's class as of a day: lapsed, new, reactivated, active (prospect with using); churn and reactivation rates", example: "orders | segment lifecycle by customer_id on order_date lapsed after 12 months new within 3 months"),
        Topic(name: "segment pareto", kind: "stage", summary: "ABC classes by a measure: A reaches 80 % of the total, B 95 %", example: "orders | segment pareto on revenue by customer_id a 80% b 95%"),
        Topic(name: "segment rfm", kind: "stage", summary: "recency, frequency, monetary scored 1-5 by quintiles, and the classic segment names", example: "orders | segment rfm by customer_id on order_date value revenue"),
        Topic(name: "segment value", kind: "stage", summary: "contribution margin per customer: DB I, DB II, DB III and negative", example: "customers | segment value revenue revenue cost direct_cost service service_cost"),
        Topic(name: "lookalike", kind: "stage", summary: "score rows by resemblance to a model group (penalised logistic regression), with the values that make them alike", example: "prospects | lookalike customers like class = \"A\" on industry, size, region"),
        Topic(name: "segment clv", kind: "stage", summary: "lifetime value: BG/NBD (P(alive), expected purchases) and Gamma-Gamma (spend) fitted by maximum likelihood", example: "orders | segment clv by customer_id on order_date value revenue horizon 12 months"),
        Topic(name: "segment cohort", kind: "stage", summary: "retention: per cohort of first purchase, the share buying in each later month, quarter or year, with a heat strip", example: "orders | segment cohort by customer_id on order_date per quarter"),
        Topic(name: "segment persona", kind: "stage", summary: "negative buyer personas: a score of six warning signals, negative at 2, and why-not on the negative ones", example: "customers | segment value | segment persona threshold 2"),
        Topic(name: "why-not", kind: "stage", summary: "what the target group shares: patterns with risk ratios, intervals, q-values, confounding check (by, depth, min-support, min-ratio, max-q, reasons, all)", example: "customers | why-not status != \"customer\" by channel, industry reasons lost_reason"),
    ]

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
    ]

    static let dotCommands: [Topic] = [
        Topic(name: ".help", kind: "dot command", summary: "this help, or help on one topic", example: ".help filter"),
        Topic(name: ".tables", kind: "dot command", summary: "the tables with their sizes", example: ".tables"),
        Topic(name: ".schema", kind: "dot command", summary: "columns and types of one or every table", example: ".schema customers"),
        Topic(name: ".describe", kind: "dot command", summary: "profile a table's columns", example: ".describe customers"),
        Topic(name: ".mode", kind: "dot command", summary: "output: table, ascii, line, csv, tsv, json, jsonl, markdown", example: ".mode csv"),
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
            stages       \(list(stages)); why-not follows
            aggregates   \(list(aggregates))
            functions    \(ScalarFunction.allCases.map(\.rawValue).joined(separator: ", "))
            dot commands \(list(dotCommands)), .exit
            .help NAME shows one of them with an example; docs/LANGUAGE.md is the whole reference.

            """
    }

    /// Help on one name; nil when there is no such topic.
    static func topic(_ name: String) -> String? {
        let key = name.lowercased()
        let matches = all.filter { $0.name == key || $0.name == "." + key }
        guard !matches.isEmpty else { return nil }
        return matches.map { "\($0.name) (\($0.kind)): \($0.summary)\n  e.g. \($0.example)\n" }.joined()
    }
}
