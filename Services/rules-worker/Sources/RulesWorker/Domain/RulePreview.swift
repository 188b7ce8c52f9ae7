/// `POST /v1/rules/{id}:preview`: what activating the rule (or the proposed definition) would do
/// now, against what the rule has already done. Nothing is written or emitted.
package struct RulePreview: Encodable, Sendable {
    /// One kind of change: (user, course) pairs, distinct users and the first pairs.
    package struct Bucket: Encodable, Sendable {
        package var count = 0
        package var users = 0
        package var sample: [Pair] = []
    }

    package struct Pair: Codable, Sendable, Hashable {
        package var userId: String
        package var courseId: String
    }

    package var ruleId: String
    package var version: Int64
    /// Active users evaluated.
    package var evaluated: Int
    /// Active users the criteria match.
    package var matching: Int
    /// Whether the previewed rule would be in effect now.
    package var inEffect: Bool
    package var wouldEnroll = Bucket()
    package var wouldWithdraw = Bucket()
    package var wouldSuspend = Bucket()
    /// Matches that end under `onUnmatch: keep` (no command).
    package var wouldKeep = Bucket()
    /// Matching users recorded without enrolling (no backfill).
    package var wouldIgnore = Bucket()
    /// Matches forgotten without a command (manual withdrawals, ignored users who stopped matching).
    package var wouldRelease = Bucket()

    /// Applies `change` to the bucket an `action` of a rule with `policy` falls in.
    package mutating func update(action: MatchAction, policy: OnUnmatch, _ change: (inout Bucket) -> Void) {
        switch (action, policy) {
        case (.enroll, _): change(&wouldEnroll)
        case (.ignore, _): change(&wouldIgnore)
        case (.release, _): change(&wouldRelease)
        case (.unmatch, .keep): change(&wouldKeep)
        case (.unmatch, .suspend): change(&wouldSuspend)
        case (.unmatch, _): change(&wouldWithdraw)
        }
    }
}
