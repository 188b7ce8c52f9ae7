import Contracts

/// A course's `selfEnrollment.requiredProfileFields`: which answers a learner must give (or already
/// have in its profile) to enroll itself, and what a valid answer is. Pure, so it is unit-tested alone.
package enum ProfileRequirements {
    /// The profile fields of `lms.user.upserted` a course may require; `attributes.<name>` names a custom attribute.
    package static let knownFields = ["email", "givenName", "familyName", "jobRole", "department", "location", "hireDate", "managerId"]
    static let attributePrefix = "attributes."

    package enum Resolution: Sendable, Equatable {
        /// The answer per required field.
        case answered([String: JSONValue])
        /// One error per missing or invalid answer.
        case invalid([FieldError])
    }

    package static func isKnownField(_ field: String) -> Bool {
        if knownFields.contains(field) { return true }
        guard field.hasPrefix(attributePrefix) else { return false }
        let name = field.dropFirst(attributePrefix.count)
        return (1...64).contains(name.unicodeScalars.count)
    }

    /// The answer to each required field: the submitted `profile` first (flat keys, or custom
    /// attributes nested under `attributes`), else the learner's known profile. Every missing or
    /// invalid answer is reported as a field error under `profile.`.
    package static func resolve(
        required: [String],
        submitted: [String: JSONValue],
        known: [String: JSONValue]
    ) -> Resolution {
        var answers: [String: JSONValue] = [:]
        var errors: [FieldError] = []
        for field in required {
            let given = value(of: field, in: submitted)
            guard let answer = given ?? value(of: field, in: known) else {
                errors.append(FieldError(field: "profile.\(field)", message: "is required to enroll in this course"))
                continue
            }
            if let problem = invalidity(of: answer, for: field) {
                // A bad stored value is reported like a bad answer: the learner supplies a good one.
                errors.append(FieldError(field: "profile.\(field)", message: problem))
                continue
            }
            answers[field] = answer
        }
        return errors.isEmpty ? .answered(answers) : .invalid(errors)
    }

    /// The non-empty value of `field` in a profile object; `nil` when absent, null or blank.
    private static func value(of field: String, in profile: [String: JSONValue]) -> JSONValue? {
        var found = profile[field]
        if found == nil, field.hasPrefix(attributePrefix), case .object(let attributes)? = profile["attributes"] {
            found = attributes[String(field.dropFirst(attributePrefix.count))]
        }
        switch found {
        case nil, .null?: return nil
        case .string(let text)?: return text.allSatisfy(\.isWhitespace) ? nil : .string(text)
        case let value?: return value
        }
    }

    /// Why `value` is not a valid answer for `field`, or `nil` when it is.
    private static func invalidity(of value: JSONValue, for field: String) -> String? {
        if field.hasPrefix(attributePrefix) {
            switch value {
            case .string(let text): return text.unicodeScalars.count <= 1024 ? nil : "must have at most 1024 characters"
            case .number, .bool: return nil
            default: return "must be a string, number or boolean"
            }
        }
        guard case .string(let text) = value else { return "must be a string" }
        switch field {
        case "email":
            return isEmail(text) ? nil : "must be an email address"
        case "hireDate":
            return CalendarDate(text) == nil ? "must be a date YYYY-MM-DD" : nil
        case "managerId":
            // The contract's identifier rule (as for user ids): 1-128 characters.
            return (1...128).contains(text.unicodeScalars.count) ? nil : "must have 1-128 characters"
        default:
            return text.unicodeScalars.count <= 256 ? nil : "must have at most 256 characters"
        }
    }

    /// `local@domain.tld` without whitespace, at most 254 characters (the contract's email shape).
    private static func isEmail(_ text: String) -> Bool {
        guard text.unicodeScalars.count <= 254, !text.contains(where: { $0.isWhitespace }) else { return false }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty else { return false }
        let domain = parts[1]
        return domain.contains(".") && domain.first != "." && domain.last != "."
    }
}
