import Contracts
import Foundation
import HTTPTypes
import ServiceHTTP

extension EnrollmentError {
    /// The problem this refusal answers with.
    package var problem: Problem {
        switch self {
        case .notFound(let what): .notFound(what)
        case .forbidden(let detail): .forbidden(detail)
        case .conflict(let detail): .conflict(detail)
        case .courseFull(let courseId): .courseFull(courseId)
        case .learnerNotActive(let userId, let status, let selfEnrollment):
            .learnerNotActive(userId, status: status, httpStatus: selfEnrollment ? .forbidden : .conflict)
        case .invalidTransition(let detail): .invalidTransition(detail)
        case .mandatoryEnrollment(let id): .mandatoryEnrollment(id)
        case .selfEnrollmentDisabled(let courseId): .selfEnrollmentDisabled(courseId)
        case .enrollmentWindowClosed(let detail): .enrollmentWindowClosed(detail)
        case .enrollmentKeyInvalid: .enrollmentKeyInvalid()
        case .enrollmentKeyExpired: .enrollmentKeyExpired()
        case .enrollmentKeyExhausted: .enrollmentKeyExhausted()
        case .enrollmentLinkExpired: .enrollmentLinkExpired()
        case .enrollmentLinkExhausted: .enrollmentLinkExhausted()
        case .notInSegment(let courseId): .notInSegment(courseId)
        case .profileIncomplete(let errors): .profileIncomplete(errors)
        case .tooManyRequests(let seconds): .tooManyRequests(retryAfter: seconds)
        }
    }

    /// The result of a use case, whose ``EnrollmentError`` becomes its problem.
    static func answering<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as EnrollmentError {
            throw error.problem
        }
    }
}

/// The problem types specific to enrollment. Each failure a client can act on has its own `type`.
extension Problem {
    static func courseFull(_ courseId: String) -> Problem {
        Problem(
            slug: "course-full",
            title: "Course full",
            status: .conflict,
            detail: "Course \(courseId) has no free seat and keeps no waitlist."
        )
    }

    /// 403 for a learner enrolling itself, 409 for someone enrolling a deactivated or erased user.
    static func learnerNotActive(_ userId: String, status: UserStatus?, httpStatus: HTTPResponse.Status = .forbidden) -> Problem {
        let state = status.map { "is \($0.rawValue)" } ?? "is not known as an active learner"
        return Problem(slug: "learner-not-active", title: "Learner not active", status: httpStatus, detail: "User \(userId) \(state).")
    }

    static func invalidTransition(_ detail: String) -> Problem {
        Problem(slug: "invalid-transition", title: "Invalid status change", status: .conflict, detail: detail)
    }

    /// 403 for a learner withdrawing itself from an enrollment it may not leave.
    static func mandatoryEnrollment(_ enrollmentId: UUID) -> Problem {
        Problem(
            slug: "mandatory-enrollment",
            title: "Mandatory enrollment",
            status: .forbidden,
            detail:
                "Enrollment \(enrollmentId.uuidString.lowercased()) is mandatory: only an admin or the course's instructors can withdraw it."
        )
    }

    static func selfEnrollmentDisabled(_ courseId: String) -> Problem {
        Problem(
            slug: "self-enrollment-disabled",
            title: "Self-enrollment disabled",
            status: .forbidden,
            detail: "Course \(courseId) does not allow self-enrollment."
        )
    }

    static func enrollmentWindowClosed(_ detail: String) -> Problem {
        Problem(slug: "enrollment-window-closed", title: "Enrollment window closed", status: .forbidden, detail: detail)
    }

    static func enrollmentKeyInvalid() -> Problem {
        Problem(
            slug: "enrollment-key-invalid",
            title: "Enrollment key invalid",
            status: .forbidden,
            detail: "The enrollment key is not valid for this course."
        )
    }

    static func enrollmentKeyExpired() -> Problem {
        Problem(slug: "enrollment-key-expired", title: "Enrollment key expired", status: .gone, detail: "The enrollment key has expired.")
    }

    static func enrollmentKeyExhausted() -> Problem {
        Problem(
            slug: "enrollment-key-exhausted",
            title: "Enrollment key used up",
            status: .conflict,
            detail: "The enrollment key has reached its maximum number of uses."
        )
    }

    static func enrollmentLinkExpired() -> Problem {
        Problem(slug: "enrollment-link-expired", title: "Enrollment link expired", status: .gone, detail: "The enrollment link has expired.")
    }

    static func enrollmentLinkExhausted() -> Problem {
        Problem(
            slug: "enrollment-link-exhausted",
            title: "Enrollment link used up",
            status: .conflict,
            detail: "The enrollment link has reached its maximum number of uses."
        )
    }

    static func notInSegment(_ courseId: String) -> Problem {
        Problem(
            slug: "not-in-segment",
            title: "Not eligible",
            status: .forbidden,
            detail: "Self-enrollment in course \(courseId) is restricted to a group of learners you are not part of."
        )
    }

    static func profileIncomplete(_ errors: [FieldError]) -> Problem {
        Problem(
            slug: "profile-incomplete",
            title: "Required profile information missing or invalid",
            status: .unprocessableContent,
            detail: "The course needs these profile fields to enroll you.",
            errors: errors
        )
    }
}
