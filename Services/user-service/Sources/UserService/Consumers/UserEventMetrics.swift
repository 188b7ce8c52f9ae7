import Contracts
import Metrics

/// Counters of the platform user-event consumer: what each applied event did, and the stale ones
/// (`sourceVersion` not above the applied one) that were ignored.
package struct UserEventMetrics: Sendable {
    package func record(_ outcome: UserChangeOutcome, type: EventType) {
        if outcome == .stale {
            Counter(label: "user_events_stale_total", dimensions: [("type", type.rawValue)]).increment()
        }
        Counter(label: "user_events_applied_total", dimensions: [("type", type.rawValue), ("outcome", outcome.rawValue)]).increment()
    }
}
