/// The contract's value rules for request fields, reported as field errors.
public enum InputRules {
    public static let maximumIdentifierLength = 128
    public static let maximumReasonLength = 1024

    /// Ids of users, courses and modules: 1-128 characters.
    public static func isIdentifier(_ value: String) -> Bool {
        (1...maximumIdentifierLength).contains(value.unicodeScalars.count)
    }

    public static func checkIdentifier(_ value: String, field: String, into errors: inout ValidationErrors) {
        errors.check(isIdentifier(value), field: field, message: "must have 1-\(maximumIdentifierLength) characters")
    }

    public static func checkReason(_ value: String?, field: String = "reason", into errors: inout ValidationErrors) {
        guard let value else { return }
        errors.check(value.unicodeScalars.count <= maximumReasonLength, field: field, message: "must have at most \(maximumReasonLength) characters")
    }

    /// The id in a path, or a 404 for the resource (an impossible id names nothing).
    public static func pathIdentifier(_ value: String, resource: String) throws(Problem) -> String {
        guard isIdentifier(value) else { throw Problem.notFound("\(resource) \(value)") }
        return value
    }
}
