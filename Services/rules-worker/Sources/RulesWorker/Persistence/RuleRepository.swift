import Contracts
import Foundation
import Logging
import PostgresNIO
import Segments
import ServicePlatform

/// The `rules` table.
package struct RuleRepository: Sendable {
    package let logger: Logger

    package func find(tenantId: String, ruleId: UUID, forUpdate: Bool = false, on connection: PostgresConnection) async throws -> Rule? {
        let lock = forUpdate ? " FOR UPDATE" : ""
        let rows = try await connection.query(
            "SELECT to_jsonb(r)::text FROM rules r WHERE tenant_id = \(tenantId) AND rule_id = \(ruleId)\(unescaped: lock)",
            logger: logger
        )
        return try await RowJSON.all(Rule.self, in: rows).first
    }

    /// Rules of a tenant ordered by (name, id), after the given position.
    package func list(tenantId: String, after: (name: String, id: UUID)?, limit: Int, on connection: PostgresConnection) async throws -> [Rule] {
        let rows: PostgresRowSequence
        if let after {
            rows = try await connection.query(
                """
                SELECT to_jsonb(r)::text FROM rules r
                WHERE tenant_id = \(tenantId) AND (name, rule_id) > (\(after.name), \(after.id))
                ORDER BY name, rule_id LIMIT \(limit)
                """, logger: logger)
        } else {
            rows = try await connection.query(
                "SELECT to_jsonb(r)::text FROM rules r WHERE tenant_id = \(tenantId) ORDER BY name, rule_id LIMIT \(limit)", logger: logger)
        }
        return try await RowJSON.all(Rule.self, in: rows)
    }

    /// Inserts or replaces a rule. A name another rule of the tenant has is a conflict.
    package func save(_ rule: Rule, on connection: PostgresConnection) async throws {
        let criteria = try rule.criteria.map { try DatabaseJSON.text($0) }
        do {
            try await connection.query(
                """
                INSERT INTO rules (tenant_id, rule_id, name, description, segment_id, criteria, course_ids, status, backfill, on_unmatch,
                                   due_in_days, mandatory, effective_from, effective_to, version, created_at, updated_at)
                VALUES (\(rule.tenantId), \(rule.ruleId), \(rule.name), \(rule.description), \(rule.segmentId), \(criteria)::jsonb,
                        \(rule.courseIds)::text[], \(rule.status.rawValue), \(rule.backfill), \(rule.onUnmatch.rawValue), \(rule.dueInDays),
                        \(rule.mandatory), \(rule.effectiveFrom), \(rule.effectiveTo), \(rule.version), \(rule.createdAt), \(rule.updatedAt))
                ON CONFLICT (tenant_id, rule_id) DO UPDATE SET
                    name = EXCLUDED.name, description = EXCLUDED.description, segment_id = EXCLUDED.segment_id,
                    criteria = EXCLUDED.criteria, course_ids = EXCLUDED.course_ids, status = EXCLUDED.status,
                    backfill = EXCLUDED.backfill, on_unmatch = EXCLUDED.on_unmatch, due_in_days = EXCLUDED.due_in_days,
                    mandatory = EXCLUDED.mandatory,
                    effective_from = EXCLUDED.effective_from, effective_to = EXCLUDED.effective_to, version = EXCLUDED.version,
                    updated_at = EXCLUDED.updated_at
                """,
                logger: logger
            )
        } catch  where PostgresErrors.sqlState(of: error) == "23505" {
            throw RulesError.duplicateName(rule.name)
        }
    }

    /// Records what the sweep last saw: whether the rule was in effect and on which UTC day.
    package func markSwept(tenantId: String, ruleId: UUID, inEffect: Bool, day: Int64, on connection: PostgresConnection) async throws {
        try await connection.query(
            "UPDATE rules SET in_effect = \(inEffect), swept_day = \(day) WHERE tenant_id = \(tenantId) AND rule_id = \(ruleId)",
            logger: logger
        )
    }

    /// The rules of the tenants that are in effect at `now`, each with the criteria it evaluates.
    package func inEffect(tenantIds: [String], now: Date, on connection: PostgresConnection) async throws -> [EvaluableRule] {
        guard !tenantIds.isEmpty else { return [] }
        let rows = try await connection.query(
            """
            SELECT to_jsonb(r)::text, s.criteria::text,
                   EXISTS (SELECT 1 FROM jobs j WHERE j.tenant_id = r.tenant_id AND j.target_id = r.rule_id
                           AND j.status IN ('pending', 'running') AND NOT j.enroll_new)
            FROM rules r LEFT JOIN segments s ON s.tenant_id = r.tenant_id AND s.segment_id = r.segment_id
            WHERE r.tenant_id = ANY(\(tenantIds)::text[]) AND r.status = 'active'
            """,
            logger: logger
        )
        var rules: [EvaluableRule] = []
        for try await (text, segmentCriteria, baselinePending) in rows.decode((String, String?, Bool).self) {
            // A stored rule this version cannot read is skipped (and logged), never a reason to
            // fail every batch of its tenant.
            do {
                let rule = try RowJSON.decode(Rule.self, from: text)
                guard rule.isInEffect(at: now) else { continue }
                guard let criteria = try rule.criteria ?? segmentCriteria.map({ try DatabaseJSON.decode(Criteria.self, from: $0) }) else { continue }
                rules.append(EvaluableRule(rule: rule, criteria: CompiledCriteria(criteria), baselinePending: baselinePending))
            } catch {
                logger.error("Unreadable rule skipped", metadata: ["error": "\(String(reflecting: error))"])
            }
        }
        return rules
    }

    /// Active rules with what the sweep needs: the stored in-effect flag, the last swept day, the
    /// effective criteria, and whether a job is open for the rule.
    package func activeForSweep(on connection: PostgresConnection) async throws -> [SweepCandidate] {
        let rows = try await connection.query(
            """
            SELECT to_jsonb(r)::text, s.criteria::text, r.in_effect, r.swept_day,
                   EXISTS (SELECT 1 FROM jobs j WHERE j.tenant_id = r.tenant_id AND j.target_id = r.rule_id
                           AND j.status IN ('pending', 'running'))
            FROM rules r LEFT JOIN segments s ON s.tenant_id = r.tenant_id AND s.segment_id = r.segment_id
            WHERE r.status = 'active' OR r.in_effect
            """,
            logger: logger
        )
        var result: [SweepCandidate] = []
        for try await (text, segmentCriteria, inEffect, sweptDay, open) in rows.decode((String, String?, Bool, Int64?, Bool).self) {
            let rule = try RowJSON.decode(Rule.self, from: text)
            let criteria = try rule.criteria ?? segmentCriteria.map { try DatabaseJSON.decode(Criteria.self, from: $0) }
            result.append(SweepCandidate(rule: rule, criteria: criteria, inEffect: inEffect, sweptDay: sweptDay, hasOpenJob: open))
        }
        return result
    }

    /// The active rules evaluating `segmentId` (re-evaluated when the segment changes).
    package func activeUsing(tenantId: String, segmentId: UUID, on connection: PostgresConnection) async throws -> [Rule] {
        let rows = try await connection.query(
            """
            SELECT to_jsonb(r)::text FROM rules r
            WHERE tenant_id = \(tenantId) AND segment_id = \(segmentId) AND status = 'active'
            """,
            logger: logger
        )
        return try await RowJSON.all(Rule.self, in: rows)
    }

    /// The criteria a rule evaluates: its own, or its segment's.
    package func criteria(of rule: Rule, on connection: PostgresConnection) async throws -> Criteria? {
        if let criteria = rule.criteria { return criteria }
        guard let segmentId = rule.segmentId else { return nil }
        return try await SegmentRepository(logger: logger).find(tenantId: rule.tenantId, segmentId: segmentId, on: connection)?.criteria
    }
}
