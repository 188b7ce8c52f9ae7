import Contracts
import Foundation

/// A job as the API shows it.
package struct JobView: Encodable, Sendable {
    package var jobId: String
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
        jobId = job.jobId.lowercasedString
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
}
