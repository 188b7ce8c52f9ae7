import Contracts
import Hummingbird

extension Problem {
    /// 400: the request cannot be parsed (malformed JSON, a bad query parameter, a bad header).
    public static func badRequest(_ detail: String, errors: [FieldError]? = nil) -> Problem {
        Problem(slug: "bad-request", title: "Bad request", status: .badRequest, detail: detail, errors: errors)
    }

    /// 422: the request parsed but some fields are semantically invalid.
    public static func validation(_ errors: [FieldError], detail: String? = nil) -> Problem {
        Problem(
            slug: "validation",
            title: "Validation failed",
            status: .unprocessableContent,
            detail: detail ?? (errors.count == 1 ? "1 field is invalid." : "\(errors.count) fields are invalid."),
            errors: errors
        )
    }

    /// 401: no valid bearer token. Deliberately says nothing about why the token was refused.
    public static func unauthorized() -> Problem {
        Problem(
            slug: "unauthorized",
            title: "Unauthorized",
            status: .unauthorized,
            detail: "A valid bearer token is required.",
            headers: [.wwwAuthenticate: "Bearer"]
        )
    }

    /// 403: authenticated, but the token's roles do not allow this.
    public static func forbidden(_ detail: String = "Your roles do not allow this operation.") -> Problem {
        Problem(slug: "forbidden", title: "Forbidden", status: .forbidden, detail: detail)
    }

    /// 404 for `what` (for example `"Enrollment 5f0c…"`); also used for another tenant's resources.
    public static func notFound(_ what: String) -> Problem {
        Problem(slug: "not-found", title: "Not found", status: .notFound, detail: "\(what) was not found.")
    }

    /// 405 with `Allow`: the path exists, the method does not.
    public static func methodNotAllowed(_ method: String, allowed: [String]) -> Problem {
        Problem(
            slug: "method-not-allowed",
            title: "Method not allowed",
            status: .methodNotAllowed,
            detail: "\(method) is not allowed here; allowed: \(allowed.joined(separator: ", ")).",
            headers: [.allow: allowed.joined(separator: ", ")]
        )
    }

    /// 409: the request conflicts with the resource's current state.
    public static func conflict(_ detail: String) -> Problem {
        Problem(slug: "conflict", title: "Conflict", status: .conflict, detail: detail)
    }

    /// 413: the body exceeds `limit` bytes.
    public static func payloadTooLarge(limit: Int) -> Problem {
        Problem(
            slug: "payload-too-large",
            title: "Payload too large",
            status: .contentTooLarge,
            detail: "The request body exceeds the limit of \(limit) bytes."
        )
    }

    /// 415: the body is not in a media type the endpoint reads.
    public static func unsupportedMediaType(_ accepted: [String]) -> Problem {
        Problem(
            slug: "unsupported-media-type",
            title: "Unsupported media type",
            status: .unsupportedMediaType,
            detail: "Send the body as \(accepted.joined(separator: " or "))."
        )
    }

    /// 429 with `Retry-After: <seconds>`.
    public static func tooManyRequests(retryAfter seconds: Int) -> Problem {
        let seconds = max(0, seconds)
        return Problem(
            slug: "too-many-requests",
            title: "Too many requests",
            status: .tooManyRequests,
            detail: "Retry after \(seconds) seconds.",
            headers: [.retryAfter: String(seconds)]
        )
    }

    /// 500 with a generic text; the cause belongs in the log, never in the response.
    public static func `internal`() -> Problem {
        Problem(
            slug: "internal",
            title: "Internal server error",
            status: .internalServerError,
            detail: "An unexpected error occurred. Quote the X-Request-Id header when reporting it."
        )
    }

    /// 503: a dependency is unavailable; retrying later may help.
    public static func serviceUnavailable(_ detail: String = "The service is temporarily unavailable.") -> Problem {
        Problem(slug: "service-unavailable", title: "Service unavailable", status: .serviceUnavailable, detail: detail)
    }
}
