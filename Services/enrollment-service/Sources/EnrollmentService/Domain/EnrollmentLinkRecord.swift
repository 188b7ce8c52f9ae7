import Foundation

/// An enrollment link of a course: an unguessable token (stored hashed) with optional expiry and use limit.
package struct EnrollmentLinkRecord: Codable, Sendable, Equatable {
    package var linkId: UUID
    package var tenantId: String
    package var courseId: String
    package var tokenHash: String
    package var maxUses: Int?
    /// Stored like `EnrollmentKeyRecord.uses`, only for a link with `maxUses` (0 for others).
    package var uses: Int
    package var expiresAt: Date?
    package var createdBy: String
    package var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case linkId = "link_id"
        case tenantId = "tenant_id"
        case courseId = "course_id"
        case tokenHash = "token_hash"
        case maxUses = "max_uses"
        case uses
        case expiresAt = "expires_at"
        case createdBy = "created_by"
        case createdAt = "created_at"
    }

    package var isExhausted: Bool { maxUses.map { uses >= $0 } ?? false }
}
