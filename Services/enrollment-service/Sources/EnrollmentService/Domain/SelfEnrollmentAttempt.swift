import Foundation

/// One self-enrollment attempt, kept as the audit trail and for rate limiting wrong keys.
package struct SelfEnrollmentAttempt: Sendable, Equatable {
    package var tenantId: String
    package var courseId: String
    package var userId: String
    package var keyId: UUID?
    package var linkId: UUID?
    package var outcome: String
    package var at: Date

    /// The outcome that counts towards the wrong-key rate limit.
    package static let invalidKey = "invalid-key"
}
