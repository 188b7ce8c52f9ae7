import Synchronization

/// Resumes a continuation with the first of several racing answers; later answers are dropped.
final class FirstAnswer: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Bool, Never>?
        var answer: Bool?
        var cleanup: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    func install(_ continuation: CheckedContinuation<Bool, Never>) {
        let early: Bool? = state.withLock { state in
            if let answer = state.answer { return answer }
            state.continuation = continuation
            return nil
        }
        if let early { continuation.resume(returning: early) }
    }

    /// Runs `cleanup` once an answer is known (immediately if it already is).
    func onResolve(_ cleanup: @escaping @Sendable () -> Void) {
        let resolved = state.withLock { state in
            if state.answer != nil { return true }
            state.cleanup = cleanup
            return false
        }
        if resolved { cleanup() }
    }

    func resolve(_ value: Bool) {
        let (continuation, cleanup): (CheckedContinuation<Bool, Never>?, (@Sendable () -> Void)?) = state.withLock { state in
            guard state.answer == nil else { return (nil, nil) }
            state.answer = value
            defer {
                state.continuation = nil
                state.cleanup = nil
            }
            return (state.continuation, state.cleanup)
        }
        continuation?.resume(returning: value)
        cleanup?()
    }
}
