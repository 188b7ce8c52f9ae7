import Foundation

extension Job: Decodable {
    private enum CodingKeys: String, CodingKey {
        case jobId = "job_id"
        case tenantId = "tenant_id"
        case kind
        case targetId = "target_id"
        case targetVersion = "target_version"
        case reason
        case enrollNew = "enroll_new"
        case enrollIgnored = "enroll_ignored"
        case status, cursor, total, processed, counts
        case createdAt = "created_at"
        case startedAt = "started_at"
        case updatedAt = "updated_at"
        case finishedAt = "finished_at"
    }

    /// Reads a `jobs` row selected as `to_jsonb(j)`.
    package init(from decoder: any Decoder) throws {
        let row = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            jobId: try row.decode(UUID.self, forKey: .jobId),
            tenantId: try row.decode(String.self, forKey: .tenantId),
            kind: try row.decode(Kind.self, forKey: .kind),
            targetId: try row.decode(UUID.self, forKey: .targetId),
            targetVersion: try row.decode(Int64.self, forKey: .targetVersion),
            reason: try row.decode(String.self, forKey: .reason),
            enrollNew: try row.decode(Bool.self, forKey: .enrollNew),
            enrollIgnored: try row.decode(Bool.self, forKey: .enrollIgnored),
            status: try row.decode(Status.self, forKey: .status),
            cursor: try row.decodeIfPresent(String.self, forKey: .cursor),
            total: try row.decode(Int.self, forKey: .total),
            processed: try row.decode(Int.self, forKey: .processed),
            counts: try row.decode(JobCounts.self, forKey: .counts),
            createdAt: try row.decode(Date.self, forKey: .createdAt),
            startedAt: try row.decodeIfPresent(Date.self, forKey: .startedAt),
            updatedAt: try row.decode(Date.self, forKey: .updatedAt),
            finishedAt: try row.decodeIfPresent(Date.self, forKey: .finishedAt)
        )
    }
}
