import Contracts
import Segments

/// The SQL that finds, for a page of users, whose membership of a segment changes.
package struct MembershipQuery {
    package var segment: Segment
    package var criteria: CompiledCriteria
    package var today: CalendarDate

    /// Rows `(user_id, member, version)` for the users in `(after, upTo]` whose membership differs
    /// from the stored one (`member` is the new value, `version` the stored one or 0), locked
    /// `FOR SHARE` against concurrent consumer writes.
    package func step(after: String?, upTo: String) -> DynamicQuery {
        var query = DynamicQuery()
        let tenant = query.bind(segment.tenantId)
        let segmentId = query.bind(segment.segmentId)
        let lower = query.bind(after)
        let upper = query.bind(upTo)
        let matches = query.criteria(criteria, today: today)
        query.append(
            """
            WITH u AS (
                SELECT user_id, \(matches) AS m FROM users
                WHERE tenant_id = \(tenant)::text AND status <> 'erased'
                  AND user_id > COALESCE(\(lower)::text, '') AND user_id <= \(upper)::text
                ORDER BY user_id FOR SHARE
            )
            SELECT u.user_id, u.m, COALESCE(s.version, 0)::int8 FROM u
            LEFT JOIN segment_memberships s ON s.tenant_id = \(tenant)::text AND s.segment_id = \(segmentId)::uuid AND s.user_id = u.user_id
            WHERE u.m IS DISTINCT FROM COALESCE(s.member, FALSE)
            ORDER BY u.user_id
            """)
        return query
    }
}
