import Foundation

/// An enrollment key of a course. The secret itself is never stored, only its SHA-256 hash.
package struct EnrollmentKeyRecord: Codable, Sendable, Equatable {
    package var keyId: UUID
    package var tenantId: String
    package var courseId: String
    package var label: String?
    package var keyHash: String
    /// The last characters of the key, so admins can tell keys apart.
    package var keyHint: String
    package var maxUses: Int?
    /// Enrollments made with the key. Stored as a counter only for a key with `maxUses` (the row
    /// every use of it locks); a key without a limit is counted from the audited attempts, so
    /// learners using it do not queue on one row. See `EnrollmentKeyRepository.keys(of:countingUses:)`.
    package var uses: Int
    package var expiresAt: Date?
    package var revokedAt: Date?
    package var createdBy: String
    package var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case keyId = "key_id"
        case tenantId = "tenant_id"
        case courseId = "course_id"
        case label
        case keyHash = "key_hash"
        case keyHint = "key_hint"
        case maxUses = "max_uses"
        case uses
        case expiresAt = "expires_at"
        case revokedAt = "revoked_at"
        case createdBy = "created_by"
        case createdAt = "created_at"
    }

    package var isExhausted: Bool { maxUses.map { uses >= $0 } ?? false }
}
