import Contracts
import Foundation
import HTTPTypes
import ServiceHTTP

extension EnrollmentError: ProblemConvertible {
    /// The problem this refusal answers with: the generic ones of the platform, and a `type` of its
    /// own for each failure a client can act on.
    package var problem: Problem {
        switch self {
        case .notFound(let what): .notFound(what)
        case .forbidden(let detail): .forbidden(detail)
        case .conflict(let detail): .conflict(detail)
        case .courseFull(let courseId):
            Problem(
                slug: "course-full", title: "Course full", status: .conflict, detail: "Course \(courseId) has no free seat and keeps no waitlist.")
        case .learnerNotActive(let userId, let status, let selfEnrollment):
            Problem(
                slug: "learner-not-active",
                title: "Learner not active",
                status: selfEnrollment ? .forbidden : .conflict,
                detail: "User \(userId) \(status.map { "is \($0.rawValue)" } ?? "is not known as an active learner")."
            )
        case .invalidTransition(let detail): Problem(slug: "invalid-transition", title: "Invalid status change", status: .conflict, detail: detail)
        case .mandatoryEnrollment(let id):
            Problem(
                slug: "mandatory-enrollment",
                title: "Mandatory enrollment",
                status: .forbidden,
                detail: "Enrollment \(id.lowercasedString) is mandatory: only an admin or the course's instructors can withdraw it."
            )
        case .selfEnrollmentDisabled(let courseId):
            Problem(
                slug: "self-enrollment-disabled",
                title: "Self-enrollment disabled",
                status: .forbidden,
                detail: "Course \(courseId) does not allow self-enrollment."
            )
        case .enrollmentWindowClosed(let detail):
            Problem(slug: "enrollment-window-closed", title: "Enrollment window closed", status: .forbidden, detail: detail)
        case .enrollmentKeyInvalid:
            Problem(
                slug: "enrollment-key-invalid", title: "Enrollment key invalid", status: .forbidden,
                detail: "The enrollment key is not valid for this course.")
        case .enrollmentKeyExpired:
            Problem(slug: "enrollment-key-expired", title: "Enrollment key expired", status: .gone, detail: "The enrollment key has expired.")
        case .enrollmentKeyExhausted:
            Problem(
                slug: "enrollment-key-exhausted",
                title: "Enrollment key used up",
                status: .conflict,
                detail: "The enrollment key has reached its maximum number of uses."
            )
        case .enrollmentLinkExpired:
            Problem(slug: "enrollment-link-expired", title: "Enrollment link expired", status: .gone, detail: "The enrollment link has expired.")
        case .enrollmentLinkExhausted:
            Problem(
                slug: "enrollment-link-exhausted",
                title: "Enrollment link used up",
                status: .conflict,
                detail: "The enrollment link has reached its maximum number of uses."
            )
        case .notInSegment(let courseId):
            Problem(
                slug: "not-in-segment",
                title: "Not eligible",
                status: .forbidden,
                detail: "Self-enrollment in course \(courseId) is restricted to a group of learners you are not part of."
            )
        case .profileIncomplete(let errors):
            Problem(
                slug: "profile-incomplete",
                title: "Required profile information missing or invalid",
                status: .unprocessableContent,
                detail: "The course needs these profile fields to enroll you.",
                errors: errors
            )
        case .tooManyRequests(let seconds): .tooManyRequests(retryAfter: seconds)
        }
    }
}
