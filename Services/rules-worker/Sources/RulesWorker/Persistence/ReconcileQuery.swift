import Contracts
import Segments

/// The SQL that decides, for many users at once, what a rule does for each (user, course): the
/// translated criteria over the projection, joined with the stored matches and exclusions, through
/// the transition table of ``MatchAction/decide(state:wanted:excluded:enrollNew:enrollIgnored:)``.
///
/// Job steps use it over one page of users (locked against concurrent consumer writes); rule
/// previews use it over the whole tenant, so a preview counts exactly what activation then does.
package struct ReconcileQuery {
    package var rule: Rule
    package var criteria: CompiledCriteria
    package var inEffect: Bool
    package var enrollNew: Bool
    /// A backfill: users recorded as ignored are enrolled too.
    package var enrollIgnored: Bool
    package var today: CalendarDate

    package init(rule: Rule, criteria: CompiledCriteria, inEffect: Bool, enrollNew: Bool, enrollIgnored: Bool, today: CalendarDate) {
        self.rule = rule
        self.criteria = criteria
        self.inEffect = inEffect
        self.enrollNew = enrollNew
        self.enrollIgnored = enrollIgnored
        self.today = today
    }

    /// Rows `(user_id, course_id, action, seq)` with an action, for the active users in
    /// `(after, upTo]`, locked `FOR SHARE`; ordered by user and course.
    package func step(after: String?, upTo: String) -> DynamicQuery {
        var query = DynamicQuery()
        let after = query.bind(after)
        let upTo = query.bind(upTo)
        let range = { (column: String) in "\(column) > COALESCE(\(after)::text, '') AND \(column) <= \(upTo)::text" }
        query.append(decided(&query, userFilter: range("user_id"), matchFilter: range("r.user_id"), lock: true))
        query.append(" SELECT user_id, course_id, action, seq FROM decided WHERE action IS NOT NULL ORDER BY user_id, course_id")
        return query
    }

    /// One row: users evaluated, users matching, `[{action, pairs, users}]` and up to `sampleSize`
    /// samples per action `[{action, userId, courseId}]` (JSON texts).
    package func summary(sampleSize: Int) -> DynamicQuery {
        var query = DynamicQuery()
        query.append(decided(&query, userFilter: "TRUE", matchFilter: "TRUE", lock: false))
        let limit = query.bind(sampleSize)
        query.append(
            """
            , acted AS (SELECT * FROM decided WHERE action IS NOT NULL)
            SELECT (SELECT count(*) FROM u)::int8, (SELECT count(*) FROM u WHERE m)::int8,
                (SELECT COALESCE(jsonb_agg(jsonb_build_object('action', action, 'pairs', pairs, 'users', users)), '[]'::jsonb)
                 FROM (SELECT action, count(*) AS pairs, count(DISTINCT user_id) AS users FROM acted GROUP BY action) a)::text,
                (SELECT COALESCE(jsonb_agg(jsonb_build_object('action', action, 'userId', user_id, 'courseId', course_id)
                                           ORDER BY action, user_id, course_id), '[]'::jsonb)
                 FROM (SELECT action, user_id, course_id,
                              row_number() OVER (PARTITION BY action ORDER BY user_id, course_id) AS n FROM acted) s
                 WHERE n <= \(limit))::text
            """)
        return query
    }

    /// The common table expressions `u` (users with `m`, the criteria result), `pairs` (user ×
    /// course, plus stored matches of courses the rule no longer lists) and `decided` (with `action`).
    /// `matchFilter` repeats `userFilter` on the stored matches (`r`), so that a page reads only
    /// its own users' matches through the index instead of hashing every match of the rule.
    private func decided(_ query: inout DynamicQuery, userFilter: String, matchFilter: String, lock: Bool) -> String {
        let tenant = query.bind(rule.tenantId)
        let ruleId = query.bind(rule.ruleId)
        let courses = query.bind(rule.courseIds)
        let inEffect = query.bind(inEffect)
        let enrollNew = query.bind(enrollNew)
        let enrollIgnored = query.bind(enrollIgnored)
        let matches = query.criteria(criteria, today: today)
        let locking = lock ? "ORDER BY user_id FOR SHARE" : ""
        return """
            WITH u AS (
                SELECT user_id, \(matches) AS m FROM users
                WHERE tenant_id = \(tenant)::text AND status = 'active' AND \(userFilter) \(locking)
            ), pairs AS (
                SELECT u.user_id, c.course_id, (u.m AND \(inEffect)::boolean) AS wanted
                FROM u CROSS JOIN unnest(\(courses)::text[]) AS c(course_id)
                UNION ALL
                SELECT r.user_id, r.course_id, FALSE FROM rule_matches r JOIN u ON u.user_id = r.user_id
                WHERE r.tenant_id = \(tenant)::text AND r.rule_id = \(ruleId)::uuid AND \(matchFilter)
                  AND NOT (r.course_id = ANY(\(courses)::text[]))
            ), decided AS (
                SELECT p.user_id, p.course_id, COALESCE(r.seq, 0)::int4 AS seq,
                    CASE
                        WHEN p.wanted AND x.user_id IS NULL THEN
                            CASE WHEN r.state IS NULL OR r.state = 'unmatched' THEN
                                CASE WHEN \(enrollNew)::boolean THEN 'enroll' ELSE 'ignore' END
                                WHEN r.state = 'ignored' AND \(enrollIgnored)::boolean THEN 'enroll'
                            END
                        WHEN r.state = 'enrolled' THEN CASE WHEN x.user_id IS NOT NULL THEN 'release' ELSE 'unmatch' END
                        WHEN r.state = 'ignored' AND NOT p.wanted THEN 'release'
                    END AS action
                FROM pairs p
                LEFT JOIN rule_matches r ON r.tenant_id = \(tenant)::text AND r.rule_id = \(ruleId)::uuid AND \(matchFilter)
                    AND r.user_id = p.user_id AND r.course_id = p.course_id
                LEFT JOIN exclusions x ON x.tenant_id = \(tenant)::text AND x.user_id = p.user_id AND x.course_id = p.course_id
            )
            """
    }
}
