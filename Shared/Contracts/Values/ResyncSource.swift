/// A kind of fact whose owner re-announces it on request (`lms.resync.v1`), and the service that owns it:
/// users (user-service), courses and enrollments (enrollment-service), progress (progress-service).
public enum ResyncSource: String, CaseIterable, Hashable, Sendable, Codable {
    case users
    case courses
    case enrollments
    case progress

    /// The service that owns these facts and alone answers for them; its events' `ce_source` is `/lms/<owner>`.
    public var owner: String {
        switch self {
        case .users: "user-service"
        case .courses, .enrollments: "enrollment-service"
        case .progress: "progress-service"
        }
    }
}
