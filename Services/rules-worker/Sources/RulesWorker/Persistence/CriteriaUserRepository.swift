import Contracts
import Foundation
import Logging
import PostgresNIO
import Segments
import ServicePlatform

/// The `users` table: the projection of `lms.users.v1` that criteria are evaluated over.
package struct CriteriaUserRepository: Sendable {
    package let logger: Logger

    /// The stored users among `keys`, locked for update (in key order, so concurrent writers of the
    /// same users cannot deadlock).
    package func lock(_ keys: [UserKey], on connection: PostgresConnection) async throws -> [UserKey: ProjectedUser] {
        guard !keys.isEmpty else { return [:] }
        let sorted = keys.sorted()
        let rows = try await connection.query(
            """
            SELECT u.tenant_id, u.user_id, u.version, u.status, u.raw::text
            FROM users u JOIN unnest(\(sorted.map(\.tenantId))::text[], \(sorted.map(\.userId))::text[]) AS k(tenant_id, user_id)
              ON u.tenant_id = k.tenant_id AND u.user_id = k.user_id
            ORDER BY u.tenant_id, u.user_id
            FOR UPDATE OF u
            """, logger: logger)
        var users: [UserKey: ProjectedUser] = [:]
        for try await (tenant, user, version, status, raw) in rows.decode((String, String, Int64, String, String).self) {
            let stored = ProjectedUser(
                tenantId: tenant, userId: user, version: version, status: UserStatus(rawValue: status) ?? .active,
                raw: try JSONValue.object(parsing: raw))
            users[stored.key] = stored
        }
        return users
    }

    /// Writes `users` (profile and readings) with one statement.
    package func upsert(_ users: [ProjectedUser], now: Date, on connection: PostgresConnection) async throws {
        guard !users.isEmpty else { return }
        let sorted = users.sorted { $0.key < $1.key }
        var raws: [String] = []
        var texts: [String] = []
        var folded: [String] = []
        var numbers: [String] = []
        var bools: [String] = []
        var days: [String] = []
        for user in sorted {
            let values = user.values
            raws.append(try DatabaseJSON.text(values.raw))
            texts.append(try DatabaseJSON.text(values.text))
            folded.append(try DatabaseJSON.text(values.folded))
            numbers.append(try DatabaseJSON.text(values.number))
            bools.append(try DatabaseJSON.text(values.bool))
            days.append(try DatabaseJSON.text(values.day))
        }
        try await connection.query(
            """
            INSERT INTO users (tenant_id, user_id, version, status, raw, v_text, v_folded, v_number, v_bool, v_day, updated_at)
            SELECT t, u, v, s, r::jsonb, vt::jsonb, vf::jsonb, vn::jsonb, vb::jsonb, vd::jsonb, \(now)
            FROM unnest(\(sorted.map(\.tenantId))::text[], \(sorted.map(\.userId))::text[], \(sorted.map(\.version))::int8[],
                        \(sorted.map(\.status.rawValue))::text[], \(raws)::text[], \(texts)::text[], \(folded)::text[],
                        \(numbers)::text[], \(bools)::text[], \(days)::text[]) AS x(t, u, v, s, r, vt, vf, vn, vb, vd)
            ON CONFLICT (tenant_id, user_id) DO UPDATE SET
                version = EXCLUDED.version, status = EXCLUDED.status, raw = EXCLUDED.raw, v_text = EXCLUDED.v_text,
                v_folded = EXCLUDED.v_folded, v_number = EXCLUDED.v_number, v_bool = EXCLUDED.v_bool, v_day = EXCLUDED.v_day,
                updated_at = EXCLUDED.updated_at
            """, logger: logger)
    }

    /// The readings of `userIds` of a tenant (users missing or erased are left out).
    package func values(tenantId: String, userIds: [String], on connection: PostgresConnection) async throws -> [String: SubjectValues] {
        guard !userIds.isEmpty else { return [:] }
        let rows = try await connection.query(
            """
            SELECT user_id, raw::text FROM users
            WHERE tenant_id = \(tenantId) AND user_id = ANY(\(userIds)::text[]) AND status <> 'erased'
            """, logger: logger)
        var values: [String: SubjectValues] = [:]
        for try await (user, raw) in rows.decode((String, String).self) {
            values[user] = SubjectValues(raw: try JSONValue.object(parsing: raw))
        }
        return values
    }

    /// How many users (erased ones excluded) a tenant has.
    package func count(tenantId: String, on connection: PostgresConnection) async throws -> Int {
        let rows = try await connection.query(
            "SELECT count(*)::int8 FROM users WHERE tenant_id = \(tenantId) AND status <> 'erased'", logger: logger)
        for try await count in rows.decode(Int64.self) { return Int(count) }
        return 0
    }

    /// How many users of a tenant (erased ones excluded) `criteria` were evaluated for and how many match at `today`.
    package func countMatching(
        tenantId: String, criteria: CompiledCriteria, today: CalendarDate, on connection: PostgresConnection
    ) async throws -> (evaluated: Int, matching: Int) {
        var count = DynamicQuery()
        let tenant = count.bind(tenantId)
        let matches = count.criteria(criteria, today: today)
        count.append(
            """
            SELECT count(*) FILTER (WHERE m)::int8, count(*)::int8
            FROM (SELECT \(matches) AS m FROM users WHERE tenant_id = \(tenant)::text AND status <> 'erased') evaluated
            """)
        var evaluated = 0
        var matching = 0
        for try await (hits, all) in try await connection.query(count.query, logger: logger).decode((Int64, Int64).self) {
            matching = Int(hits)
            evaluated = Int(all)
        }
        return (evaluated, matching)
    }

    /// The users of a tenant (erased ones excluded) matching `criteria` at `today`, by user id after `after`.
    package func matching(
        tenantId: String, criteria: CompiledCriteria, today: CalendarDate, after: String?, limit: Int, on connection: PostgresConnection
    ) async throws -> [SegmentMember] {
        var query = DynamicQuery()
        let tenant = query.bind(tenantId)
        let cursor = query.bind(after)
        let matches = query.criteria(criteria, today: today)
        query.append(
            """
            SELECT raw::text FROM users
            WHERE tenant_id = \(tenant)::text AND status <> 'erased' AND user_id > COALESCE(\(cursor)::text, '') AND \(matches)
            ORDER BY user_id LIMIT \(query.bind(limit))
            """)
        var members: [SegmentMember] = []
        for try await raw in try await connection.query(query.query, logger: logger).decode(String.self) {
            members.append(try DatabaseJSON.decode(SegmentMember.self, from: raw))
        }
        return members
    }
}
