import Contracts
import Foundation

/// A `statements` row as JSON (column names as keys), for `jsonb_to_recordset` writes and
/// `to_jsonb` reads.
struct StatementRow: Codable, Sendable {
    var tenant_id: String
    var statement_id: UUID
    var user_id: String
    var course_id: String
    var module_id: String
    var verb: ActivityVerb
    var progress: Double?
    var score: Double?
    var duration_seconds: Int?
    var occurred_at: Date

    init(_ activity: LearningActivity) {
        tenant_id = activity.tenantId
        statement_id = activity.statementId
        user_id = activity.userId
        course_id = activity.courseId
        module_id = activity.moduleId
        verb = activity.verb
        progress = activity.progress
        score = activity.score
        duration_seconds = activity.durationSeconds
        occurred_at = activity.occurredAt
    }

    var activity: LearningActivity {
        LearningActivity(
            tenantId: tenant_id, statementId: statement_id, userId: user_id, courseId: course_id, moduleId: module_id, verb: verb,
            progress: progress, score: score, durationSeconds: duration_seconds, occurredAt: occurred_at)
    }

    func encode(to encoder: any Encoder) throws {
        var row = encoder.container(keyedBy: CodingKeys.self)
        try row.encode(tenant_id, forKey: .tenant_id)
        try row.encode(statement_id.uuidString.lowercased(), forKey: .statement_id)
        try row.encode(user_id, forKey: .user_id)
        try row.encode(course_id, forKey: .course_id)
        try row.encode(module_id, forKey: .module_id)
        try row.encode(verb, forKey: .verb)
        try row.encode(progress, forKey: .progress)
        try row.encode(score, forKey: .score)
        try row.encode(duration_seconds, forKey: .duration_seconds)
        try row.encode(occurred_at, forKey: .occurred_at)
    }
}
