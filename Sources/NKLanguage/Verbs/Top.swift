import NKEngine

/// `top N [by key [asc|desc], …]`: the N largest rows (descending unless told); without keys
/// the first N.
public struct TopVerb: Verb {
    public var count: Int
    public var items: [SortItem]

    public static let words = VerbWords("top")
    public static let columnUse = ColumnUse.named
    public static let help = VerbHelp("the N largest rows by an expression (asc for the smallest)", example: "customers | top 10 by acquisition_cost")
    public static let completionWords = ["by", "asc", "desc"]

    public static func parse(_ parser: inout Parser) throws -> TopVerb {
        let n = try parser.count("how many rows")
        var items: [SortItem] = []
        if parser.accept("by") != nil { items = try parser.sortItems() }
        return TopVerb(count: n, items: items)
    }

    public func bind(_ input: any PlanNode, _ binder: StageBinder) throws -> any PlanNode {
        let label = binder.text(binder.stage.span)
        if items.isEmpty { return HeadNode(input: input, count: count, label: label, span: binder.stage.keyword) }
        let keys = try binder.sortKeys(items, over: input.schema, descending: true)
        return SortNode(input: input, keys: keys, limit: count, label: label, span: binder.stage.keyword)
    }

    public func describe(input: String, keyword: String, _ source: Source) -> String { input }
}
