import ServicePlatform

/// Where the service reads the current time. Everything time-based (enrollment and due dates,
/// expiry, recertification, key expiry, rate-limit windows) asks this clock, so tests can move
/// time forward instead of waiting.
package typealias EnrollmentClock = ServiceClock

/// The wall clock.
package typealias SystemEnrollmentClock = SystemClock
