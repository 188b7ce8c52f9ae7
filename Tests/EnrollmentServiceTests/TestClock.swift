import Contracts
import EnrollmentService
import Foundation
import Synchronization

/// A clock tests move by hand; starts at a fixed instant so dates in assertions are exact.
final class TestClock: EnrollmentClock {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_900_000_000)) {
        current = Mutex(RFC3339.roundedToMilliseconds(start))
    }

    func now() -> Date {
        current.withLock { $0 }
    }

    func advance(days: Double) {
        current.withLock { $0 = $0.addingTimeInterval(days * 86_400) }
    }

    func advance(seconds: Double) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}
