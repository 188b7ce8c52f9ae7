import Contracts

/// What became of one ``EnrollmentRequest``.
package enum EnrollmentOutcome: Sendable, Equatable {
    /// A new (or reopened) enrollment that is `active`.
    case enrolled(EnrollmentRecord)
    /// A new (or reopened) enrollment that waits for a seat.
    case waitlisted(EnrollmentRecord)
    /// The user already holds a waitlisted, active, suspended or completed enrollment.
    case alreadyEnrolled(EnrollmentRecord)
    case rejected(EnrollmentRejection)

    /// The enrollment the request ended with, if any.
    package var record: EnrollmentRecord? {
        switch self {
        case .enrolled(let record), .waitlisted(let record), .alreadyEnrolled(let record): record
        case .rejected: nil
        }
    }
}

/// Why an enrollment request was refused.
package enum EnrollmentRejection: Sendable, Hashable, CustomStringConvertible {
    case courseNotFound
    /// Over capacity and the course keeps no waitlist.
    case courseFull
    /// The user is deactivated or erased.
    case learnerNotActive(UserStatus)
    /// A rule asked, but an admin withdrew the user from this course before: the exclusion wins.
    case excluded

    package var description: String {
        switch self {
        case .courseNotFound: "course not found"
        case .courseFull: "course is full and has no waitlist"
        case .learnerNotActive(let status): "learner is \(status.rawValue)"
        case .excluded: "excluded from this rule by a manual withdrawal"
        }
    }
}
