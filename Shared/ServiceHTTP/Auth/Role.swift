/// What a token lets its bearer do (the `roles` claim).
///
/// `admin`: everything in its tenant; `instructor`: manual enrollment and reports for its courses;
/// `learner`: self-enrollment and its own data; `service`: what the token's ``Scope``s grant, nothing more.
public enum Role: String, Sendable, Codable, CaseIterable, Hashable {
    case admin
    case instructor
    case learner
    case service
}
