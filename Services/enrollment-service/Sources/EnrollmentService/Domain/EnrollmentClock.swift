import Contracts
import Foundation

/// Where the service reads the current time. Everything time-based (enrollment and due dates,
/// expiry, recertification, key expiry, rate-limit windows) asks this clock, so tests can move
/// time forward instead of waiting.
package protocol EnrollmentClock: Sendable {
    /// The current instant, at millisecond precision (the precision of the wire and the database).
    func now() -> Date
}

/// The wall clock.
package struct SystemEnrollmentClock: EnrollmentClock {
    package init() {}

    package func now() -> Date {
        RFC3339.roundedToMilliseconds(Date())
    }
}
