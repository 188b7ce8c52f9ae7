import Contracts
import Hummingbird

/// A user as the HTTP API returns it: the profile's fields (absent once erased, `attributes` then
/// empty), status and versions.
package struct UserResource: ResponseEncodable, Sendable {
    package var record: UserRecord

    package init(_ record: UserRecord) {
        self.record = record
    }

    private enum CodingKeys: String, CodingKey {
        case tenantId, userId, attributes, status, version, sourceVersion, createdAt, updatedAt
    }

    package func encode(to encoder: any Encoder) throws {
        try record.profile?.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(record.key.tenantId, forKey: .tenantId)
        try container.encode(record.key.userId, forKey: .userId)
        if record.profile == nil { try container.encode([String: AttributeValue](), forKey: .attributes) }
        try container.encode(record.status, forKey: .status)
        try container.encode(record.version, forKey: .version)
        try container.encodeIfPresent(record.sourceVersion, forKey: .sourceVersion)
        try container.encode(record.createdAt, forKey: .createdAt)
        try container.encode(record.updatedAt, forKey: .updatedAt)
    }
}
