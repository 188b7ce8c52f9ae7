import Contracts
import Foundation

/// The events other platform services publish into the system (HR/IdP sync, content players),
/// for one tenant.
public struct PlatformEvents: Sendable {
    public let tenant: String

    public init(tenant: String) {
        self.tenant = tenant
    }

    public func userCreated(
        _ userId: String, department: String? = nil, location: String? = nil, jobRole: String? = nil, hireDate: String? = nil
    ) throws -> CloudEvent {
        try CloudEvent.make(
            PlatformUserCreated(
                tenantId: tenant, userId: userId, email: "\(userId)@\(tenant).example", givenName: "Given \(userId)",
                familyName: "Family", jobRole: jobRole, department: department, location: location,
                hireDate: hireDate.flatMap { CalendarDate($0) }),
            source: "/hr-sync")
    }

    public func userChanged(_ userId: String, _ changes: [String: JSONValue]) throws -> CloudEvent {
        try CloudEvent.make(PlatformUserUpdated(tenantId: tenant, userId: userId, changes: .object(changes)), source: "/hr-sync")
    }

    public func userLifecycle(_ type: EventType, _ userId: String, reason: String? = nil) throws -> CloudEvent {
        try CloudEvent.make(PlatformUserLifecycle(tenantId: tenant, userId: userId, reason: reason), type: type, source: "/hr-sync")
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
