import Contracts
import Foundation
import PostgresNIO
import RulesWorker
import Segments
import ServicePlatform
import Synchronization
import TestSupport
import Testing

/// A backfill over 100,000 users: the preview's counts, then exactly one command per expected
/// (user, course), also when the worker dies half-way and a new one resumes the job.
@Suite("Backfill over 100,000 users", .serialized, .timeLimit(.minutes(10)))
struct BackfillTests {
    static let userCount = 100_000
    static let departments = ["Sales", "HR", "R&D", "Support", "Ops"]
    /// Day of hire of user `i`: spread over about four years before 2024-06-15.
    static func hireDay(_ index: Int) -> Int64 { 18_300 + Int64(index % 1_500) }
    static func isDeactivated(_ index: Int) -> Bool { index % 50 == 0 }

    /// Writes the users straight into the projection (as the consumer would store them) with SQL.
    static func seed(_ database: ServiceDatabase) async throws {
        try await database.client.query(
            """
            INSERT INTO users (tenant_id, user_id, version, status, raw, v_text, v_folded, v_number, v_bool, v_day)
            SELECT 'acme', u.id, 1, u.status,
                   jsonb_build_object('userId', u.id, 'status', u.status, 'department', u.dept, 'hireDate', u.hired::text),
                   jsonb_build_object('userId', u.id, 'status', u.status, 'department', u.dept, 'hireDate', u.hired::text),
                   jsonb_build_object('userId', lower(u.id), 'status', u.status, 'department', lower(u.dept), 'hireDate', u.hired::text),
                   '{}', '{}', jsonb_build_object('hireDate', u.hired - DATE '1970-01-01')
            FROM (
                SELECT 'u-' || lpad(i::text, 6, '0') AS id,
                       CASE WHEN i % 50 = 0 THEN 'deactivated' ELSE 'active' END AS status,
                       (ARRAY['Sales', 'HR', 'R&D', 'Support', 'Ops'])[1 + i % 5] AS dept,
                       DATE '1970-01-01' + (18300 + i % 1500)::int4 AS hired
                FROM generate_series(0, \(Int32(userCount - 1))) AS i
            ) u
            """, logger: database.logger)
        try await database.client.query("ANALYZE users", logger: database.logger)
    }

    static let criteriaText = """
        {"all": [
            {"field": "department", "op": "in", "value": ["Sales", "Support"]},
            {"field": "hireDate", "op": "olderThanDays", "value": 90}
        ]}
        """

    /// The users the criteria select, computed from the generator's formulas (not from SQL).
    static func expectedUsers(today: CalendarDate, includingDeactivated: Bool = false) -> [String] {
        (0..<userCount).filter { index in
            let department = departments[index % 5]
            return (includingDeactivated || !isDeactivated(index)) && (department == "Sales" || department == "Support")
                && hireDay(index) < today.daysSinceEpoch - 90
        }.map { "u-" + String(repeating: "0", count: 6 - String($0).count) + String($0) }
    }

    @Test func backfillEmitsExactlyTheExpectedCommandsOnceAndResumesAfterACrash() async throws {
        let steps = Mutex(0)
        let crashAtStep = 12
        struct SimulatedCrash: Error {}
        let crashOnce: @Sendable () async throws -> Void = {
            let step = steps.withLock { count -> Int in
                count += 1
                return count
            }
            if step == crashAtStep { throw SimulatedCrash() }
        }
        try await RulesWorkerHarness.run(pageSize: 2_000, beforeJobStepCommit: crashOnce) { worker in
            let clockStart = ContinuousClock.now
            try await Self.seed(worker.database)
            let seeded = ContinuousClock.now - clockStart
            let today = CalendarDate(worker.clock.now())
            let expected = Self.expectedUsers(today: today)
            let courses = ["code-of-conduct"]

            let criteria = try Criteria.parse(try JSONValue(parsing: Array(Self.criteriaText.utf8)))
            let segmentStarted = ContinuousClock.now
            let segmentPreview = try await worker.module.segments.preview(tenantId: "acme", criteria: criteria)
            let segmentPreviewTime = ContinuousClock.now - segmentStarted
            // Segments include deactivated users (status is a field like any other); rules do not.
            #expect(segmentPreview.count == Self.expectedUsers(today: today, includingDeactivated: true).count)
            #expect(segmentPreview.evaluated == Self.userCount)

            let created = try await worker.module.rules.create(
                tenantId: "acme", definition: RuleScenarioTests.definition("Compliance", criteria: criteria, courses: courses, dueInDays: 30))
            let previewStarted = ContinuousClock.now
            let preview = try await worker.module.rules.preview(tenantId: "acme", ruleId: created.rule.ruleId, proposed: nil)
            let previewTime = ContinuousClock.now - previewStarted
            #expect(preview.wouldEnroll.count == expected.count * courses.count)
            #expect(preview.wouldEnroll.users == expected.count)
            #expect(preview.wouldEnroll.sample.first?.userId == expected[0] && preview.wouldEnroll.sample.first?.courseId == "code-of-conduct")
            #expect(preview.evaluated == Self.userCount - Self.userCount / 50)

            _ = try await worker.module.rules.activate(tenantId: "acme", ruleId: created.rule.ruleId)
            let backfillStarted = ContinuousClock.now
            var crashed = false
            do {
                try await worker.drainJobs()
            } catch is SimulatedCrash {
                crashed = true
            }
            #expect(crashed)
            let midway = try #require(try await worker.module.rules.rule(tenantId: "acme", ruleId: created.rule.ruleId).job)
            #expect(midway.status == .running && midway.processed == (crashAtStep - 1) * 2_000)
            let committedBeforeCrash = try await worker.service.count("SELECT count(*) FROM outbox_copies")
            #expect(committedBeforeCrash == midway.counts.enrolled)

            // A new worker (nothing shared with the crashed one but the database) finishes the job.
            let restarted = worker.restartedModule(pageSize: 2_000)
            let stepsAfterRestart = try await worker.drainJobs(restarted)
            let backfillTime = ContinuousClock.now - backfillStarted
            #expect(stepsAfterRestart == Self.userCount / 2_000 - (crashAtStep - 1) + 1)

            let job = try #require(try await worker.module.rules.rule(tenantId: "acme", ruleId: created.rule.ruleId).job)
            #expect(job.status == .completed && job.processed == Self.userCount)
            #expect(job.counts.enrolled == expected.count * courses.count)
            let total = try await worker.service.count("SELECT count(*) FROM outbox_copies WHERE event_type = 'lms.enrollment.enroll-requested'")
            let distinctPairs = try await worker.service.count(
                "SELECT count(DISTINCT (payload::jsonb->>'userId', payload::jsonb->>'courseId')) FROM outbox_copies")
            let distinctKeys = try await worker.service.count("SELECT count(DISTINCT payload::jsonb->>'idempotencyKey') FROM outbox_copies")
            #expect(total == expected.count * courses.count)
            #expect(distinctPairs == total && distinctKeys == total)
            let users = try await worker.service.count("SELECT count(DISTINCT payload::jsonb->>'userId') FROM outbox_copies")
            #expect(users == expected.count)

            // Re-running activation's diff now finds nothing to do.
            let after = try await worker.module.rules.preview(tenantId: "acme", ruleId: created.rule.ruleId, proposed: nil)
            #expect(after.wouldEnroll.count == 0 && after.wouldWithdraw.count == 0)

            func seconds(_ duration: Duration) -> String {
                String(format: "%.2f s", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
            }
            print(
                """
                rules-worker figures (\(Self.userCount) users, debug build): seed \(seconds(seeded)), \
                segment preview \(seconds(segmentPreviewTime)), rule preview \(seconds(previewTime)), \
                backfill \(seconds(backfillTime)) for \(total) enroll commands (\(expected.count) users × \(courses.count) courses, \
                crash after \(crashAtStep - 1) steps, resumed)
                """)
        }
    }
}
