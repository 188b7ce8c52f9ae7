import Contracts
import Foundation
import ServiceHTTP

extension ReportError: ProblemConvertible {
    /// The problem this refusal answers with.
    package var problem: Problem {
        switch self {
        case .rebuildRunning(let id):
            let rebuildId = id.lowercasedString
            return Problem.conflict("Rebuild \(rebuildId) of this tenant is still running; follow it at /v1/reports/rebuilds/\(rebuildId).")
        case .rebuildNotFound(let id):
            return Problem.notFound("Rebuild \(id.lowercasedString)")
        }
    }
}
