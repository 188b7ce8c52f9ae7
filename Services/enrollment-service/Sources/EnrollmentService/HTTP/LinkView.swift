import Contracts
import Foundation
import Hummingbird

/// A created enrollment link: its `token` (shown once) and the path a learner posts to.
struct LinkView: ResponseEncodable, Sendable {
    var record: EnrollmentLinkRecord
    var token: String

    private enum CodingKeys: String, CodingKey {
        case linkId, courseId, token, path, maxUses, uses, expiresAt, createdBy, createdAt
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(record.linkId.lowercasedString, forKey: .linkId)
        try container.encode(record.courseId, forKey: .courseId)
        try container.encode(token, forKey: .token)
        try container.encode("/v1/self-enrollments/links/\(token)", forKey: .path)
        try container.encodeIfPresent(record.maxUses, forKey: .maxUses)
        try container.encode(record.uses, forKey: .uses)
        try container.encodeIfPresent(record.expiresAt, forKey: .expiresAt)
        try container.encode(record.createdBy, forKey: .createdBy)
        try container.encode(record.createdAt, forKey: .createdAt)
    }
}
