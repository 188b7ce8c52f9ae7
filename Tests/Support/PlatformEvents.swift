import Contracts
import Foundation

/// The events other platform services publish into the system (HR/IdP sync, content players),
/// for one tenant.
public struct PlatformEvents: Sendable {
    public let tenant: String

    public init(tenant: String) {
        self.tenant = tenant
    }

    /// The `ce_source` of the user events (an HR sync).
    public static let source = "/hr-sync"

    /// `platform.user.created`; without `email` and `givenName` the user is `<userId>@<tenant>.example`, "Given <userId>".
    public func userCreated(
        _ userId: String, department: String? = nil, location: String? = nil, jobRole: String? = nil, hireDate: String? = nil,
        email: String? = nil, givenName: String? = nil, familyName: String = "Family", managerId: String? = nil,
        attributes: [String: AttributeValue]? = nil, sourceVersion: Int64? = nil
    ) throws -> CloudEvent {
        try CloudEvent.make(
            PlatformUserCreated(
                tenantId: tenant, userId: userId, email: email ?? "\(userId)@\(tenant).example", givenName: givenName ?? "Given \(userId)",
                familyName: familyName, jobRole: jobRole, department: department, location: location,
                hireDate: hireDate.flatMap { CalendarDate($0) }, managerId: managerId, attributes: attributes, sourceVersion: sourceVersion),
            source: Self.source)
    }

    /// `platform.user.updated`: `changes` is a JSON Merge Patch of the profile.
    public func userChanged(_ userId: String, _ changes: [String: JSONValue], sourceVersion: Int64? = nil) throws -> CloudEvent {
        try CloudEvent.make(
            PlatformUserUpdated(tenantId: tenant, userId: userId, changes: .object(changes), sourceVersion: sourceVersion), source: Self.source)
    }

    public func userLifecycle(_ type: EventType, _ userId: String, reason: String? = nil, sourceVersion: Int64? = nil) throws -> CloudEvent {
        try CloudEvent.make(
            PlatformUserLifecycle(tenantId: tenant, userId: userId, reason: reason, sourceVersion: sourceVersion), type: type,
            source: Self.source)
    }

    /// `event` with its JSON payload replaced by `json` (for payloads the Swift types cannot express).
    public static func withPayload(_ event: CloudEvent, _ json: String) -> CloudEvent {
        var event = event
        event.data = Array(json.utf8)
        return event
    }

    public func activity(
        _ userId: String, course: String, module: String, _ verb: ActivityVerb, score: Double? = nil, statementId: UUID = UUID()
    ) throws -> CloudEvent {
        try CloudEvent.make(
            LearningActivity(
                tenantId: tenant, statementId: statementId, userId: userId, courseId: course, moduleId: module, verb: verb, score: score,
                durationSeconds: 120, occurredAt: Date()),
            source: "/players/scorm")
    }
}
