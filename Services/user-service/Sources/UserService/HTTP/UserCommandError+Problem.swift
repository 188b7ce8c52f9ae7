import Contracts
import ServiceHTTP

extension UserCommandError: ProblemConvertible {
    /// The answer to a command the directory refused.
    package var problem: Problem {
        switch kind {
        case .unknownUser: .notFound("User \(key.userId)")
        case .alreadyExists: .conflict("User \(key.userId) already exists; use PUT or PATCH to change it.")
        case .erased: .conflict("User \(key.userId) was erased; an erased user cannot be changed or created again.")
        case .invalid(let errors): .validation(errors)
        }
    }
}
