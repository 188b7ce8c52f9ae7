import HTTPTypes
import Hummingbird
import NIOCore
import PostgresNIO

extension Problem {
    /// The problem an arbitrary error answers with.
    ///
    /// A `Problem` is returned as is, a ``ProblemConvertible`` as its problem; `PostgresTransactionError` is unwrapped to the error its closure
    /// threw; Hummingbird's `HTTPError` and other `HTTPResponseError`s keep their status and headers
    /// (and, below 500, their message as `detail`); everything else is a generic 500.
    public init(mapping error: any Error) {
        switch Self.unwrap(error) {
        case let problem as Problem:
            self = problem
        case let refusal as any ProblemConvertible:
            self = refusal.problem
        case let tooLarge as NIOTooManyBytesError:
            self =
                tooLarge.maxBytes.map { Problem.payloadTooLarge(limit: $0) }
                ?? Problem(status: .contentTooLarge, detail: "The request body is too large.")
        case let database as PSQLError where Self.isUnstorableText(database):
            // A NUL character (U+0000) or text PostgreSQL cannot encode, found by HTTP fuzzing: the
            // client's input, not a server fault.
            self = .badRequest("A text value contains a character that cannot be stored (such as U+0000).")
        case let httpError as HTTPError:
            let detail = httpError.status.code < 500 ? httpError.body : nil
            self.init(status: httpError.status, detail: detail, headers: httpError.headers)
        case let responseError as any HTTPResponseError:
            self.init(status: responseError.status, detail: nil)
        default:
            self = .internal()
        }
    }

    /// PostgreSQL rejected a bound text value: invalid byte sequence (22021, e.g. U+0000) or
    /// untranslatable character (22P05).
    static func isUnstorableText(_ error: PSQLError) -> Bool {
        guard let sqlState = error.serverInfo?[.sqlState] else { return false }
        return sqlState == "22021" || sqlState == "22P05"
    }

    /// The error to map: `PostgresTransactionError` hides the interesting one.
    static func unwrap(_ error: any Error) -> any Error {
        if let transaction = error as? PostgresTransactionError {
            return transaction.closureError ?? transaction.commitError ?? transaction.beginError ?? error
        }
        return error
    }

    /// A problem for a bare status, typed by the status's catalog entry when there is one.
    private init(status: HTTPResponse.Status, detail: String?, headers: HTTPFields = [:]) {
        let generic: Problem? =
            switch status.code {
            case 400: .badRequest(detail ?? "The request could not be parsed.")
            case 401: .unauthorized()
            case 403: .forbidden()
            case 404: Problem(slug: "not-found", title: "Not found", status: .notFound, detail: "No such resource.")
            case 409: .conflict(detail ?? "The request conflicts with the resource's current state.")
            case 413: Problem(slug: "payload-too-large", title: "Payload too large", status: .contentTooLarge)
            case 429: Problem(slug: "too-many-requests", title: "Too many requests", status: .tooManyRequests)
            case 500: .internal()
            case 503: .serviceUnavailable()
            default: nil
            }
        if var problem = generic {
            if let detail, status.code < 500 { problem.detail = detail }
            for field in headers where problem.headers[field.name] == nil {
                problem.headers.append(field)
            }
            self = problem
        } else {
            let reason = status.reasonPhrase.isEmpty ? "HTTP \(status.code)" : status.reasonPhrase
            self.init(type: "about:blank", title: reason, status: status, detail: status.code < 500 ? detail : nil, headers: headers)
        }
    }
}
