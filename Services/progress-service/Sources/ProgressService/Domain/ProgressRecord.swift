import Contracts
import Foundation

/// One enrollment's progress: the enrollment facts, the activity folded into it, and what follows
/// from them under the course's ``CoursePolicy``.
///
/// Completion is sticky within a cycle: once the policy was met, later course changes or
/// failed attempts do not take it back (recertification starts a new cycle, a new enrollment).
package struct ProgressRecord: Sendable, Equatable, Codable {
    package var enrollmentId: UUID
    package var tenantId: String
    package var userId: String
    package var courseId: String
    package var cycle: Int
    package var role: EnrollmentRole
    package var enrollmentStatus: EnrollmentStatus
    package var enrollmentVersion: Int64
    package var enrolledAt: Date
    package var dueAt: Date?

    // Activity.
    package var startedModules: [String] = []
    package var completedModules: [String] = []
    /// Highest content progress (0...1) any statement reported.
    package var maxProgress: Double = 0
    package var bestScore: Double?
    /// The latest assessment result was a fail (cleared by a later attempt).
    package var failed = false
    package var timeSpentSeconds: Int = 0
    package var statementCount: Int = 0
    package var lastActivityAt: Date?

    // Derived.
    package var percent: Double = 0
    package var status: ProgressStatus = .notStarted
    package var completedAt: Date?
    package var completedLate: Bool?
    package var overdue = false
    /// The due date an overdue event was published for (so it is published once per due date).
    package var overdueNotifiedDueAt: Date?
    package var version: Int64 = 0
    package var updatedAt: Date

    /// A fresh record for a newly seen enrollment.
    package init(_ enrollment: EnrollmentSnapshot, now: Date) {
        enrollmentId = enrollment.enrollmentId
        tenantId = enrollment.tenantId
        userId = enrollment.userId
        courseId = enrollment.courseId
        cycle = enrollment.cycle
        role = enrollment.role
        enrollmentStatus = enrollment.status
        enrollmentVersion = enrollment.version
        enrolledAt = enrollment.enrolledAt
        dueAt = enrollment.dueAt
        updatedAt = now
    }

    /// Whether the enrollment is one a learner works in (activity is attributed to it, it can fall overdue).
    package var isOpen: Bool { enrollmentStatus == .active || enrollmentStatus == .suspended }

    /// Applies a newer enrollment snapshot (status and due date); older ones change nothing.
    package mutating func apply(_ enrollment: EnrollmentSnapshot) {
        guard enrollment.version > enrollmentVersion else { return }
        enrollmentStatus = enrollment.status
        enrollmentVersion = enrollment.version
        dueAt = enrollment.dueAt
    }

    /// Folds one statement in (statements of a batch arrive in `occurredAt` order).
    package mutating func record(_ statement: LearningActivity, policy: CoursePolicy?) {
        statementCount += 1
        timeSpentSeconds += statement.durationSeconds ?? 0
        lastActivityAt = max(lastActivityAt ?? statement.occurredAt, statement.occurredAt)
        if !startedModules.contains(statement.moduleId) { startedModules.append(statement.moduleId) }
        if let progress = statement.progress { maxProgress = max(maxProgress, progress) }
        if let score = statement.score { bestScore = max(bestScore ?? score, score) }
        let failsScore = policy?.fails(score: statement.score) ?? false
        switch statement.verb {
        case .started, .progressed:
            failed = false
        case .completed, .passed:
            if !completedModules.contains(statement.moduleId) { completedModules.append(statement.moduleId) }
            maxProgress = 1
            failed = failsScore
        case .failed:
            failed = true
        }
    }

    /// Recomputes percent, status, completion and the overdue flag. Without a known policy (the
    /// course event has not arrived yet) nothing completes: the course event triggers a recompute.
    ///
    /// - Parameter completionTime: when the policy was met, if it is met now (the latest activity
    ///   of the batch, or the moment of a course change).
    package mutating func evaluate(policy: CoursePolicy?, now: Date, completionTime: Date) {
        guard role == .learner else { return }
        if completedAt == nil, let policy, policy.isMet(by: self) {
            completedAt = completionTime
            completedLate = dueAt.map { completionTime > $0 }
        }
        if completedAt != nil {
            percent = 100
            status = .completed
            overdue = false
            return
        }
        percent = policy?.percent(of: self) ?? ((min(maxProgress, 1) * 10_000).rounded() / 100)
        status = failed ? .failed : (statementCount > 0 ? .inProgress : .notStarted)
        overdue = isOpen && (dueAt.map { $0 <= now } ?? false)
    }

    /// The `lms.progress.*` payload.
    package var snapshot: ProgressSnapshot {
        ProgressSnapshot(
            tenantId: tenantId, enrollmentId: enrollmentId, userId: userId, courseId: courseId, percent: percent,
            status: status, score: bestScore, timeSpentSeconds: timeSpentSeconds, completedModules: completedModules.sorted(),
            lastActivityAt: lastActivityAt, dueAt: dueAt, overdue: overdue, completedAt: completedAt, completedLate: completedLate,
            cycle: cycle, version: version)
    }
}
