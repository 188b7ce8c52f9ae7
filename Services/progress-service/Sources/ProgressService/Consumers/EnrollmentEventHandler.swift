import Contracts
import Foundation
import PostgresNIO
import ServicePlatform

/// Applies `lms.enrollments.v1`: a new enrollment gets a progress record and the statements that
/// arrived before it (unattributed until now); a changed status or due date re-evaluates the record
/// (an extended due date lifts the overdue flag, a withdrawn enrollment cannot fall overdue).
package struct EnrollmentEventHandler: EventHandler {
    let progress: ProgressRepository
    let statements: StatementRepository
    let engine: ProgressEngine
    let clock: any ServiceClock

    package func handle(_ events: [ConsumedEvent], on connection: PostgresConnection) async throws -> [EventRejection] {
        let batch = events.decode(EnrollmentSnapshot.self)
        let newest = batch.payloads.newestByVersion(key: \.enrollmentId, version: \.version)
        guard !newest.isEmpty else { return batch.rejections }
        let now = clock.now()
        let snapshots = newest.sorted { $0.enrollmentId < $1.enrollmentId }
        let inserted = try await progress.insertNew(snapshots.map { ProgressRecord($0, now: now) }, on: connection)

        // Statements waiting for these enrollments: the latest open cycle per learner and course.
        var latest: [String: EnrollmentSnapshot] = [:]
        for snapshot in snapshots where snapshot.role == .learner && [.active, .suspended, .completed].contains(snapshot.status) {
            let key = "\(snapshot.tenantId)/\(snapshot.userId)/\(snapshot.courseId)"
            if (latest[key]?.cycle ?? 0) < snapshot.cycle { latest[key] = snapshot }
        }
        let waiting = try await statements.attachUnattributed(to: latest.values.map { ProgressRecord($0, now: now) }, on: connection)

        var changes = ProgressEngine.Changes()
        changes.enrollments = Dictionary(uniqueKeysWithValues: newest.map { ($0.enrollmentId, $0) })
        changes.statements = waiting
        changes.inserted = inserted
        try await engine.apply(changes, now: now, traceparent: events.last?.event.traceparent, on: connection)
        return batch.rejections
    }
}
