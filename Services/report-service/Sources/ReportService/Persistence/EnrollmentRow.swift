import Contracts
import Foundation

/// An `enrollment_facts` row from an enrollment snapshot, as `jsonb_to_recordset` reads it.
struct EnrollmentRow: Encodable {
    var tenant_id: String
    var enrollment_id: String
    var course_id: String
    var user_id: String
    var cycle: Int
    var role: String
    var status: String
    var source: String
    var enrolled_at: Date
    var due_at: Date?
    var completed_at: Date?
    var version: Int64

    init(_ snapshot: EnrollmentSnapshot) {
        tenant_id = snapshot.tenantId
        enrollment_id = snapshot.enrollmentId.uuidString.lowercased()
        course_id = snapshot.courseId
        user_id = snapshot.userId
        cycle = snapshot.cycle
        role = snapshot.role.rawValue
        status = snapshot.status.rawValue
        source = snapshot.source.rawValue
        enrolled_at = snapshot.enrolledAt
        due_at = snapshot.dueAt
        completed_at = snapshot.completedAt
        version = snapshot.version
    }
}
