import Segments

/// A rule with the criteria it evaluates (its own or its segment's), ready for the consumer.
struct EvaluableRule: Sendable {
    var rule: Rule
    var criteria: CompiledCriteria
    /// An open job is recording the users who already match without enrolling them (no backfill):
    /// until it is done, a user who matched before an event is not enrolled by that event.
    var baselinePending: Bool
    /// Whether `criteria` depend on the date (the sweep re-evaluates them daily).
    var isTimeRelative: Bool { criteria.criteria.isTimeRelative }
}
