/// A stored or to-be-stored rule decision for one (rule, user, course).
struct MatchRecord: Hashable, Sendable {
    var key: MatchKey
    var state: MatchState
    /// The rule version that made the decision.
    var ruleVersion: Int64
    /// How many commands this (rule, user, course) has caused; part of their idempotency keys.
    var seq: Int
}
