/// A stored or to-be-stored rule decision for one (rule, user, course).
package struct MatchRecord: Hashable, Sendable {
    package var key: MatchKey
    package var state: MatchState
    /// The rule version that made the decision.
    package var ruleVersion: Int64
    /// How many commands this (rule, user, course) has caused; part of their idempotency keys.
    package var seq: Int

    package init(key: MatchKey, state: MatchState, ruleVersion: Int64, seq: Int) {
        self.key = key
        self.state = state
        self.ruleVersion = ruleVersion
        self.seq = seq
    }
}
