import Contracts

/// Validated criteria ready to evaluate: against one user in memory (``matches(_:today:)``,
/// ``evaluate(_:today:)`` with an explanation per condition), or against many in PostgreSQL
/// (``sql(today:parameterOffset:)``). Both read each condition through the same ``LeafTest``.
///
/// Semantics: a missing value satisfies no condition except `notExists` and the negated operators
/// (`neq`, `notIn`), which are exact negations of `eq` and `in`. A value of another type than the
/// condition's operand (a boolean against a number) is as good as missing. `in []` never holds.
/// Relative operators count whole UTC calendar days back from `today`.
public struct CompiledCriteria: Hashable, Sendable {
    indirect enum Node: Hashable, Sendable {
        case all([Node])
        case any([Node])
        case not(Node)
        case leaf(Leaf)
    }

    struct Leaf: Hashable, Sendable {
        var condition: Condition
        var test: LeafTest

        var path: String { condition.field.path }
        var negated: Bool { condition.op.isNegated }
    }

    public let criteria: Criteria
    let root: Node

    public init(_ criteria: Criteria) {
        self.criteria = criteria
        self.root = Self.compile(criteria)
    }

    private static func compile(_ criteria: Criteria) -> Node {
        switch criteria {
        case .all(let children): .all(children.map(compile))
        case .any(let children): .any(children.map(compile))
        case .not(let child): .not(compile(child))
        case .condition(let condition): .leaf(Leaf(condition: condition, test: LeafTest(condition)))
        }
    }

    /// Whether the user matches on `today` (UTC).
    public func matches(_ values: SubjectValues, today: CalendarDate) -> Bool {
        Self.holds(root, values, today.daysSinceEpoch)
    }

    /// The result plus, for each leaf in document order, what it expected, what it saw and its result.
    public func evaluate(_ values: SubjectValues, today: CalendarDate) -> CriteriaEvaluation {
        var conditions: [ConditionExplanation] = []
        let matched = Self.explain(root, values, today.daysSinceEpoch, into: &conditions)
        return CriteriaEvaluation(matched: matched, conditions: conditions)
    }

    private static func holds(_ node: Node, _ values: SubjectValues, _ today: Int64) -> Bool {
        switch node {
        case .all(let children): children.allSatisfy { holds($0, values, today) }
        case .any(let children): children.contains { holds($0, values, today) }
        case .not(let child): !holds(child, values, today)
        case .leaf(let leaf): leaf.holds(values, today)
        }
    }

    /// Evaluates every leaf (no short-circuit) so the explanation lists them all.
    private static func explain(_ node: Node, _ values: SubjectValues, _ today: Int64, into conditions: inout [ConditionExplanation]) -> Bool {
        switch node {
        case .all(let children):
            var result = true
            for child in children where !explain(child, values, today, into: &conditions) { result = false }
            return result
        case .any(let children):
            var result = false
            for child in children where explain(child, values, today, into: &conditions) { result = true }
            return result
        case .not(let child):
            return !explain(child, values, today, into: &conditions)
        case .leaf(let leaf):
            let result = leaf.holds(values, today)
            conditions.append(
                ConditionExplanation(
                    field: leaf.path, op: leaf.condition.op.rawValue, expected: leaf.condition.value,
                    actual: values.actual(leaf.condition.field), result: result))
            return result
        }
    }
}

extension CompiledCriteria.Leaf {
    func holds(_ values: SubjectValues, _ today: Int64) -> Bool {
        let positive = test.holds(at: path, in: values, today: today)
        return negated ? !positive : positive
    }
}
