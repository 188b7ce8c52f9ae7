import Segments

/// A rule as the sweep sees it.
struct SweepCandidate: Sendable {
    var rule: Rule
    /// The criteria the rule evaluates (its own or its segment's).
    var criteria: Criteria?
    /// Whether the rule was in effect when last recorded (activation, pause, sweep).
    var inEffect: Bool
    /// The UTC day (days since 1970-01-01) of the last re-evaluation by the sweep.
    var sweptDay: Int64?
    var hasOpenJob: Bool
}
