import Contracts
import Foundation
import Logging
import PostgresNIO
import ServicePlatform

/// Publishes report snapshots to the compacted report topics, coalesced: handlers only mark
/// report keys dirty (in their batch transaction); every `interval` this service reads the dirty
/// keys, computes their snapshots set-based, enqueues them through the outbox and clears the keys
/// not marked again meanwhile, all in one transaction. A burst of events thus yields one snapshot
/// per key per interval, and since a change committed after the read leaves its key dirty, the
/// last snapshot of a key is never older than its data.
///
/// Each tick also marks the keys of enrollments whose due date passed since the previous tick
/// (they became overdue without an event), and every `fullRepublishInterval` marks every key, so
/// an analyst starting on a compacted topic can read the whole state. One replica publishes at a
/// time (the singleton lock `report-publisher`).
package struct ReportPublisher: Sendable {
    let database: ServiceDatabase
    let reports: ReportRepository
    let publication: PublicationRepository
    let clock: any ServiceClock
    let interval: Duration
    let fullRepublishInterval: Duration
    let eventSource: String
    let logger: Logger
    /// Largest number of dirty keys one tick publishes; the rest wait for the next tick.
    let maxKeysPerTick = 20_000
    static let singleton = "report-publisher"

    /// A tick every `interval`. A tick recomputes whole courses: when that gets expensive (a course
    /// of hundreds of thousands during a backfill), ticks space out so publishing takes at most a
    /// third of the time, and the consumers keep the database for themselves.
    package func service() -> PeriodicService {
        PeriodicService(
            name: "Report publication",
            interval: interval,
            database: database,
            logger: logger,
            pause: .atLeast(timesTheTick: 2),
            singleton: Self.singleton
        ) { connection in
            _ = try await publish(on: connection)
        }
    }

    /// One tick: returns the number of snapshots enqueued (0 when another replica holds the lock).
    @discardableResult
    package func publishOnce() async throws -> Int {
        try await database.transaction(singleton: Self.singleton) { connection in
            try await publish(on: connection)
        } ?? 0
    }

    /// Takes the dirty keys and enqueues their snapshots, in the transaction holding the singleton lock.
    private func publish(on connection: PostgresConnection) async throws -> Int {
        let now = clock.now()
        try await markScheduled(now: now, on: connection)
        let dirty = try await publication.dirtyKeys(limit: maxKeysPerTick, on: connection)
        guard !dirty.isEmpty else { return 0 }
        let (courses, groups) = publication.reports(of: dirty)
        let summaries = try await reports.summaries(courses, asOf: now, on: connection)
        let compliance = try await reports.compliance(groups, asOf: now, on: connection)
        var events: [OutboxEvent] = []
        for summary in summaries {
            events.append(try OutboxEvent(summary, topic: .courseSummaryReports, source: eventSource, time: now))
        }
        for row in compliance {
            events.append(try OutboxEvent(row, topic: .complianceReports, source: eventSource, time: now))
        }
        try await Outbox.enqueue(events, on: connection, logger: logger)
        try await publication.clear(dirty, on: connection)
        return events.count
    }

    /// Marks keys whose enrollments passed their due date since the last sweep, and everything
    /// when a full re-publish is due.
    private func markScheduled(now: Date, on connection: PostgresConnection) async throws {
        let state = try await publication.lockState(on: connection)
        let fullSeconds = Double(fullRepublishInterval.components.seconds)
        let full = state.fullPublishAt.map { now.timeIntervalSince($0) >= fullSeconds } ?? true
        if full {
            try await publication.markAllDirty(on: connection)
        } else if let sweptUntil = state.sweptUntil, sweptUntil < now {
            try await publication.markDueDirty(after: sweptUntil, upTo: now, on: connection)
        }
        try await publication.recordTick(now: now, full: full, on: connection)
    }
}
