import Contracts
import Foundation
import ServicePlatform
import Synchronization

/// A clock tests move by hand; starts at a fixed instant so dates in assertions are exact.
final class ReportTestClock: ServiceClock {
    static let start = Date(timeIntervalSince1970: 1_900_000_000)
    private let current = Mutex(ReportTestClock.start)

    func now() -> Date { current.withLock { $0 } }

    func advance(seconds: Double) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}
