import Contracts
import Foundation

/// The progress columns of an `enrollment_facts` row from a progress snapshot.
struct ProgressRow: Encodable {
    var tenant_id: String
    var enrollment_id: String
    var course_id: String
    var user_id: String
    var cycle: Int
    var due_at: Date?
    var percent: Double
    var score: Double?
    var overdue: Bool
    var completed_at: Date?
    var version: Int64

    init(_ snapshot: ProgressSnapshot) {
        tenant_id = snapshot.tenantId
        enrollment_id = snapshot.enrollmentId.uuidString.lowercased()
        course_id = snapshot.courseId
        user_id = snapshot.userId
        cycle = snapshot.cycle
        due_at = snapshot.dueAt
        percent = snapshot.percent
        score = snapshot.score
        overdue = snapshot.overdue
        completed_at = snapshot.completedAt
        version = snapshot.version
    }
}
