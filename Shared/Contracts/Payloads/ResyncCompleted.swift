import Foundation

/// `lms.resync.completed`: an owner has re-announced every fact of one source for a
/// ``ResyncRequest``, in `pages` pages (numbered `0..<pages`) holding `items` facts in all.
/// Keyed by `<tenantId>/<resyncId>/<source>`.
public struct ResyncCompleted: EventPayload {
    public static let eventTypes: [EventType] = [.resyncCompleted]

    public var tenantId: String
    public var resyncId: UUID
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

    public var aggregateId: String { "\(resyncId.uuidString.lowercased())/\(source.rawValue)" }

    public func validate() throws(PayloadValidationError) {
        try FieldCheck.tenantId(tenantId)
        try FieldCheck.atLeast(pages, "pages", 0)
        try FieldCheck.atLeast(items, "items", 0)
    }

    private enum CodingKeys: String, CodingKey {
        case tenantId, resyncId, source, pages, items, completedAt
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(tenantId, forKey: .tenantId)
        try container.encodeLowercased(resyncId, forKey: .resyncId)
        try container.encode(source, forKey: .source)
        try container.encode(pages, forKey: .pages)
        try container.encode(items, forKey: .items)
        try container.encode(completedAt, forKey: .completedAt)
    }
}
