/// The role a user holds in a course.
public enum EnrollmentRole: String, CaseIterable, Hashable, Sendable, Codable {
    case learner
    case instructor
}
