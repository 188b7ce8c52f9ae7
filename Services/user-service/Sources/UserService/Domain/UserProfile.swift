import Contracts

/// The personal profile of a user: everything an erase wipes.
///
/// `email`, `givenName` and `familyName` are required; the other fields are optional and
/// `attributes` holds the tenant's custom fields (string, number or boolean values).
package struct UserProfile: Codable, Hashable, Sendable {
    package var email: String
    package var givenName: String
    package var familyName: String
    package var jobRole: String?
    package var department: String?
    package var location: String?
    package var hireDate: CalendarDate?
    package var managerId: String?
    package var attributes: [String: AttributeValue]

    /// The profile fields, in the order they are reported (`attributes` is reported per attribute).
    package static let scalarFields = ["email", "givenName", "familyName", "jobRole", "department", "location", "hireDate", "managerId"]
    /// Fields that must always have a value.
    package static let requiredFields = ["email", "givenName", "familyName"]

    package init(
        email: String, givenName: String, familyName: String, jobRole: String? = nil, department: String? = nil,
        location: String? = nil, hireDate: CalendarDate? = nil, managerId: String? = nil, attributes: [String: AttributeValue] = [:]
    ) {
        self.email = email
        self.givenName = givenName
        self.familyName = familyName
        self.jobRole = jobRole
        self.department = department
        self.location = location
        self.hireDate = hireDate
        self.managerId = managerId
        self.attributes = attributes
    }

    /// The profile carried by a `platform.user.created` event.
    package init(_ created: PlatformUserCreated) {
        self.init(
            email: created.email, givenName: created.givenName, familyName: created.familyName, jobRole: created.jobRole,
            department: created.department, location: created.location, hireDate: created.hireDate, managerId: created.managerId,
            attributes: created.attributes ?? [:])
    }

    /// The JSON value of a scalar field (`nil` when the field is empty or unknown).
    package func value(of field: String) -> JSONValue? {
        switch field {
        case "email": .string(email)
        case "givenName": .string(givenName)
        case "familyName": .string(familyName)
        case "jobRole": jobRole.map(JSONValue.string)
        case "department": department.map(JSONValue.string)
        case "location": location.map(JSONValue.string)
        case "hireDate": hireDate.map { .string($0.description) }
        case "managerId": managerId.map(JSONValue.string)
        default: nil
        }
    }

    /// The profile as a JSON object (empty fields left out), the target of merge patches.
    package var json: JSONValue {
        var members: [String: JSONValue] = [:]
        for field in Self.scalarFields {
            if let value = value(of: field) { members[field] = value }
        }
        members["attributes"] = .object(attributes.mapValues(JSONValue.init))
        return .object(members)
    }

    /// Every field that has a value: what a creation reports as changed.
    package var populatedFields: [String] {
        Self.scalarFields.filter { value(of: $0) != nil } + attributes.keys.sorted().map { "attributes.\($0)" }
    }

    /// The fields whose values differ from `old` (`attributes.<name>` per attribute), in report order.
    package func changedFields(since old: UserProfile) -> [String] {
        var fields = Self.scalarFields.filter { value(of: $0) != old.value(of: $0) }
        let names = Set(attributes.keys).union(old.attributes.keys)
        fields += names.sorted().filter { attributes[$0] != old.attributes[$0] }.map { "attributes.\($0)" }
        return fields
    }
}
