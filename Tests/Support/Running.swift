import Logging
import ServiceLifecycle

/// Runs `services` in a ServiceGroup while `body` runs, then shuts them down gracefully, also when
/// `body` throws, so a failing test never leaves a group (and the test process) hanging.
public func withRunning<R: Sendable>(
    _ services: [any Service], logger: Logger, _ body: @Sendable () async throws -> R
) async throws -> R {
    let group = ServiceGroup(configuration: .init(services: services, logger: logger))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        do {
            let result = try await body()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        } catch {
            await group.triggerGracefulShutdown()
            try? await tasks.waitForAll()
            throw error
        }
    }
}

/// Polls `condition` until it holds or the timeout passes; returns its last answer.
public func eventually(timeout: Duration = .seconds(30), _ condition: @Sendable () async throws -> Bool) async throws -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while clock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(100))
    }
    return try await condition()
}
