/// A ``ProgressRecord`` is an `enrollment_progress` row: it is read with `to_jsonb(row)` and
/// written with `jsonb_populate_recordset(NULL::enrollment_progress, ...)` (a key left out, a nil,
/// is null), so the coding keys are the column names.
extension ProgressRecord {
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
}
