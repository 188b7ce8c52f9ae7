import Contracts
import Foundation
import Logging
import PostgresNIO
import ServicePlatform

/// A learner enrolling itself with an enrollment key or link. Checks, each with its own error:
/// self-enrollment enabled, window open, key valid (constant-time comparison of hashes; wrong keys
/// rate-limited per learner and course) and neither expired nor used up, learner active, learner in
/// the restricting segment, required profile fields answered. Every attempt is audited in
/// `self_enrollment_attempts`; the answers are stored with the enrollment.
package struct SelfEnrollment: Sendable {
    /// Wrong keys allowed per learner and course within `window` before 429.
    package struct RateLimit: Sendable {
        package var maximumFailures: Int
        package var window: Duration

        package init(maximumFailures: Int = 5, window: Duration = .seconds(15 * 60)) {
            self.maximumFailures = maximumFailures
            self.window = window
        }

        var windowSeconds: Double { Double(window.components.seconds) }
    }

    /// How the learner proves it may enroll.
    package enum Credential: Sendable {
        case key(String)
        case link(EnrollmentLinkRecord)
    }

    let database: ServiceDatabase
    let workflow: EnrollmentWorkflow
    let keys: EnrollmentKeyRepository
    let memberships: SegmentMembershipRepository
    let clock: any ServiceClock
    let rateLimit: RateLimit
    let logger: Logger

    /// The enrollment (new: `created`) or the learner's existing one; an ``EnrollmentError`` for each refusal.
    package func enroll(
        tenantId: String,
        userId: String,
        courseId: String,
        credential: Credential,
        profile: [String: JSONValue],
        traceparent: String?
    ) async throws -> (record: EnrollmentRecord, created: Bool) {
        let now = clock.now()
        let course = CourseKey(tenantId: tenantId, courseId: courseId)
        var attempt = SelfEnrollmentAttempt(tenantId: tenantId, courseId: courseId, userId: userId, outcome: "", at: now)
        if case .link(let link) = credential { attempt.linkId = link.linkId }

        let checked = try await database.client.withConnection { connection in
            try await check(course: course, credential: credential, profile: profile, attempt: &attempt, now: now, on: connection)
        }
        let result: Result<(EnrollmentRecord, Bool), EnrollmentError>
        do {
            result = try await enrollInTransaction(credential: credential, checked: checked, attempt: &attempt, traceparent: traceparent)
        } catch is ConsumedMeanwhile {
            switch credential {
            case .key: result = .failure(.enrollmentKeyExhausted)
            case .link: result = .failure(.enrollmentLinkExhausted)
            }
        }
        switch result {
        case .success(let (record, created)):
            logger.info(
                "Self-enrollment",
                metadata: ["tenant": "\(tenantId)", "course": "\(courseId)", "user": "\(userId)", "outcome": "\(attempt.outcome)"]
            )
            return (record, created)
        case .failure(let error):
            attempt.outcome = Self.outcome(of: error)
            try await database.client.withConnection { connection in try await audit(attempt, on: connection) }
            throw error
        }
    }

    /// The link whose token is `token`, in the learner's tenant.
    package func link(token: String, tenantId: String) async throws -> EnrollmentLinkRecord {
        let link = try await database.client.withConnection { connection in
            try await keys.link(tokenHash: SecretToken.hash(token), tenantId: tenantId, on: connection)
        }
        guard let link else { throw EnrollmentError.notFound("Enrollment link") }
        return link
    }

    /// Enrolls and counts the key or link use in one transaction (under the course lock).
    private func enrollInTransaction(
        credential: Credential,
        checked: Checked,
        attempt: inout SelfEnrollmentAttempt,
        traceparent: String?
    ) async throws -> Result<(EnrollmentRecord, Bool), EnrollmentError> {
        let unaudited = attempt
        let (tenantId, userId, courseId) = (attempt.tenantId, attempt.userId, attempt.courseId)
        let (result, audited) = try await database.transaction {
            connection -> (Result<(EnrollmentRecord, Bool), EnrollmentError>, SelfEnrollmentAttempt) in
            var audited = unaudited
            let request = EnrollmentRequest(
                tenantId: tenantId,
                courseId: courseId,
                userId: userId,
                source: .selfEnrollment,
                sourceRef: audited.keyId.map { $0.lowercasedString } ?? audited.linkId.map { "link:\($0.lowercasedString)" },
                profileAnswers: checked.answers,
                actor: userId,
                reason: "self-enrollment"
            )
            let outcome = try await workflow.enroll([request], on: connection, traceparent: traceparent, locking: .seats)[0]
            switch outcome {
            case .enrolled(let record), .waitlisted(let record):
                audited.outcome = record.status == .active ? "enrolled" : "waitlisted"
                try await keys.record(audited, on: connection)
                // A limited key's (or link's) use counter is one row that every enrollment with it
                // updates and holds locked until its commit: last before the commit. The attempt
                // recorded above is what counts the uses of an unlimited one.
                if checked.limited {
                    let consumed =
                        switch credential {
                        case .key: try await keys.consume(checked.keyId ?? UUID(), link: false, on: connection)
                        case .link(let link): try await keys.consume(link.linkId, link: true, on: connection)
                        }
                    // Used up by a concurrent enrollment since the check: the transaction must not commit.
                    guard consumed else { throw ConsumedMeanwhile() }
                }
                return (.success((record, true)), audited)
            case .alreadyEnrolled(let record):
                audited.outcome = "already-enrolled"
                try await keys.record(audited, on: connection)
                return (.success((record, false)), audited)
            case .rejected(.courseFull):
                return (.failure(.courseFull(courseId: courseId)), audited)
            case .rejected(.courseNotFound):
                return (.failure(.notFound("Course \(courseId)")), audited)
            case .rejected(.learnerNotActive(let status)):
                return (.failure(.learnerNotActive(userId: userId, status: status, selfEnrollment: true)), audited)
            case .rejected(.excluded):
                return (.failure(.conflict("You cannot enroll in this course.")), audited)
            }
        }
        attempt = audited
        return result
    }

    private struct Checked {
        var keyId: UUID?
        /// The key or link has `maxUses`, so its counter row is updated.
        var limited = false
        var answers: [String: JSONValue]?
    }

    /// Everything that can be decided before the enrollment transaction. A refusal is audited and thrown.
    private func check(
        course key: CourseKey,
        credential: Credential,
        profile: [String: JSONValue],
        attempt: inout SelfEnrollmentAttempt,
        now: Date,
        on connection: PostgresConnection
    ) async throws -> Checked {
        guard let course = try await workflow.courses.find(key, on: connection) else { throw EnrollmentError.notFound("Course \(key.courseId)") }
        func refuse(_ outcome: String, _ error: EnrollmentError, attempt: SelfEnrollmentAttempt) async throws -> Never {
            var attempt = attempt
            attempt.outcome = outcome
            try await audit(attempt, on: connection)
            throw error
        }
        guard course.selfEnrollment.enabled else {
            try await refuse("self-enrollment-disabled", .selfEnrollmentDisabled(courseId: key.courseId), attempt: attempt)
        }
        if let opens = course.enrollmentOpensAt, now < opens {
            try await refuse("window-closed", .enrollmentWindowClosed("Enrollment opens at \(RFC3339.format(opens))."), attempt: attempt)
        }
        if let closes = course.enrollmentClosesAt, now > closes {
            try await refuse("window-closed", .enrollmentWindowClosed("Enrollment closed at \(RFC3339.format(closes))."), attempt: attempt)
        }

        var checked = Checked()
        switch credential {
        case .key(let text):
            // Counting the wrong guesses and recording this one happen under the learner's guess
            // lock, so parallel guesses cannot all pass the count before any is recorded.
            let guessLock = "enrollments.key-guess/\(key.tenantId)/\(key.courseId)/\(attempt.userId)"
            // A session lock: the check runs outside a transaction, since a refusal's audit row must stay.
            let found = try await AdvisoryLocks.withSessionLock(guessLock, on: connection, logger: logger) {
                let since = now.addingTimeInterval(-rateLimit.windowSeconds)
                let failures = try await keys.failedKeyAttempts(
                    tenantId: key.tenantId,
                    courseId: key.courseId,
                    userId: attempt.userId,
                    since: since,
                    on: connection
                )
                if failures.count >= rateLimit.maximumFailures {
                    let until = (failures.oldest ?? now).addingTimeInterval(rateLimit.windowSeconds)
                    let seconds = max(1, Int(until.timeIntervalSince(now).rounded(.up)))
                    try await refuse("rate-limited", .tooManyRequests(retryAfter: seconds), attempt: attempt)
                }
                let hash = SecretToken.hash(SecretToken.normalizedKey(text))
                var match: EnrollmentKeyRecord?
                for candidate in try await keys.keys(of: key, countingUses: false, on: connection) {
                    // Every candidate is compared, in constant time, whichever matches.
                    if SecretToken.constantTimeEquals(candidate.keyHash, hash) { match = candidate }
                }
                guard let found = match, found.revokedAt == nil else {
                    try await refuse(SelfEnrollmentAttempt.invalidKey, .enrollmentKeyInvalid, attempt: attempt)
                }
                return found
            }
            attempt.keyId = found.keyId
            checked.keyId = found.keyId
            checked.limited = found.maxUses != nil
            if let expires = found.expiresAt, now >= expires {
                try await refuse("key-expired", .enrollmentKeyExpired, attempt: attempt)
            }
            if found.isExhausted { try await refuse("key-exhausted", .enrollmentKeyExhausted, attempt: attempt) }
        case .link(let link):
            if let expires = link.expiresAt, now >= expires {
                try await refuse("link-expired", .enrollmentLinkExpired, attempt: attempt)
            }
            if link.isExhausted { try await refuse("link-exhausted", .enrollmentLinkExhausted, attempt: attempt) }
            checked.limited = link.maxUses != nil
        }

        let user = UserKey(tenantId: key.tenantId, userId: attempt.userId)
        let projected = try await workflow.users.find(user, on: connection)
        guard let projected, projected.status == .active else {
            try await refuse(
                "learner-not-active", .learnerNotActive(userId: user.userId, status: projected?.status, selfEnrollment: true), attempt: attempt)
        }
        if let segment = course.selfEnrollment.restrictToSegmentId {
            guard try await memberships.isMember(user, of: segment, on: connection) else {
                try await refuse("not-in-segment", .notInSegment(courseId: key.courseId), attempt: attempt)
            }
        }
        let required = course.selfEnrollment.requiredProfileFields
        if !required.isEmpty {
            switch ProfileRequirements.resolve(required: required, submitted: profile, known: projected.profile) {
            case .answered(let answers): checked.answers = answers
            case .invalid(let errors): try await refuse("profile-incomplete", .profileIncomplete(errors), attempt: attempt)
            }
        }
        return checked
    }

    /// The audited outcome of a refusal found in the enrollment transaction: the slug of its problem type.
    private static func outcome(of error: EnrollmentError) -> String {
        switch error {
        case .courseFull: "course-full"
        case .notFound: "not-found"
        case .learnerNotActive: "learner-not-active"
        case .conflict: "conflict"
        case .enrollmentKeyExhausted: "enrollment-key-exhausted"
        case .enrollmentLinkExhausted: "enrollment-link-exhausted"
        default: "refused"
        }
    }

    /// Records a refused attempt and logs it.
    private func audit(_ attempt: SelfEnrollmentAttempt, on connection: PostgresConnection) async throws {
        try await keys.record(attempt, on: connection)
        logger.info(
            "Self-enrollment refused",
            metadata: [
                "tenant": "\(attempt.tenantId)", "course": "\(attempt.courseId)", "user": "\(attempt.userId)", "outcome": "\(attempt.outcome)",
            ]
        )
    }

    /// The key or link reached its limit between the check and the enrollment.
    private struct ConsumedMeanwhile: Error {}
}
