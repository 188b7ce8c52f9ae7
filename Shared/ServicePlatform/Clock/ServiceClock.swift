import Contracts
import Foundation

/// Where a service reads the current time. Everything time-based (due dates, sweeps, report
/// `asOf`) asks this clock, so tests can move time forward instead of waiting.
public protocol ServiceClock: Sendable {
    /// The current instant, at millisecond precision (the precision of the wire and the database).
    func now() -> Date
}

/// The wall clock.
public struct SystemClock: ServiceClock {
    public init() {}

    public func now() -> Date {
        RFC3339.roundedToMilliseconds(Date())
    }
}
