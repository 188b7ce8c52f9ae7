import Foundation

/// `lms.resync.requested`: asks the owners of users, courses, enrollments and progress to
/// re-announce the current state of one tenant on `lms.resync.v1` (report-service sends it when a
/// tenant's reports are rebuilt). Keyed by `<tenantId>/<resyncId>`.
public struct ResyncRequest: EventPayload {
    public static let eventTypes: [EventType] = [.resyncRequested]

    public var tenantId: String
    @LowercaseUUID public var resyncId: UUID
    /// The sources asked for; owners answer for the ones they own.
    public var sources: [ResyncSource]
    public var requestedAt: Date

    public init(tenantId: String, resyncId: UUID, sources: [ResyncSource] = ResyncSource.allCases, requestedAt: Date) {
        self.tenantId = tenantId
        self.resyncId = resyncId
        self.sources = sources
        self.requestedAt = requestedAt
    }

    public var aggregateId: String { resyncId.lowercasedString }

    public func validate() throws(PayloadValidationError) {
        try FieldCheck.tenantId(tenantId)
        if sources.isEmpty { throw FieldCheck.fail("sources", "must name at least one source") }
    }
}
