import Contracts
import HTTPTypes
import Hummingbird

/// An RFC 9457 problem detail: the only shape in which this platform's HTTP APIs report errors.
///
/// Throw one from a handler (or let ``ProblemMiddleware`` map any other error to one); it renders as
/// `application/problem+json` with `type`, `title`, `status`, `detail` and, for validation errors,
/// `errors: [{field, message}]`.
public struct Problem: Error, HTTPResponseError, Sendable, Hashable, CustomStringConvertible {
    /// Where the problem types are documented; `type` is this base plus a slug.
    public static let typeBase = "https://lms.example/problems/"
    public static let contentType = "application/problem+json"

    public var type: String
    public var title: String
    public var status: HTTPResponse.Status
    public var detail: String?
    public var errors: [FieldError]?
    /// Extra response headers (`Retry-After`, `WWW-Authenticate`, `Allow`).
    public var headers: HTTPFields

    public init(
        type: String,
        title: String,
        status: HTTPResponse.Status,
        detail: String? = nil,
        errors: [FieldError]? = nil,
        headers: HTTPFields = [:]
    ) {
        self.type = type
        self.title = title
        self.status = status
        self.detail = detail
        self.errors = errors
        self.headers = headers
    }

    /// A problem whose `type` is `typeBase` + `slug`.
    public init(
        slug: String,
        title: String,
        status: HTTPResponse.Status,
        detail: String? = nil,
        errors: [FieldError]? = nil,
        headers: HTTPFields = [:]
    ) {
        self.init(type: Self.typeBase + slug, title: title, status: status, detail: detail, errors: errors, headers: headers)
    }

    public var description: String {
        var text = "\(status.code) \(title)"
        if let detail { text += ": \(detail)" }
        if let errors, !errors.isEmpty { text += " [\(errors.map(\.description).joined(separator: "; "))]" }
        return text
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = try LMSJSON.encode(Body(type: type, title: title, status: Int(status.code), detail: detail, errors: errors))
        var headers = headers
        headers[.contentType] = Self.contentType
        headers[.contentLength] = String(body.count)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The JSON members; `nil` members are left out.
    private struct Body: Encodable {
        var type: String
        var title: String
        var status: Int
        var detail: String?
        var errors: [FieldError]?
    }
}
