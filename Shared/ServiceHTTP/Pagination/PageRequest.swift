import Contracts
import Hummingbird

/// `?limit=&cursor=` of a list endpoint.
public struct PageRequest: Sendable, Hashable {
    public static let defaultLimit = 50
    public static let limitRange = 1...1000

    /// Items per page.
    public var limit: Int
    /// Where the previous page ended; nil for the first page.
    public var cursor: Cursor?

    public init(limit: Int = PageRequest.defaultLimit, cursor: Cursor? = nil) {
        self.limit = limit
        self.cursor = cursor
    }

    /// Reads `limit` (1...1000, default 50) and `cursor` from the query; a bad or repeated value is
    /// a 400 problem naming the parameter.
    public init(request: Request) throws(Problem) {
        let query = request.uri.queryParameters
        var errors: [FieldError] = []
        for name in ["limit", "cursor"] where query.getAll(name).count > 1 {
            errors.append(FieldError(field: name, message: "must be given at most once"))
        }
        var limit = Self.defaultLimit
        if let text = query["limit"] {
            if let value = Int(text), Self.limitRange.contains(value) {
                limit = value
            } else {
                errors.append(
                    FieldError(field: "limit", message: "must be an integer from \(Self.limitRange.lowerBound) to \(Self.limitRange.upperBound)")
                )
            }
        }
        var cursor: Cursor?
        if let text = query["cursor"], !text.isEmpty {
            cursor = Cursor(encoded: String(text))
            if cursor == nil {
                errors.append(FieldError(field: "cursor", message: "is not a cursor returned by this endpoint"))
            }
        }
        guard errors.isEmpty else { throw Problem.badRequest("Invalid paging parameters.", errors: errors) }
        self.init(limit: limit, cursor: cursor)
    }

    /// How many rows to fetch: one more than `limit`, to learn whether another page follows.
    public var fetchLimit: Int { limit + 1 }
}
