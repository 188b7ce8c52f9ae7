import Contracts
import Foundation

/// A ``ProgressRecord`` is an `enrollment_progress` row: it is read with `to_jsonb(row)` and
/// written with `jsonb_populate_recordset(NULL::enrollment_progress, ...)`, so the coding keys are
/// the column names.
extension ProgressRecord: Codable {
    enum CodingKeys: String, CodingKey {
        case enrollmentId = "enrollment_id"
        case tenantId = "tenant_id"
        case userId = "user_id"
        case courseId = "course_id"
        case cycle, role
        case enrollmentStatus = "enrollment_status"
        case enrollmentVersion = "enrollment_version"
        case enrolledAt = "enrolled_at"
        case dueAt = "due_at"
        case startedModules = "started_modules"
        case completedModules = "completed_modules"
        case maxProgress = "max_progress"
        case bestScore = "best_score"
        case failed
        case timeSpentSeconds = "time_spent_seconds"
        case statementCount = "statement_count"
        case lastActivityAt = "last_activity_at"
        case percent, status
        case completedAt = "completed_at"
        case completedLate = "completed_late"
        case overdue
        case overdueNotifiedDueAt = "overdue_notified_due_at"
        case version
        case updatedAt = "updated_at"
    }

    package init(from decoder: any Decoder) throws {
        let row = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            enrollmentId: try row.decode(UUID.self, forKey: .enrollmentId),
            tenantId: try row.decode(String.self, forKey: .tenantId),
            userId: try row.decode(String.self, forKey: .userId),
            courseId: try row.decode(String.self, forKey: .courseId),
            cycle: try row.decode(Int.self, forKey: .cycle),
            role: try row.decode(EnrollmentRole.self, forKey: .role),
            enrollmentStatus: try row.decode(EnrollmentStatus.self, forKey: .enrollmentStatus),
            enrollmentVersion: try row.decode(Int64.self, forKey: .enrollmentVersion),
            enrolledAt: try row.decode(Date.self, forKey: .enrolledAt),
            dueAt: try row.decodeIfPresent(Date.self, forKey: .dueAt),
            updatedAt: try row.decode(Date.self, forKey: .updatedAt))
        startedModules = try row.decode([String].self, forKey: .startedModules)
        completedModules = try row.decode([String].self, forKey: .completedModules)
        maxProgress = try row.decode(Double.self, forKey: .maxProgress)
        bestScore = try row.decodeIfPresent(Double.self, forKey: .bestScore)
        failed = try row.decode(Bool.self, forKey: .failed)
        timeSpentSeconds = try row.decode(Int.self, forKey: .timeSpentSeconds)
        statementCount = try row.decode(Int.self, forKey: .statementCount)
        lastActivityAt = try row.decodeIfPresent(Date.self, forKey: .lastActivityAt)
        percent = try row.decode(Double.self, forKey: .percent)
        status = try row.decode(ProgressStatus.self, forKey: .status)
        completedAt = try row.decodeIfPresent(Date.self, forKey: .completedAt)
        completedLate = try row.decodeIfPresent(Bool.self, forKey: .completedLate)
        overdue = try row.decode(Bool.self, forKey: .overdue)
        overdueNotifiedDueAt = try row.decodeIfPresent(Date.self, forKey: .overdueNotifiedDueAt)
        version = try row.decode(Int64.self, forKey: .version)
    }

    /// Encodes every column, nulls included (`jsonb_populate_recordset` would otherwise take a
    /// missing key as null anyway; explicit is clearer in the statement log).
    package func encode(to encoder: any Encoder) throws {
        var row = encoder.container(keyedBy: CodingKeys.self)
        try row.encode(enrollmentId.uuidString.lowercased(), forKey: .enrollmentId)
        try row.encode(tenantId, forKey: .tenantId)
        try row.encode(userId, forKey: .userId)
        try row.encode(courseId, forKey: .courseId)
        try row.encode(cycle, forKey: .cycle)
        try row.encode(role, forKey: .role)
        try row.encode(enrollmentStatus, forKey: .enrollmentStatus)
        try row.encode(enrollmentVersion, forKey: .enrollmentVersion)
        try row.encode(enrolledAt, forKey: .enrolledAt)
        try row.encode(dueAt, forKey: .dueAt)
        try row.encode(startedModules, forKey: .startedModules)
        try row.encode(completedModules, forKey: .completedModules)
        try row.encode(maxProgress, forKey: .maxProgress)
        try row.encode(bestScore, forKey: .bestScore)
        try row.encode(failed, forKey: .failed)
        try row.encode(timeSpentSeconds, forKey: .timeSpentSeconds)
        try row.encode(statementCount, forKey: .statementCount)
        try row.encode(lastActivityAt, forKey: .lastActivityAt)
        try row.encode(percent, forKey: .percent)
        try row.encode(status, forKey: .status)
        try row.encode(completedAt, forKey: .completedAt)
        try row.encode(completedLate, forKey: .completedLate)
        try row.encode(overdue, forKey: .overdue)
        try row.encode(overdueNotifiedDueAt, forKey: .overdueNotifiedDueAt)
        try row.encode(version, forKey: .version)
        try row.encode(updatedAt, forKey: .updatedAt)
    }
}
