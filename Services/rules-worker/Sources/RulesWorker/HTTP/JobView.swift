import Foundation
import Hummingbird

/// A job as the API shows it.
package struct JobView: Encodable, Sendable {
    package var jobId: UUID
    package var kind: String
    package var reason: String
    package var status: String
    package var processed: Int
    package var total: Int
    /// Share of the tenant's users processed (0...1).
    package var progress: Double
    package var counts: JobCounts
    package var createdAt: Date
    package var startedAt: Date?
    package var finishedAt: Date?

    package init(_ job: Job) {
        jobId = job.jobId
        kind = job.kind.rawValue
        reason = job.reason
        status = job.status.rawValue
        processed = job.processed
        total = job.total
        progress = job.status == .completed ? 1 : (job.total == 0 ? 0 : min(1, Double(job.processed) / Double(job.total)))
        counts = job.counts
        createdAt = job.createdAt
        startedAt = job.startedAt
        finishedAt = job.finishedAt
    }

    private enum CodingKeys: String, CodingKey {
        case jobId, kind, reason, status, processed, total, progress, counts, createdAt, startedAt, finishedAt
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(jobId.uuidString.lowercased(), forKey: .jobId)
        try container.encode(kind, forKey: .kind)
        try container.encode(reason, forKey: .reason)
        try container.encode(status, forKey: .status)
        try container.encode(processed, forKey: .processed)
        try container.encode(total, forKey: .total)
        try container.encode(progress, forKey: .progress)
        try container.encode(counts, forKey: .counts)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encodeIfPresent(startedAt, forKey: .startedAt)
        try container.encodeIfPresent(finishedAt, forKey: .finishedAt)
    }
}
