import Contracts

extension UserProfile {
    /// The field errors of a profile object or merge patch, by the contract's own rules (the ones
    /// `platform.user.updated` is validated with): types, lengths, email shape, dates, attribute
    /// names and values, unknown fields. `null` is allowed for optional fields (it clears them).
    package static func fieldErrors(inPatch members: [String: JSONValue]) -> [FieldError] {
        // Fast path: one check of the whole object; only a failing object is checked field by field.
        if validationError(of: members) == nil { return [] }
        var errors: [FieldError] = []
        for key in members.keys.sorted() {
            guard let value = members[key] else { continue }
            if key == "attributes", case .object(let attributes) = value {
                for name in attributes.keys.sorted() {
                    guard let attribute = attributes[name] else { continue }
                    if let error = validationError(of: ["attributes": .object([name: attribute])]) { errors.append(error) }
                }
            } else if let error = validationError(of: [key: value]) {
                errors.append(error)
            }
        }
        return errors
    }

    /// A complete profile from a JSON object (a request body, a patched profile, an import row).
    ///
    /// Missing or `null` required fields are reported as required; `null` optional fields and
    /// `null` attributes count as absent.
    package static func parse(_ members: [String: JSONValue]) -> Result<UserProfile, ProfileValidationError> {
        var members = members
        var errors: [FieldError] = []
        for field in requiredFields where members[field] == nil || members[field] == .null {
            errors.append(FieldError(field: field, message: "is required"))
            members[field] = nil
        }
        errors += fieldErrors(inPatch: members)
        guard errors.isEmpty, let email = members["email"]?.stringValue, let givenName = members["givenName"]?.stringValue,
            let familyName = members["familyName"]?.stringValue
        else {
            return .failure(ProfileValidationError(errors: errors.sorted { $0.field < $1.field }))
        }
        var attributes: [String: AttributeValue] = [:]
        for (name, value) in members["attributes"]?.objectValue ?? [:] {
            if let attribute = AttributeValue(value) { attributes[name] = attribute }
        }
        return .success(
            UserProfile(
                email: email, givenName: givenName, familyName: familyName, jobRole: members["jobRole"]?.stringValue,
                department: members["department"]?.stringValue, location: members["location"]?.stringValue,
                hireDate: members["hireDate"]?.stringValue.flatMap { CalendarDate($0) }, managerId: members["managerId"]?.stringValue,
                attributes: attributes))
    }

    /// The profile after applying a JSON Merge Patch (RFC 7396): absent members stay, `null` clears.
    package func applying(patch members: [String: JSONValue]) -> Result<UserProfile, ProfileValidationError> {
        let patchErrors = Self.fieldErrors(inPatch: members)
        guard patchErrors.isEmpty else { return .failure(ProfileValidationError(errors: patchErrors)) }
        guard case .object(let merged) = json.mergePatch(.object(members)) else {
            return .failure(ProfileValidationError(errors: [FieldError(field: "body", message: "must be a JSON object")]))
        }
        return Self.parse(merged)
    }

    /// A new user's profile from a merge patch alone (an import row for an unknown `userId`):
    /// `null` members are simply absent.
    package static func creating(fromPatch members: [String: JSONValue]) -> Result<UserProfile, ProfileValidationError> {
        parse(members.filter { $0.value != .null })
    }

    /// The first rule `members` breaks, as a field error; `nil` when valid.
    private static func validationError(of members: [String: JSONValue]) -> FieldError? {
        let probe = PlatformUserUpdated(tenantId: "validation", userId: "validation", changes: .object(members))
        do {
            try probe.validate()
            return nil
        } catch {
            let prefix = "changes."
            let field = error.field.hasPrefix(prefix) ? String(error.field.dropFirst(prefix.count)) : error.field
            return FieldError(field: field.isEmpty ? "body" : field, message: error.message)
        }
    }
}
