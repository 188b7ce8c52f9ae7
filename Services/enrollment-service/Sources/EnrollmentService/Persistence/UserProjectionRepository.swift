import Contracts
import Foundation
import Logging
import PostgresNIO
import ServicePlatform

/// The `users` projection of `lms.users.v1`: each user's status and the profile fields
/// self-enrollment checks. Stale events (lower versions) change nothing.
package struct UserProjectionRepository: Sendable {
    let logger: Logger

    /// A projected user.
    package struct ProjectedUser: Sendable, Equatable {
        package var status: UserStatus
        /// Profile fields by their contract name (`department`, `hireDate`, `attributes.<name>` under `attributes`).
        package var profile: [String: JSONValue]
    }

    package func statuses(of users: some Collection<UserKey>, on connection: PostgresConnection) async throws -> [UserKey: UserStatus] {
        guard !users.isEmpty else { return [:] }
        let tenants = users.map(\.tenantId)
        let ids = users.map(\.userId)
        let rows = try await connection.query(
            """
            SELECT u.tenant_id, u.user_id, u.status FROM users u
            JOIN (SELECT DISTINCT * FROM unnest(\(tenants)::text[], \(ids)::text[])) AS k(tenant_id, user_id)
              ON u.tenant_id = k.tenant_id AND u.user_id = k.user_id
            """,
            logger: logger
        )
        var result: [UserKey: UserStatus] = [:]
        for try await (tenant, user, status) in rows.decode((String, String, String).self) {
            result[UserKey(tenantId: tenant, userId: user)] = UserStatus(rawValue: status) ?? .deactivated
        }
        return result
    }

    package func find(_ user: UserKey, on connection: PostgresConnection) async throws -> ProjectedUser? {
        let rows = try await connection.query(
            "SELECT status, profile::text FROM users WHERE tenant_id = \(user.tenantId) AND user_id = \(user.userId)",
            logger: logger
        )
        for try await (status, profile) in rows.decode((String, String).self) {
            let fields = try JSONValue.object(parsing: profile)
            return ProjectedUser(status: UserStatus(rawValue: status) ?? .deactivated, profile: fields)
        }
        return nil
    }

    /// Applies `lms.user.upserted` snapshots (the newest per user wins; older ones are ignored).
    /// The status of a snapshot does not override a newer lifecycle event.
    package func upsert(_ snapshots: [UserSnapshot], now: Date, on connection: PostgresConnection) async throws {
        guard !snapshots.isEmpty else { return }
        let newest = snapshots.newestByVersion(key: { UserKey(tenantId: $0.tenantId, userId: $0.userId) }, version: \.version)
        let profiles = try newest.map { try DatabaseJSON.text(Self.profile(of: $0)) }
        try await connection.query(
            """
            INSERT INTO users AS u (tenant_id, user_id, status, profile, version, lifecycle_version, updated_at)
            SELECT r.tenant_id, r.user_id, r.status, r.profile::jsonb, r.version, 0, \(now)
            FROM unnest(\(newest.map(\.tenantId))::text[], \(newest.map(\.userId))::text[], \(newest.map(\.status.rawValue))::text[],
                        \(profiles)::text[], \(newest.map(\.version))::bigint[]) AS r(tenant_id, user_id, status, profile, version)
            ON CONFLICT (tenant_id, user_id) DO UPDATE SET
                profile = EXCLUDED.profile,
                status = CASE WHEN EXCLUDED.version > u.lifecycle_version THEN EXCLUDED.status ELSE u.status END,
                version = EXCLUDED.version,
                updated_at = EXCLUDED.updated_at
            WHERE u.version < EXCLUDED.version
            """,
            logger: logger
        )
    }

    /// Records lifecycle events (one per user) and returns the users for which the event is new
    /// (its version above the last lifecycle version seen): only those get enrollment reactions.
    /// `erased` also wipes the stored profile.
    package func applyLifecycle(
        _ events: [(event: UserLifecycleEvent, status: UserStatus)],
        now: Date,
        on connection: PostgresConnection
    ) async throws -> Set<UserKey> {
        guard !events.isEmpty else { return [] }
        let tenants = events.map(\.event.tenantId)
        let users = events.map(\.event.userId)
        let statuses = events.map(\.status.rawValue)
        let versions = events.map(\.event.version)
        let rows = try await connection.query(
            """
            INSERT INTO users AS u (tenant_id, user_id, status, profile, version, lifecycle_version, updated_at)
            SELECT k.tenant_id, k.user_id, k.status, '{}'::jsonb, 0, k.version, \(now)
            FROM unnest(\(tenants)::text[], \(users)::text[], \(statuses)::text[], \(versions)::bigint[]) AS k(tenant_id, user_id, status, version)
            ON CONFLICT (tenant_id, user_id) DO UPDATE SET
                status = EXCLUDED.status,
                lifecycle_version = EXCLUDED.lifecycle_version,
                profile = CASE WHEN EXCLUDED.status = 'erased' THEN '{}'::jsonb ELSE u.profile END,
                updated_at = EXCLUDED.updated_at
            WHERE u.lifecycle_version < EXCLUDED.lifecycle_version
            RETURNING u.tenant_id, u.user_id
            """,
            logger: logger
        )
        var applied = Set<UserKey>()
        for try await (tenant, user) in rows.decode((String, String).self) {
            applied.insert(UserKey(tenantId: tenant, userId: user))
        }
        return applied
    }

    /// The profile fields a course may require of a snapshot's user (none of an erased one).
    private static func profile(of snapshot: UserSnapshot) -> [String: JSONValue] {
        guard snapshot.status != .erased else { return [:] }
        var fields: [String: JSONValue] = [:]
        fields["email"] = snapshot.email.map(JSONValue.string)
        fields["givenName"] = snapshot.givenName.map(JSONValue.string)
        fields["familyName"] = snapshot.familyName.map(JSONValue.string)
        fields["jobRole"] = snapshot.jobRole.map(JSONValue.string)
        fields["department"] = snapshot.department.map(JSONValue.string)
        fields["location"] = snapshot.location.map(JSONValue.string)
        fields["hireDate"] = snapshot.hireDate.map { JSONValue.string($0.description) }
        fields["managerId"] = snapshot.managerId.map(JSONValue.string)
        if !snapshot.attributes.isEmpty {
            fields["attributes"] = .object(snapshot.attributes.mapValues(JSONValue.init))
        }
        return fields
    }

}
