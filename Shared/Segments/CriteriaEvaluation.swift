import Contracts

/// The outcome of evaluating criteria for one user.
public struct CriteriaEvaluation: Hashable, Sendable {
    public var matched: Bool
    /// One entry per leaf condition, in document order.
    public var conditions: [ConditionExplanation]

    public init(matched: Bool, conditions: [ConditionExplanation]) {
        self.matched = matched
        self.conditions = conditions
    }
}
