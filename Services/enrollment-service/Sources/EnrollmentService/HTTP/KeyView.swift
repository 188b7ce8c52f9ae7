import Contracts
import Foundation
import Hummingbird

/// An enrollment key as the API shows it; `key` only in the creation response.
struct KeyView: ResponseEncodable, Sendable {
    var record: EnrollmentKeyRecord
    var secret: String?

    private enum CodingKeys: String, CodingKey {
        case keyId, courseId, label, key, keyHint, maxUses, uses, expiresAt, revoked, revokedAt, createdBy, createdAt
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(record.keyId.lowercasedString, forKey: .keyId)
        try container.encode(record.courseId, forKey: .courseId)
        try container.encodeIfPresent(record.label, forKey: .label)
        try container.encodeIfPresent(secret, forKey: .key)
        try container.encode(record.keyHint, forKey: .keyHint)
        try container.encodeIfPresent(record.maxUses, forKey: .maxUses)
        try container.encode(record.uses, forKey: .uses)
        try container.encodeIfPresent(record.expiresAt, forKey: .expiresAt)
        try container.encode(record.revokedAt != nil, forKey: .revoked)
        try container.encodeIfPresent(record.revokedAt, forKey: .revokedAt)
        try container.encode(record.createdBy, forKey: .createdBy)
        try container.encode(record.createdAt, forKey: .createdAt)
    }
}

struct KeyList: ResponseEncodable, Sendable {
    var items: [KeyView]
}
