import Contracts
import Foundation
import ServicePlatform
import Synchronization

/// A clock tests move by hand; starts at a fixed instant so dates in assertions are exact.
public final class TestClock: ServiceClock {
    private let current: Mutex<Date>

    public init(_ start: Date = Date(timeIntervalSince1970: 1_900_000_000)) {
        current = Mutex(RFC3339.roundedToMilliseconds(start))
    }

    public func now() -> Date {
        current.withLock { $0 }
    }

    public func advance(days: Double) {
        current.withLock { $0 = $0.addingTimeInterval(days * 86_400) }
    }

    public func advance(seconds: Double) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}
