import Contracts
import Foundation

/// Why a use case of the service refuses. Everything below HTTP throws these; the HTTP layer maps
/// each case to its problem+json answer (status, type and detail).
package enum EnrollmentError: Error, Equatable {
    /// 404; `what` names the missing thing (`Course c1`, `Enrollment <id>`, `Enrollment key`).
    case notFound(_ what: String)
    /// 403 with the detail.
    case forbidden(String)
    /// 409 with the detail.
    case conflict(String)
    case courseFull(courseId: String)
    /// 403 when the learner enrolls itself, 409 when someone enrolls a deactivated or erased user.
    case learnerNotActive(userId: String, status: UserStatus?, selfEnrollment: Bool)
    case invalidTransition(String)
    /// The learner may not withdraw itself from a mandatory enrollment.
    case mandatoryEnrollment(UUID)
    case selfEnrollmentDisabled(courseId: String)
    case enrollmentWindowClosed(String)
    case enrollmentKeyInvalid
    case enrollmentKeyExpired
    case enrollmentKeyExhausted
    case enrollmentLinkExpired
    case enrollmentLinkExhausted
    case notInSegment(courseId: String)
    case profileIncomplete([FieldError])
    /// Too many wrong keys: retry after `retryAfter` seconds.
    case tooManyRequests(retryAfter: Int)
}
