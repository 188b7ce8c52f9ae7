import Foundation

/// Why a rule enrolled (or stopped matching) a user: the rule version and each evaluated condition
/// with the attribute value seen.
public struct RuleExplanation: Codable, Sendable, Equatable, Hashable {
    @LowercaseUUID public var ruleId: UUID
    public var ruleVersion: Int64
    public var ruleName: String
    public var matched: Bool
    public var conditions: [ConditionExplanation]

    public init(ruleId: UUID, ruleVersion: Int64, ruleName: String, matched: Bool, conditions: [ConditionExplanation]) {
        self.ruleId = ruleId
        self.ruleVersion = ruleVersion
        self.ruleName = ruleName
        self.matched = matched
        self.conditions = conditions
    }

    /// The contract rules for an explanation nested at `field`.
    func validate(at field: String) throws(PayloadValidationError) {
        try FieldCheck.version(ruleVersion, "\(field).ruleVersion")
        try FieldCheck.text(ruleName, "\(field).ruleName", minLength: 1)
        for (position, condition) in conditions.enumerated() {
            let prefix = "\(field).conditions[\(position)]"
            try FieldCheck.text(condition.field, "\(prefix).field", minLength: 1)
            try FieldCheck.text(condition.op, "\(prefix).op", maxLength: 64, minLength: 1)
        }
    }
}

/// One evaluated leaf condition `{field, op, value}` of a segment.
public struct ConditionExplanation: Codable, Sendable, Equatable, Hashable {
    /// Profile field or `attributes.<name>`.
    public var field: String
    /// Segment operator (`eq`, `in`, `withinLastDays`, ...).
    public var op: String
    /// The condition's value; `nil` for operators without one (`exists`).
    public var expected: JSONValue?
    /// The user's value at evaluation; `nil` when the field was absent or null.
    public var actual: JSONValue?
    public var result: Bool

    public init(field: String, op: String, expected: JSONValue? = nil, actual: JSONValue? = nil, result: Bool) {
        self.field = field
        self.op = op
        self.expected = expected
        self.actual = actual
        self.result = result
    }
}
