import NKEngine

/// `append table` or `append (pipeline)`: the input's rows, then the other table's, with the
/// columns matched by name (an integer and a float column combine as floats).
public struct AppendVerb: Verb {
    public var other: Pipeline

    public static let words = VerbWords("append")
    public static let help = VerbHelp("the rows of another table after the input's, columns matched by name",
                                      example: "customers | filter status = \"lost\" | append (customers | filter status = \"prospect\") | segment by status")
    public static let takesTable = true

    public static func parse(_ parser: inout Parser) throws -> AppendVerb {
        AppendVerb(other: try parser.tableOrPipeline("the table to append (a name, or a pipeline in parentheses)", closing: "the pipeline to append"))
    }

    public func bind(_ input: any PlanNode, _ binder: StageBinder) throws -> any PlanNode {
        let more = try binder.bind(other)
        let otherText = binder.text(other.span)
        let hint = "select the same columns on both sides first"
        if let missing = input.schema.names.first(where: { more.schema.index(of: $0) == nil }) {
            throw binder.error("cannot append: \(otherText) has no column `\(missing)`", at: other.span, hint: hint, kind: .unknownColumn)
        }
        if let extra = more.schema.names.first(where: { input.schema.index(of: $0) == nil }) {
            throw binder.error("cannot append: \(otherText) has the column `\(extra)`, which \(binder.described) has not", at: other.span,
                               hint: hint, kind: .invalid)
        }
        let schema = try binder.engine { try Schema.appending([input.schema, more.schema]) }
        return AppendNode(inputs: [input, more], schema: schema, label: binder.text(binder.stage.span), span: binder.stage.keyword)
    }

    public func describe(input: String, keyword: String, _ source: Source) -> String {
        "\(input) with \(source.text(of: other.span)) appended"
    }
}

/// The rows of its inputs one after the other.
public struct AppendNode: PlanNode {
    public var inputs: [any PlanNode]
    public var schema: Schema
    public var label: String
    public var span: SourceSpan

    public func run(_ inputs: [Table], _ runner: PlanRunner) throws -> any QueryResult {
        TableResult(try Table.append(inputs))
    }
}
