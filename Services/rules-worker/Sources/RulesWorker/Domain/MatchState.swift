/// What a rule last decided for one (user, course).
package enum MatchState: String, Hashable, Sendable {
    /// An enroll command went out.
    case enrolled
    /// The user matched when the rule took effect without backfill: left alone.
    case ignored
    /// The user does not match (any more).
    case unmatched
}
