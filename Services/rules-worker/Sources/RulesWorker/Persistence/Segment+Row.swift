import Foundation
import Segments

extension Segment: Decodable {
    private enum CodingKeys: String, CodingKey {
        case tenantId = "tenant_id"
        case segmentId = "segment_id"
        case name, description, criteria, version
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    /// Reads a `segments` row selected as `to_jsonb(s)`.
    package init(from decoder: any Decoder) throws {
        let row = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            tenantId: try row.decode(String.self, forKey: .tenantId), segmentId: try row.decode(UUID.self, forKey: .segmentId),
            name: try row.decode(String.self, forKey: .name), description: try row.decodeIfPresent(String.self, forKey: .description),
            criteria: try row.decode(Criteria.self, forKey: .criteria), version: try row.decode(Int64.self, forKey: .version),
            createdAt: try row.decode(Date.self, forKey: .createdAt), updatedAt: try row.decode(Date.self, forKey: .updatedAt))
    }
}
