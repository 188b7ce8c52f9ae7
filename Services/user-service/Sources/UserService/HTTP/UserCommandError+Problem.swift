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
}
