import Dispatch
import Synchronization

/// Runs async work to completion for a caller that must answer synchronously: librdkafka's
/// rebalance callback, which runs on the consumer's own polling thread. Never call it from Swift's
/// cooperative pool: the wait blocks the calling thread.
enum BlockingWait {
    struct TimedOut: Error, CustomStringConvertible {
        let timeout: Duration
        var description: String { "no answer within \(timeout)" }
    }

    private final class Outcome<Value: Sendable>: Sendable {
        let value = Mutex<Result<Value, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
    }

    /// The result of `work`, or ``TimedOut`` after `timeout` (the work is then cancelled).
    static func result<Value: Sendable>(
        timeout: Duration, _ work: @escaping @Sendable () async throws -> Value
    ) -> Result<Value, any Error> {
        let outcome = Outcome<Value>()
        let task = Task {
            let result: Result<Value, any Error>
            do {
                result = .success(try await work())
            } catch {
                result = .failure(error)
            }
            outcome.value.withLock { $0 = result }
            outcome.done.signal()
        }
        let milliseconds = Int(timeout.components.seconds * 1_000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        guard outcome.done.wait(timeout: .now() + .milliseconds(milliseconds)) == .success else {
            task.cancel()
            return .failure(TimedOut(timeout: timeout))
        }
        return outcome.value.withLock { $0 } ?? .failure(TimedOut(timeout: timeout))
    }
}
