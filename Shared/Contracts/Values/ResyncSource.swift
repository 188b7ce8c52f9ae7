/// A kind of fact whose owner re-announces it on request (`lms.resync.v1`), and the service that owns it:
/// users (user-service), courses and enrollments (enrollment-service), progress (progress-service).
public enum ResyncSource: String, CaseIterable, Hashable, Sendable, Codable {
    case users
    case courses
    case enrollments
    case progress
}
