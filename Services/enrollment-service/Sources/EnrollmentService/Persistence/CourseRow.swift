import Contracts
import Foundation

/// A `courses` row as `to_jsonb` selects it (column names as keys).
struct CourseRow: Decodable, Sendable {
    var tenantId: String
    var courseId: String
    var title: String
    var capacity: Int?
    var waitlist: Bool
    var enrollmentOpensAt: Date?
    var enrollmentClosesAt: Date?
    var selfEnrollmentEnabled: Bool
    var requiredProfileFields: [String]
    var restrictToSegmentId: UUID?
    var defaultDueDays: Int?
    var accessDays: Int?
    var recertifyEveryDays: Int?
    var modules: [String]
    var passingScore: Double?
    var version: Int64
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case tenantId = "tenant_id"
        case courseId = "course_id"
        case title, capacity, waitlist
        case enrollmentOpensAt = "enrollment_opens_at"
        case enrollmentClosesAt = "enrollment_closes_at"
        case selfEnrollmentEnabled = "self_enrollment_enabled"
        case requiredProfileFields = "required_profile_fields"
        case restrictToSegmentId = "restrict_to_segment_id"
        case defaultDueDays = "default_due_days"
        case accessDays = "access_days"
        case recertifyEveryDays = "recertify_every_days"
        case modules
        case passingScore = "passing_score"
        case version
        case updatedAt = "updated_at"
    }

    var settings: CourseSettings {
        CourseSettings(
            tenantId: tenantId,
            courseId: courseId,
            title: title,
            capacity: capacity,
            waitlist: waitlist,
            enrollmentOpensAt: enrollmentOpensAt,
            enrollmentClosesAt: enrollmentClosesAt,
            selfEnrollment: SelfEnrollmentSettings(
                enabled: selfEnrollmentEnabled,
                requiredProfileFields: requiredProfileFields,
                restrictToSegmentId: restrictToSegmentId
            ),
            defaultDueDays: defaultDueDays,
            accessDays: accessDays,
            recertifyEveryDays: recertifyEveryDays,
            modules: modules,
            passingScore: passingScore,
            version: version,
            updatedAt: updatedAt
        )
    }
}
