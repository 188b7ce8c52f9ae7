import Contracts
import Foundation
import Logging
import PostgresNIO
import ServicePlatform

/// Applies everything that changes progress — new statements, enrollment changes, course policy
/// changes, the passing of due dates — to the affected enrollments in one set-based pass, and
/// announces each changed enrollment once on `lms.progress.v1` (coalesced: fifty statements of one
/// learner in one batch give one event).
///
/// A pass costs a fixed number of statements whatever its size: lock the records' courses (against
/// a concurrent policy change) and the records (but those it has just inserted), read their
/// courses' policies, save the changed records, enqueue their events.
package struct ProgressEngine: Sendable {
    let progress: ProgressRepository
    let statements: StatementRepository
    let policies: CoursePolicyRepository
    let eventSource: String
    let logger: Logger

    /// What one pass applies.
    package struct Changes: Sendable {
        /// New statements by the enrollment they were attributed to.
        package var statements: [UUID: [LearningActivity]] = [:]
        /// Newer enrollment snapshots by enrollment.
        package var enrollments: [UUID: EnrollmentSnapshot] = [:]
        /// Enrollments to re-evaluate without new input (policy change, due date passed).
        package var recompute: Set<UUID> = []
        /// Records this transaction has just inserted, as it inserted them: locked by the insert
        /// already, so the pass uses them instead of reading them back.
        package var inserted: [UUID: ProgressRecord] = [:]

        var affected: Set<UUID> { recompute.union(statements.keys).union(enrollments.keys) }
    }

    /// Applies `changes` and returns the records whose progress changed (as saved).
    @discardableResult
    package func apply(_ changes: Changes, now: Date, traceparent: String? = nil, on connection: PostgresConnection) async throws -> [ProgressRecord]
    {
        let affected = changes.affected
        guard !affected.isEmpty else { return [] }
        try await policies.lockForReading(coursesOf: affected, on: connection)
        let held = changes.inserted.filter { affected.contains($0.key) }
        var records = try await progress.lock(affected.subtracting(held.keys), on: connection)
        records.merge(held) { read, _ in read }
        let courses = Set(records.values.map { CourseKey(tenantId: $0.tenantId, courseId: $0.courseId) })
        let coursePolicies = try await policies.policies(of: courses, on: connection)

        var saved: [ProgressRecord] = []
        var events: [OutboxEvent] = []
        for id in affected.sorted() {
            guard var record = records[id] else { continue }
            let before = record
            let policy = coursePolicies[CourseKey(tenantId: record.tenantId, courseId: record.courseId)]
            // Input is applied only within the record's own tenant: an enrollment id is no key across tenants.
            if let enrollment = changes.enrollments[id], enrollment.tenantId == record.tenantId { record.apply(enrollment) }
            let batch = (changes.statements[id] ?? []).filter { $0.tenantId == record.tenantId }.sorted {
                ($0.occurredAt, $0.statementId) < ($1.occurredAt, $1.statementId)
            }
            if record.role == .learner {
                for statement in batch { record.record(statement, policy: policy) }
            }
            record.evaluate(policy: policy, now: now, completionTime: batch.last?.occurredAt ?? now)
            guard record != before else { continue }
            let type = Self.eventType(before: before, after: record)
            if type == .progressOverdue { record.overdueNotifiedDueAt = record.dueAt }
            if type != nil { record.version += 1 }
            record.updatedAt = now
            saved.append(record)
            if let type, record.role == .learner {
                events.append(try OutboxEvent(record.snapshot, type: type, source: eventSource, time: now, traceparent: traceparent))
            }
        }
        try await progress.save(saved, on: connection)
        try await Outbox.enqueue(events, on: connection, logger: logger)
        return saved
    }

    /// The event a change deserves: `completed` when the cycle was completed now, `overdue` when
    /// it fell overdue for a due date not announced before, otherwise `updated` when anything the
    /// payload shows changed, and none for bookkeeping-only changes (e.g. a newer enrollment
    /// version that changed neither status nor due date).
    static func eventType(before: ProgressRecord, after: ProgressRecord) -> EventType? {
        if before.completedAt == nil && after.completedAt != nil { return .progressCompleted }
        if after.overdue && !before.overdue && after.overdueNotifiedDueAt != after.dueAt { return .progressOverdue }
        var shown = before.snapshot
        shown.version = after.version
        return shown == after.snapshot ? nil : .progressUpdated
    }
}
