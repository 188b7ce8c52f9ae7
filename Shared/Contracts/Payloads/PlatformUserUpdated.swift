import Foundation

/// `platform.user.updated`: a JSON Merge Patch (RFC 7396) of a known user's profile.
///
/// In `changes` an absent field stays unchanged and `null` clears it; `attributes` merges per key.
/// `email`, `givenName` and `familyName` are required profile fields and cannot be cleared.
public struct PlatformUserUpdated: EventPayload {
    public static let eventTypes: [EventType] = [.userUpdated]

    public var tenantId: String
    public var userId: String
    public var changes: JSONValue
    public var sourceVersion: Int64?

    public init(tenantId: String, userId: String, changes: JSONValue, sourceVersion: Int64? = nil) {
        self.tenantId = tenantId
        self.userId = userId
        self.changes = changes
        self.sourceVersion = sourceVersion
    }

    public var aggregateId: String { userId }

    public func validate() throws(PayloadValidationError) {
        try FieldCheck.tenantId(tenantId)
        try FieldCheck.identifier(userId, "userId")
        try FieldCheck.version(sourceVersion, "sourceVersion")
        guard case .object(let members) = changes else {
            throw FieldCheck.fail("changes", "must be a JSON object (merge patch)")
        }
        for key in members.keys.sorted() {
            guard let value = members[key] else { continue }
            try Self.checkChange(key, value)
        }
    }

    private static func checkChange(_ key: String, _ value: JSONValue) throws(PayloadValidationError) {
        let field = "changes.\(key)"
        switch (key, value) {
        case ("email", .string(let text)):
            try FieldCheck.email(text, field)
        case ("givenName", .string(let text)), ("familyName", .string(let text)):
            try FieldCheck.text(text, field)
        case ("email", _), ("givenName", _), ("familyName", _):
            throw FieldCheck.fail(field, "must be a string (required profile fields cannot be cleared)")
        case ("jobRole", .string(let text)), ("department", .string(let text)), ("location", .string(let text)):
            try FieldCheck.text(text, field)
        case ("hireDate", .string(let text)):
            guard CalendarDate(text) != nil else { throw FieldCheck.fail(field, "must be a date YYYY-MM-DD") }
        case ("managerId", .string(let text)):
            try FieldCheck.identifier(text, field)
        case ("jobRole", .null), ("department", .null), ("location", .null), ("hireDate", .null),
            ("managerId", .null), ("attributes", .null):
            break
        case ("jobRole", _), ("department", _), ("location", _), ("hireDate", _), ("managerId", _):
            throw FieldCheck.fail(field, "must be a string or null")
        case ("attributes", .object(let attributes)):
            for name in attributes.keys.sorted() {
                guard FieldCheck.isAttributeKey(name) else {
                    throw FieldCheck.fail("\(field).\(name)", "attribute names must be 1-64 characters without control characters")
                }
                switch attributes[name] {
                case .string(let text)?:
                    try FieldCheck.text(text, "\(field).\(name)", maxLength: FieldCheck.maximumAttributeStringLength)
                case .number?, .bool?, .null?, nil:
                    break
                case .array?, .object?:
                    throw FieldCheck.fail("\(field).\(name)", "must be a string, number, boolean or null")
                }
            }
        case ("attributes", _):
            throw FieldCheck.fail(field, "must be an object or null")
        default:
            throw FieldCheck.fail(field, "is not a profile field")
        }
    }
}
