import Foundation

/// A bulk evaluation of all users of a tenant for one rule or segment, in steps of a page of
/// users; the cursor (last user id done) and counts are stored with each step, so a restarted
/// worker resumes where the last committed step ended. Rows decode with ``RowJSON``.
package struct Job: Sendable, Hashable, Decodable {
    package enum Kind: String, Sendable, Hashable, Codable {
        case rule, segment
    }

    package enum Status: String, Sendable, Hashable, Codable {
        case pending, running, completed, superseded
    }

    package var jobId: UUID
    package var tenantId: String
    package var kind: Kind
    package var targetId: UUID
    package var targetVersion: Int64
    /// `activate`, `pause`, `update`, `segment-update`, `window`, `sweep`, `create`.
    package var reason: String
    /// Whether users who newly match are enrolled (else recorded as ignored: no backfill).
    package var enrollNew: Bool
    /// Whether users recorded as ignored earlier are enrolled too (a backfill, not a sweep).
    package var enrollIgnored: Bool
    package var status: Status
    package var cursor: String?
    package var total: Int
    package var processed: Int
    package var counts: JobCounts
    package var createdAt: Date
    package var startedAt: Date?
    package var updatedAt: Date
    package var finishedAt: Date?
}
