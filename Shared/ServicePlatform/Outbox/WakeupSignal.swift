import Synchronization

/// Wakes every waiting task, or makes the next wait return at once if nobody was waiting.
public final class WakeupSignal: Sendable {
    private struct State {
        var pending = false
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextId = 0
    }

    private let state = Mutex(State())

    public init() {}

    public func signal() {
        let waiters = state.withLock { state in
            guard !state.waiters.isEmpty else {
                state.pending = true
                return [CheckedContinuation<Void, Never>]()
            }
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns when signalled (true), after `timeout` or on cancellation (false).
    @discardableResult
    public func wait(timeout: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            group.addTask { await self.waitForSignal() }
            let signalled = await group.next() ?? false
            group.cancelAll()
            return signalled
        }
    }

    /// True when signalled, false when cancelled first.
    private func waitForSignal() async -> Bool {
        let id = state.withLock { state in
            state.nextId += 1
            return state.nextId
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state in
                    // Checked under the lock: a cancellation after this finds the waiter registered.
                    // A cancelled wait leaves a pending signal for the next one.
                    if Task.isCancelled { return true }
                    if state.pending {
                        state.pending = false
                        return true
                    }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
        return !Task.isCancelled
    }
}
