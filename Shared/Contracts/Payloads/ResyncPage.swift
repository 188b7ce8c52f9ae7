import Foundation

/// `lms.resync.page`: one page of a tenant's current facts of one source, re-announced for a
/// ``ResyncRequest``. Pages of one source are numbered from 0; the source's ``ResyncCompleted`` says
/// how many there are, so a consumer knows it has them all whatever order the partitions deliver
/// them in. Keyed by `<tenantId>/<resyncId>/<source>/<page>`, so pages spread over the partitions.
public struct ResyncPage: EventPayload {
    public static let eventTypes: [EventType] = [.resyncPage]
    /// The most items an owner puts in one page.
    public static let maximumItems = 200

    public var tenantId: String
    @LowercaseUUID public var resyncId: UUID
    public var page: Int
    public var items: ResyncItems

    public var source: ResyncSource { items.source }

    public init(tenantId: String, resyncId: UUID, page: Int, items: ResyncItems) {
        self.tenantId = tenantId
        self.resyncId = resyncId
        self.page = page
        self.items = items
    }

    public var aggregateId: String { "\(resyncId.lowercasedString)/\(source.rawValue)/\(page)" }

    public func validate() throws(PayloadValidationError) {
        try FieldCheck.tenantId(tenantId)
        try FieldCheck.atLeast(page, "page", 0)
        try items.validate(tenantId: tenantId)
    }

    private enum CodingKeys: String, CodingKey {
        case tenantId, resyncId, source, page, items
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        tenantId = try container.decode(String.self, forKey: .tenantId)
        resyncId = try container.decode(UUID.self, forKey: .resyncId)
        page = try container.decode(Int.self, forKey: .page)
        switch try container.decode(ResyncSource.self, forKey: .source) {
        case .users: items = .users(try container.decode([UserSnapshot].self, forKey: .items))
        case .courses: items = .courses(try container.decode([CourseSettings].self, forKey: .items))
        case .enrollments: items = .enrollments(try container.decode([EnrollmentSnapshot].self, forKey: .items))
        case .progress: items = .progress(try container.decode([ProgressSnapshot].self, forKey: .items))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(tenantId, forKey: .tenantId)
        try container.encode(_resyncId, forKey: .resyncId)
        try container.encode(source, forKey: .source)
        try container.encode(page, forKey: .page)
        switch items {
        case .users(let list): try container.encode(list, forKey: .items)
        case .courses(let list): try container.encode(list, forKey: .items)
        case .enrollments(let list): try container.encode(list, forKey: .items)
        case .progress(let list): try container.encode(list, forKey: .items)
        }
    }
}
