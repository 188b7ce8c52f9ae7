import Contracts
import Foundation
import Logging
import PostgresNIO
import ServicePlatform

/// Rule matches, exclusions and segment memberships of users.
package struct MatchRepository: Sendable {
    package let logger: Logger

    /// Every stored rule decision about `users`.
    package func matches(of users: [UserKey], on connection: PostgresConnection) async throws -> [MatchKey: MatchRecord] {
        guard !users.isEmpty else { return [:] }
        let rows = try await connection.query(
            """
            SELECT m.tenant_id, m.rule_id, m.user_id, m.course_id, m.state, m.rule_version, m.seq
            FROM rule_matches m JOIN unnest(\(users.map(\.tenantId))::text[], \(users.map(\.userId))::text[]) AS k(tenant_id, user_id)
              ON m.tenant_id = k.tenant_id AND m.user_id = k.user_id
            """, logger: logger)
        var records: [MatchKey: MatchRecord] = [:]
        for try await (tenant, rule, user, course, state, version, seq) in rows.decode((String, UUID, String, String, String, Int64, Int32).self) {
            let key = MatchKey(tenantId: tenant, ruleId: rule, userId: user, courseId: course)
            records[key] = MatchRecord(key: key, state: MatchState(rawValue: state) ?? .unmatched, ruleVersion: version, seq: Int(seq))
        }
        return records
    }

    /// The (user, course) pairs of `users` an admin withdrew by hand from a rule enrollment.
    package func exclusions(of users: [UserKey], on connection: PostgresConnection) async throws -> Set<ExclusionKey> {
        guard !users.isEmpty else { return [] }
        let rows = try await connection.query(
            """
            SELECT x.tenant_id, x.user_id, x.course_id
            FROM exclusions x JOIN unnest(\(users.map(\.tenantId))::text[], \(users.map(\.userId))::text[]) AS k(tenant_id, user_id)
              ON x.tenant_id = k.tenant_id AND x.user_id = k.user_id
            """, logger: logger)
        var keys = Set<ExclusionKey>()
        for try await (tenant, user, course) in rows.decode((String, String, String).self) {
            keys.insert(ExclusionKey(tenantId: tenant, userId: user, courseId: course))
        }
        return keys
    }

    /// The segment memberships of `users`.
    package func memberships(of users: [UserKey], on connection: PostgresConnection) async throws -> [MembershipKey: MembershipRecord] {
        guard !users.isEmpty else { return [:] }
        let rows = try await connection.query(
            """
            SELECT s.tenant_id, s.segment_id, s.user_id, s.member, s.version
            FROM segment_memberships s JOIN unnest(\(users.map(\.tenantId))::text[], \(users.map(\.userId))::text[]) AS k(tenant_id, user_id)
              ON s.tenant_id = k.tenant_id AND s.user_id = k.user_id
            """, logger: logger)
        var records: [MembershipKey: MembershipRecord] = [:]
        for try await (tenant, segment, user, member, version) in rows.decode((String, UUID, String, Bool, Int64).self) {
            let record = MembershipRecord(tenantId: tenant, segmentId: segment, userId: user, member: member, version: version)
            records[MembershipKey(tenantId: tenant, segmentId: segment, userId: user)] = record
        }
        return records
    }

    package func saveMatches(_ records: [MatchRecord], now: Date, on connection: PostgresConnection) async throws {
        guard !records.isEmpty else { return }
        try await connection.query(
            """
            INSERT INTO rule_matches (tenant_id, rule_id, user_id, course_id, state, rule_version, seq, updated_at)
            SELECT t, r, u, c, s, v, q, \(now)
            FROM unnest(\(records.map(\.key.tenantId))::text[], \(records.map(\.key.ruleId))::uuid[], \(records.map(\.key.userId))::text[],
                        \(records.map(\.key.courseId))::text[], \(records.map(\.state.rawValue))::text[], \(records.map(\.ruleVersion))::int8[],
                        \(records.map { Int32($0.seq) })::int4[]) AS x(t, r, u, c, s, v, q)
            ON CONFLICT (tenant_id, rule_id, user_id, course_id) DO UPDATE SET
                state = EXCLUDED.state, rule_version = EXCLUDED.rule_version, seq = EXCLUDED.seq, updated_at = EXCLUDED.updated_at
            """, logger: logger)
    }

    package func saveMemberships(_ records: [MembershipRecord], now: Date, on connection: PostgresConnection) async throws {
        guard !records.isEmpty else { return }
        try await connection.query(
            """
            INSERT INTO segment_memberships (tenant_id, segment_id, user_id, member, version, changed_at)
            SELECT t, s, u, m, v, \(now)
            FROM unnest(\(records.map(\.tenantId))::text[], \(records.map(\.segmentId))::uuid[], \(records.map(\.userId))::text[],
                        \(records.map(\.member))::boolean[], \(records.map(\.version))::int8[]) AS x(t, s, u, m, v)
            ON CONFLICT (tenant_id, segment_id, user_id) DO UPDATE SET
                member = EXCLUDED.member, version = EXCLUDED.version, changed_at = EXCLUDED.changed_at
            """, logger: logger)
    }

    /// Forgets everything about erased users: matches, exclusions and memberships. Returns the
    /// memberships they held (so their end can be announced).
    package func erase(_ users: [UserKey], on connection: PostgresConnection) async throws -> [MembershipRecord] {
        guard !users.isEmpty else { return [] }
        let tenants = users.map(\.tenantId)
        let ids = users.map(\.userId)
        try await connection.query(
            """
            DELETE FROM rule_matches m USING unnest(\(tenants)::text[], \(ids)::text[]) AS k(tenant_id, user_id)
            WHERE m.tenant_id = k.tenant_id AND m.user_id = k.user_id
            """, logger: logger)
        try await connection.query(
            """
            DELETE FROM exclusions x USING unnest(\(tenants)::text[], \(ids)::text[]) AS k(tenant_id, user_id)
            WHERE x.tenant_id = k.tenant_id AND x.user_id = k.user_id
            """, logger: logger)
        let rows = try await connection.query(
            """
            DELETE FROM segment_memberships s USING unnest(\(tenants)::text[], \(ids)::text[]) AS k(tenant_id, user_id)
            WHERE s.tenant_id = k.tenant_id AND s.user_id = k.user_id
            RETURNING s.tenant_id, s.segment_id, s.user_id, s.member, s.version
            """, logger: logger)
        var held: [MembershipRecord] = []
        for try await (tenant, segment, user, member, version) in rows.decode((String, UUID, String, Bool, Int64).self) where member {
            held.append(MembershipRecord(tenantId: tenant, segmentId: segment, userId: user, member: member, version: version))
        }
        return held
    }

    /// Records manual withdrawals of rule enrollments; an existing exclusion is kept.
    package func addExclusions(_ exclusions: [Exclusion], now: Date, on connection: PostgresConnection) async throws {
        guard !exclusions.isEmpty else { return }
        try await connection.query(
            """
            INSERT INTO exclusions (tenant_id, user_id, course_id, rule_id, enrollment_id, actor, reason, created_at)
            SELECT t, u, c, NULLIF(r, '')::uuid, e, a, NULLIF(w, ''), \(now)
            FROM unnest(\(exclusions.map(\.key.tenantId))::text[], \(exclusions.map(\.key.userId))::text[],
                        \(exclusions.map(\.key.courseId))::text[], \(exclusions.map { $0.ruleId?.lowercasedString ?? "" })::text[],
                        \(exclusions.map(\.enrollmentId))::uuid[], \(exclusions.map(\.actor))::text[],
                        \(exclusions.map { $0.reason ?? "" })::text[]) AS x(t, u, c, r, e, a, w)
            ON CONFLICT (tenant_id, user_id, course_id) DO NOTHING
            """, logger: logger)
    }

    /// The decisions of a job step: `(user, course, action, seq)` for the active users in `(after, upTo]`
    /// that `query` gives an action, locked against concurrent consumer writes.
    package func decisions(
        _ query: ReconcileQuery, after: String?, upTo: String, on connection: PostgresConnection
    ) async throws -> [(userId: String, courseId: String, action: MatchAction, seq: Int)] {
        let rows = try await connection.query(query.step(after: after, upTo: upTo).query, logger: logger)
        var decisions: [(userId: String, courseId: String, action: MatchAction, seq: Int)] = []
        for try await (user, course, action, seq) in rows.decode((String, String, String, Int32).self) {
            guard let action = MatchAction(rawValue: action) else { continue }
            decisions.append((user, course, action, Int(seq)))
        }
        return decisions
    }

    /// What `query` would do over the whole tenant, with up to `sampleSize` samples per action.
    package func summary(_ query: ReconcileQuery, sampleSize: Int, on connection: PostgresConnection) async throws -> ReconcileSummary {
        let rows = try await connection.query(query.summary(sampleSize: sampleSize).query, logger: logger)
        var summary = ReconcileSummary()
        for try await (evaluated, matching, totals, samples) in rows.decode((Int64, Int64, String, String).self) {
            summary.evaluated = Int(evaluated)
            summary.matching = Int(matching)
            summary.totals = try DatabaseJSON.decode([ReconcileSummary.Total].self, from: totals)
            summary.samples = try DatabaseJSON.decode([ReconcileSummary.Sample].self, from: samples)
        }
        return summary
    }

    /// The users in `(after, upTo]` whose membership of the segment changes: the new value and the
    /// stored version (0 when none), locked against concurrent consumer writes.
    package func membershipChanges(
        _ query: MembershipQuery, after: String?, upTo: String, on connection: PostgresConnection
    ) async throws -> [(userId: String, member: Bool, version: Int64)] {
        let rows = try await connection.query(query.step(after: after, upTo: upTo).query, logger: logger)
        var changes: [(userId: String, member: Bool, version: Int64)] = []
        for try await (user, member, version) in rows.decode((String, Bool, Int64).self) {
            changes.append((user, member, version))
        }
        return changes
    }
}
