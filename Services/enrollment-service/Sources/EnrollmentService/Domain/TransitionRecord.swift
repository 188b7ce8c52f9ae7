import Contracts
import Foundation

/// One row of an enrollment's history.
package struct TransitionRecord: Codable, Sendable, Equatable {
    package var enrollmentId: UUID
    package var from: EnrollmentStatus?
    package var to: EnrollmentStatus
    package var actor: String
    package var reason: String?
    package var at: Date

    package init(enrollmentId: UUID, transition: StatusTransition, at: Date) {
        self.enrollmentId = enrollmentId
        self.from = transition.from
        self.to = transition.to
        self.actor = transition.actor
        self.reason = transition.reason
        self.at = at
    }

    enum CodingKeys: String, CodingKey {
        case enrollmentId = "enrollment_id"
        case from = "from_status"
        case to = "to_status"
        case actor, reason, at
    }
}
