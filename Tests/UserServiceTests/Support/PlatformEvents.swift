import Contracts
import Foundation

/// Builders of `platform.user-events.v1` events as an HR sync would publish them.
enum PlatformEvents {
    static let source = "/hr-sync"

    static func created(
        _ userId: String, tenant: String = "acme", email: String? = nil, givenName: String = "Ada", familyName: String = "Lovelace",
        jobRole: String? = nil, department: String? = nil, location: String? = nil, hireDate: String? = nil, managerId: String? = nil,
        attributes: [String: AttributeValue]? = nil, sourceVersion: Int64? = nil
    ) throws -> CloudEvent {
        let payload = PlatformUserCreated(
            tenantId: tenant, userId: userId, email: email ?? "\(userId)@example.com", givenName: givenName, familyName: familyName,
            jobRole: jobRole, department: department, location: location, hireDate: hireDate.flatMap { CalendarDate($0) },
            managerId: managerId, attributes: attributes, sourceVersion: sourceVersion)
        return try CloudEvent.make(payload, source: source)
    }

    static func updated(_ userId: String, tenant: String = "acme", _ changes: JSONValue, sourceVersion: Int64? = nil) throws -> CloudEvent {
        try CloudEvent.make(PlatformUserUpdated(tenantId: tenant, userId: userId, changes: changes, sourceVersion: sourceVersion), source: source)
    }

    static func lifecycle(
        _ type: EventType, _ userId: String, tenant: String = "acme", reason: String? = nil, sourceVersion: Int64? = nil
    ) throws -> CloudEvent {
        try CloudEvent.make(
            PlatformUserLifecycle(tenantId: tenant, userId: userId, reason: reason, sourceVersion: sourceVersion), type: type, source: source)
    }

    /// `event` with its JSON payload replaced by `json` (for payloads the Swift types cannot express).
    static func withPayload(_ event: CloudEvent, _ json: String) -> CloudEvent {
        var event = event
        event.data = Array(json.utf8)
        return event
    }
}
