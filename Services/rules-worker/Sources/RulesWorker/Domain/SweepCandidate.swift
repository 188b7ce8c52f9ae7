import Segments

/// A rule as the sweep sees it.
package struct SweepCandidate: Sendable {
    package var rule: Rule
    /// The criteria the rule evaluates (its own or its segment's).
    package var criteria: Criteria?
    /// Whether the rule was in effect when last recorded (activation, pause, sweep).
    package var inEffect: Bool
    /// The UTC day (days since 1970-01-01) of the last re-evaluation by the sweep.
    package var sweptDay: Int64?
    package var hasOpenJob: Bool
}
