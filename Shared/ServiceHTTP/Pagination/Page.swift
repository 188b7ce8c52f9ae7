import Hummingbird

/// One page of a list: `{"items": [...], "nextCursor": "..." | null}`.
public struct Page<Item: Encodable & Sendable>: ResponseEncodable, Sendable {
    public var items: [Item]
    /// Pass as `?cursor=` for the next page; nil on the last page.
    public var nextCursor: Cursor?

    public init(items: [Item], nextCursor: Cursor?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    /// A page from rows fetched with `request.fetchLimit`: the extra row, if any, is dropped and
    /// signals that a next page starts after the last kept item (whose sort key `cursor` returns).
    public init(fetched rows: [Item], request: PageRequest, cursor: (Item) -> Cursor) {
        if rows.count > request.limit {
            let items = Array(rows.prefix(request.limit))
            self.init(items: items, nextCursor: items.last.map(cursor))
        } else {
            self.init(items: rows, nextCursor: nil)
        }
    }

    private enum CodingKeys: String, CodingKey {
        case items
        case nextCursor
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(nextCursor?.encoded, forKey: .nextCursor)
    }
}
