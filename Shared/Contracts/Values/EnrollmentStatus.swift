/// Enrollment status; transitions are published as `lms.enrollment.status-changed`.
public enum EnrollmentStatus: String, CaseIterable, Hashable, Sendable, Codable {
    case waitlisted
    case active
    case suspended
    case completed
    case withdrawn
    case expired
}
