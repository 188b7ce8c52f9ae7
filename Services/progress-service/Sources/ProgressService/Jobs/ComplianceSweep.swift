import Contracts
import Logging
import ServicePlatform

/// Marks enrollments overdue once their due date passes without completion, and publishes
/// `lms.progress.overdue` once per due date (through the ``ProgressEngine``).
///
/// Safe with several replicas: each batch locks its candidates with `FOR UPDATE SKIP LOCKED`,
/// and a candidate is one that is not flagged yet, so no enrollment is announced twice.
package struct ComplianceSweep: Sendable {
    static let batchSize = 5_000

    let database: ServiceDatabase
    let progress: ProgressRepository
    let engine: ProgressEngine
    let clock: any ServiceClock
    let logger: Logger

    /// Sweeps everything due now, a transaction per batch; returns how many enrollments fell overdue.
    @discardableResult
    package func run() async throws -> Int {
        var total = 0
        while true {
            let now = clock.now()
            let (candidates, overdue) = try await database.transaction { connection in
                let candidates = try await progress.overdueCandidates(now: now, limit: Self.batchSize, on: connection)
                var changes = ProgressEngine.Changes()
                changes.recompute = Set(candidates)
                let saved = try await engine.apply(changes, now: now, on: connection)
                return (candidates.count, saved.filter(\.overdue).count)
            }
            total += overdue
            if candidates < Self.batchSize { break }
        }
        if total > 0 { logger.info("Compliance sweep", metadata: ["overdue": "\(total)"]) }
        return total
    }
}
