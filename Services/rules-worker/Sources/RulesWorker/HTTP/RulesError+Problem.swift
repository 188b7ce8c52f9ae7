import Contracts
import Foundation
import ServiceHTTP

extension RulesError: ProblemConvertible {
    /// The problem this refusal answers with.
    package var problem: Problem {
        switch self {
        case .duplicateName(let name): .conflict("Another item of this tenant is already named \"\(name)\".")
        case .segmentNotFound(let id): .notFound("Segment \(id.lowercasedString)")
        case .ruleNotFound(let id): .notFound("Rule \(id.lowercasedString)")
        case .draftCannotBePaused: .conflict("Only an active rule can be paused; this rule is a draft.")
        case .ruleSegmentMissing: .conflict("The rule's segment no longer exists.")
        }
    }
}
