import ServiceHTTP

extension RulesError {
    /// The problem this refusal answers with.
    package var problem: Problem {
        switch self {
        case .duplicateName(let name):
            Problem.conflict("Another item of this tenant is already named \"\(name)\".")
        }
    }
}
