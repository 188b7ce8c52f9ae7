import Contracts
import Foundation
import Segments
import ServicePlatform

/// The admin operations on segments: each change and the job it opens commit together.
package struct SegmentCatalog: Sendable {
    let database: ServiceDatabase
    let repositories: RulesRepositories
    let clock: any ServiceClock
    /// Wakes the job runner when a change opens a job.
    let jobOpened: WakeupSignal

    /// Users in a preview's sample.
    package static let sampleSize = 20

    package func create(tenantId: String, name: String, description: String?, criteria: Criteria) async throws -> (segment: Segment, job: Job?) {
        let now = clock.now()
        let segment = Segment(
            tenantId: tenantId, segmentId: UUID(), name: name, description: description, criteria: criteria, version: 1, createdAt: now,
            updatedAt: now)
        let job = try await database.whenReadyTransaction { connection in
            try await repositories.segments.save(segment, on: connection)
            return try await repositories.jobs.create(
                tenantId: tenantId, kind: .segment, targetId: segment.segmentId, targetVersion: 1, reason: "create", enrollNew: false, now: now,
                on: connection)
        }
        jobOpened.signal()
        return (segment, job)
    }

    /// Replaces a segment's definition; a changed definition bumps the version and re-evaluates the
    /// memberships and the active rules that use the segment.
    package func update(
        tenantId: String, segmentId: UUID, name: String, description: String?, criteria: Criteria
    ) async throws -> (segment: Segment, job: Job?) {
        let now = clock.now()
        let updated: (segment: Segment, job: Job?) = try await database.whenReadyTransaction { connection in
            guard var segment = try await repositories.segments.find(tenantId: tenantId, segmentId: segmentId, forUpdate: true, on: connection) else {
                throw RulesError.segmentNotFound(segmentId)
            }
            guard segment.name != name || segment.description != description || segment.criteria != criteria else {
                return (segment, try await repositories.jobs.latest(tenantId: tenantId, targetId: segmentId, on: connection))
            }
            let criteriaChanged = segment.criteria != criteria
            segment.name = name
            segment.description = description
            segment.criteria = criteria
            segment.version += 1
            segment.updatedAt = now
            try await repositories.segments.save(segment, on: connection)
            guard criteriaChanged else {
                return (segment, try await repositories.jobs.latest(tenantId: tenantId, targetId: segmentId, on: connection))
            }
            let job = try await repositories.jobs.create(
                tenantId: tenantId, kind: .segment, targetId: segmentId, targetVersion: segment.version, reason: "update", enrollNew: false,
                now: now, on: connection)
            for rule in try await repositories.rules.activeUsing(tenantId: tenantId, segmentId: segmentId, on: connection) {
                _ = try await repositories.jobs.create(
                    tenantId: tenantId, kind: .rule, targetId: rule.ruleId, targetVersion: rule.version, reason: "segment-update",
                    enrollNew: rule.backfill, enrollIgnored: rule.backfill, now: now, on: connection)
            }
            return (segment, job)
        }
        jobOpened.signal()
        return updated
    }

    package func segment(tenantId: String, segmentId: UUID) async throws -> (segment: Segment, job: Job?) {
        try await database.whenReady { connection in
            guard let segment = try await repositories.segments.find(tenantId: tenantId, segmentId: segmentId, on: connection) else {
                throw RulesError.segmentNotFound(segmentId)
            }
            return (segment, try await repositories.jobs.latest(tenantId: tenantId, targetId: segmentId, on: connection))
        }
    }

    package func exists(tenantId: String, segmentId: UUID) async throws -> Bool {
        try await database.whenReady { connection in
            try await repositories.segments.find(tenantId: tenantId, segmentId: segmentId, on: connection) != nil
        }
    }

    /// Count and first users matching `criteria` now, evaluated in PostgreSQL over the projection.
    package func preview(tenantId: String, criteria: Criteria) async throws -> SegmentPreview {
        let compiled = CompiledCriteria(criteria)
        let today = CalendarDate(clock.now())
        return try await database.whenReady { connection in
            let counts = try await repositories.users.countMatching(tenantId: tenantId, criteria: compiled, today: today, on: connection)
            let sample = try await repositories.users.matching(
                tenantId: tenantId, criteria: compiled, today: today, after: nil, limit: Self.sampleSize, on: connection)
            return SegmentPreview(evaluated: counts.evaluated, count: counts.matching, sample: sample)
        }
    }

    /// The users matching a segment now (evaluated live over the projection), by user id after `after`.
    package func members(tenantId: String, segmentId: UUID, after: String?, limit: Int) async throws -> [SegmentMember] {
        let today = CalendarDate(clock.now())
        return try await database.whenReady { connection in
            guard let segment = try await repositories.segments.find(tenantId: tenantId, segmentId: segmentId, on: connection) else {
                throw RulesError.segmentNotFound(segmentId)
            }
            return try await repositories.users.matching(
                tenantId: tenantId, criteria: CompiledCriteria(segment.criteria), today: today, after: after, limit: limit, on: connection)
        }
    }

    /// A tenant's segments ordered by (name, id), after the given position.
    package func list(tenantId: String, after: (name: String, id: UUID)?, limit: Int) async throws -> [Segment] {
        try await database.whenReady { connection in
            try await repositories.segments.list(tenantId: tenantId, after: after, limit: limit, on: connection)
        }
    }
}
