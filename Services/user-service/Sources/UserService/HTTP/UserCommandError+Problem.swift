import Contracts
import HTTPTypes
import ServiceHTTP

extension Problem {
    /// The answer to a command the directory refused.
    package init(_ error: UserCommandError) {
        switch error.kind {
        case .unknownUser:
            self = .notFound("User \(error.key.userId)")
        case .alreadyExists:
            self = .conflict("User \(error.key.userId) already exists; use PUT or PATCH to change it.")
        case .erased:
            self = .conflict("User \(error.key.userId) was erased; an erased user cannot be changed or created again.")
        case .invalid(let errors):
            self = .validation(errors)
        }
    }

    /// 415: the body is not in a media type the endpoint reads.
    package static func unsupportedMediaType(_ accepted: [String]) -> Problem {
        Problem(
            slug: "unsupported-media-type", title: "Unsupported media type", status: .unsupportedMediaType,
            detail: "Send the body as \(accepted.joined(separator: " or ")).")
    }
}
