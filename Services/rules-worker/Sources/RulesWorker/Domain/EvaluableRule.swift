import Segments

/// A rule with the criteria it evaluates (its own or its segment's), ready for the consumer.
package struct EvaluableRule: Sendable {
    package var rule: Rule
    package var criteria: CompiledCriteria
    /// An open job is recording the users who already match without enrolling them (no backfill):
    /// until it is done, a user who matched before an event is not enrolled by that event.
    package var baselinePending: Bool
    /// Whether `criteria` depend on the date (the sweep re-evaluates them daily).
    package var isTimeRelative: Bool { criteria.criteria.isTimeRelative }
}
