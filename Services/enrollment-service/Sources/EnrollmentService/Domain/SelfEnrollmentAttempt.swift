import Foundation

/// One self-enrollment attempt, kept as the audit trail and for rate limiting wrong keys.
package struct SelfEnrollmentAttempt: Codable, Sendable, Equatable {
    package var tenantId: String
    package var courseId: String
    package var userId: String
    package var keyId: UUID?
    package var linkId: UUID?
    package var outcome: String
    package var at: Date

    enum CodingKeys: String, CodingKey {
        case tenantId = "tenant_id"
        case courseId = "course_id"
        case userId = "user_id"
        case keyId = "key_id"
        case linkId = "link_id"
        case outcome, at
    }

    /// The outcome that counts towards the wrong-key rate limit.
    package static let invalidKey = "invalid-key"
}
