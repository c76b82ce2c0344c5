import Foundation

/// An expression whose names are resolved to column positions and whose types are checked:
/// what the ``Evaluator`` runs. Built by ``Table/bind(_:context:)``.
public final class BoundExpr: @unchecked Sendable {
    indirect enum Node {
        case column(Int)
        case literal(Value)
        /// Implicit or explicit conversion to `type`.
        case cast(BoundExpr)
        case negate(BoundExpr)
        case not(BoundExpr)
        case arithmetic(BinaryOperator, BoundExpr, BoundExpr)
        /// Operands already have one common type.
        case compare(BinaryOperator, BoundExpr, BoundExpr)
        case and(BoundExpr, BoundExpr)
        case or(BoundExpr, BoundExpr)
        case isNull(BoundExpr)
        case inList(BoundExpr, [BoundExpr])
        case shift(BoundExpr, Interval)
        case function(ScalarFunction, [BoundExpr])
        case conditional([(BoundExpr, BoundExpr)], BoundExpr?)
    }

    let node: Node
    /// The result type.
    public let type: DataType
    /// Per-dictionary results of string operations, computed once and reused across chunks.
    let memo = DictionaryMemo()
    /// Where the expression was written (see ``Expr/located(_:sourceRef:)``).
    var sourceRef: Int?

    init(_ node: Node, _ type: DataType) {
        self.node = node
        self.type = type
    }

    /// Whether this is the `null` literal (whose type adapts to its neighbours), or what nk
    /// folds to it: arithmetic with a `null` operand, a `null` moved by an interval.
    public var isNullLiteral: Bool { if case .literal(.null) = node { return true } else { return false } }

    /// The constant value when the expression is a literal.
    var literalValue: Value? { if case .literal(let v) = node { return v } else { return nil } }
}

/// Caches a result computed from a dictionary (keyed by the dictionary's identity), so string
/// functions run once per distinct value even though evaluation is per chunk.
final class DictionaryMemo: @unchecked Sendable {
    private let lock = NSLock()
    private var key: ObjectIdentifier?
    private var value: Any?
    private var keepAlive: StringDictionary?

    func value<T>(for dictionary: StringDictionary, _ compute: () -> T) -> T {
        let id = ObjectIdentifier(dictionary)
        lock.lock()
        if key == id, let v = value as? T { lock.unlock(); return v }
        lock.unlock()
        let v = compute()
        lock.lock()
        key = id
        value = v
        keepAlive = dictionary
        lock.unlock()
        return v
    }
}
