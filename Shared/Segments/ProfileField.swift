/// The profile fields of `lms.user.upserted` a condition can test.
public enum ProfileField: String, CaseIterable, Hashable, Sendable {
    case userId, email, givenName, familyName, jobRole, department, location, hireDate, managerId, status
}
