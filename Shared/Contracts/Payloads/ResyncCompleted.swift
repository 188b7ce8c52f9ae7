import Foundation

/// `lms.resync.completed`: an owner has re-announced every fact of one source for a
/// ``ResyncRequest``, in `pages` pages (numbered `0..<pages`) holding `items` facts in all.
/// Keyed by `<tenantId>/<resyncId>/<source>`.
public struct ResyncCompleted: EventPayload {
    public static let eventTypes: [EventType] = [.resyncCompleted]

    public var tenantId: String
    @LowercaseUUID public var resyncId: UUID
    public var source: ResyncSource
    public var pages: Int
    public var items: Int
    public var completedAt: Date

    public init(tenantId: String, resyncId: UUID, source: ResyncSource, pages: Int, items: Int, completedAt: Date) {
        self.tenantId = tenantId
        self.resyncId = resyncId
        self.source = source
        self.pages = pages
        self.items = items
        self.completedAt = completedAt
    }

    public var aggregateId: String { "\(resyncId.lowercasedString)/\(source.rawValue)" }

    public func validate() throws(PayloadValidationError) {
        try FieldCheck.tenantId(tenantId)
        try FieldCheck.atLeast(pages, "pages", 0)
        try FieldCheck.atLeast(items, "items", 0)
    }
}
