import Foundation

/// A bulk evaluation of all users of a tenant for one rule or segment, in steps of a page of
/// users; the cursor (last user id done) and counts are stored with each step, so a restarted
/// worker resumes where the last committed step ended.
struct Job: Sendable, Hashable, Decodable {
    enum Kind: String, Sendable, Hashable, Codable {
        case rule, segment
    }

    enum Status: String, Sendable, Hashable, Codable {
        case pending, running, completed, superseded
    }

    var jobId: UUID
    var tenantId: String
    var kind: Kind
    var targetId: UUID
    var targetVersion: Int64
    /// `activate`, `pause`, `update`, `segment-update`, `window`, `sweep`, `create`.
    var reason: String
    /// Whether users who newly match are enrolled (else recorded as ignored: no backfill).
    var enrollNew: Bool
    /// Whether users recorded as ignored earlier are enrolled too (a backfill, not a sweep).
    var enrollIgnored: Bool
    var status: Status
    var cursor: String?
    var total: Int
    var processed: Int
    var counts: JobCounts
    var createdAt: Date
    var startedAt: Date?
    var updatedAt: Date
    var finishedAt: Date?

    private enum CodingKeys: String, CodingKey {
        case jobId = "job_id", tenantId = "tenant_id", kind, targetId = "target_id", targetVersion = "target_version", reason
        case enrollNew = "enroll_new", enrollIgnored = "enroll_ignored", status, cursor, total, processed, counts, createdAt = "created_at", startedAt = "started_at"
        case updatedAt = "updated_at", finishedAt = "finished_at"
    }
}
