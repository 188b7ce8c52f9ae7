import Contracts
import Foundation
import Metrics
import PostgresNIO
import ServicePlatform

/// Records learning statements, from the topic or `POST /v1/activity`: stores the new ones once,
/// attributes them to the learner's enrollment in the course and applies them in one
/// ``ProgressEngine`` pass. Statements with no enrollment to count for are kept unattributed
/// (and counted) until the enrollment appears.
package struct ActivityRecorder: Sendable {
    let database: ServiceDatabase
    let statements: StatementRepository
    let engine: ProgressEngine
    let clock: any ServiceClock
    let unattributedCounter = Counter(label: "lms_progress_unattributed_statements_total")
    let duplicateCounter = Counter(label: "lms_progress_duplicate_statements_total")

    /// What one call did.
    package struct Outcome: Sendable, Equatable, Encodable {
        /// Statements in the call.
        package var received: Int
        /// Stored for the first time.
        package var recorded: Int
        /// Seen before (same `statementId`), ignored.
        package var duplicates: Int
        /// Recorded but with no enrollment to count for yet.
        package var unattributed: Int
    }

    /// Records `activities` in a transaction of their own (`POST /v1/activity`).
    package func record(_ activities: [LearningActivity], traceparent: String?) async throws -> Outcome {
        try await database.transaction { connection in
            try await record(activities, now: clock.now(), traceparent: traceparent, on: connection)
        }
    }

    /// Records `activities` in the caller's transaction (a consumer batch).
    package func record(
        _ activities: [LearningActivity],
        now: Date,
        traceparent: String? = nil,
        on connection: PostgresConnection
    ) async throws -> Outcome {
        let stored = try await statements.insert(activities, receivedAt: now, on: connection)
        var changes = ProgressEngine.Changes()
        var unattributed = 0
        for statement in stored {
            if let enrollment = statement.enrollmentId {
                changes.statements[enrollment, default: []].append(statement.activity)
            } else {
                unattributed += 1
            }
        }
        try await engine.apply(changes, now: now, traceparent: traceparent, on: connection)
        let outcome = Outcome(
            received: activities.count,
            recorded: stored.count,
            duplicates: activities.count - stored.count,
            unattributed: unattributed
        )
        if outcome.unattributed > 0 { unattributedCounter.increment(by: outcome.unattributed) }
        if outcome.duplicates > 0 { duplicateCounter.increment(by: outcome.duplicates) }
        return outcome
    }
}
