import Contracts
import Foundation
import PostgresNIO
import ServicePlatform

/// Applies `lms.courses.v1`: keeps each course's completion policy and, when it changes (modules
/// added or removed, passing score changed), re-evaluates the course's incomplete enrollments, a
/// page at a time.
package struct CourseEventHandler: EventHandler {
    static let pageSize = 5_000

    let policies: CoursePolicyRepository
    let progress: ProgressRepository
    let engine: ProgressEngine
    let clock: any ServiceClock

    package func handle(_ events: [ConsumedEvent], on connection: PostgresConnection) async throws -> [EventRejection] {
        let batch = events.decode(CourseSettings.self)
        let settings = batch.payloads
        try await policies.lockForChange(settings, on: connection)
        let changed = try await policies.upsert(settings, on: connection)
        guard !changed.isEmpty else { return batch.rejections }
        let now = clock.now()
        var after: UUID?
        while true {
            let page = try await progress.incomplete(of: changed, after: after, limit: Self.pageSize, on: connection)
            guard let last = page.last else { break }
            var changes = ProgressEngine.Changes()
            changes.recompute = Set(page)
            try await engine.apply(changes, now: now, traceparent: events.last?.event.traceparent, on: connection)
            after = last
            if page.count < Self.pageSize { break }
        }
        return batch.rejections
    }
}
