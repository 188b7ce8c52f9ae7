import Contracts
import EnrollmentService
import Foundation
import Kafka
import PostgresNIO
import ServicePlatform
import TestSupport
import Testing

@Suite("Event handlers", .serialized, .hangGuard)
struct EventHandlerTests {
    private static let ruleId = UUID()

    private func enroll(_ user: String, course: String = "rules-101", key: String, version: Int64 = 3, tenant: String = "acme") throws -> CloudEvent {
        let explanation = RuleExplanation(
            ruleId: Self.ruleId,
            ruleVersion: version,
            ruleName: "Sales onboarding",
            matched: true,
            conditions: [ConditionExplanation(field: "department", op: "eq", expected: "Sales", actual: "Sales", result: true)]
        )
        return try CloudEvent.make(
            EnrollCommand(
                tenantId: tenant,
                userId: user,
                courseId: course,
                ruleId: Self.ruleId,
                ruleVersion: version,
                explanation: explanation,
                idempotencyKey: key
            ),
            source: "/lms/rules-worker"
        )
    }

    private func change(
        _ type: EventType, _ user: String, key: String, rule: UUID = EventHandlerTests.ruleId, reason: String = "no longer in Sales",
        onlyIfNotStarted: Bool? = nil
    ) throws -> CloudEvent {
        try CloudEvent.make(
            EnrollmentChangeCommand(
                tenantId: "acme",
                userId: user,
                courseId: "rules-101",
                ruleId: rule,
                ruleVersion: 4,
                reason: reason,
                idempotencyKey: key,
                onlyIfNotStarted: onlyIfNotStarted
            ),
            type: type,
            source: "/lms/rules-worker"
        )
    }

    private func lifecycle(_ type: EventType, _ user: String, version: Int64, clock: TestClock) throws -> CloudEvent {
        try CloudEvent.make(
            UserLifecycleEvent(tenantId: "acme", userId: user, reason: "HR sync", version: version, occurredAt: clock.now()),
            type: type,
            source: "/lms/user-service"
        )
    }

    /// `onUnmatch: withdrawIfNotStarted` (`onlyIfNotStarted` on the command) withdraws only learners with no progress yet; progress
    /// beyond `not_started` on lms.progress.v1 is what counts as started.
    @Test func withdrawIfNotStartedSparesLearnersWhoStarted() async throws {
        try await EnrollmentHarness.run { service in
            try await service.putCourse("rules-101")
            #expect(
                try await service.deliver([try enroll("busy", key: "e-busy"), try enroll("idle", key: "e-idle")], to: service.module.commandHandler)
                    .isEmpty)
            let busy = try #require(
                try await service.database.client.withConnection { connection in
                    try await service.module.enrollments.latest(
                        for: [SeatHolder(course: CourseKey(tenantId: "acme", courseId: "rules-101"), userId: "busy")], on: connection)
                }.values.first)
            let progress = try CloudEvent.make(
                ProgressSnapshot(
                    tenantId: "acme", enrollmentId: busy.enrollmentId, userId: "busy", courseId: "rules-101", percent: 20, status: .inProgress,
                    timeSpentSeconds: 300, completedModules: [], overdue: false, cycle: 1, version: 1),
                type: .progressUpdated, source: "/lms/progress-service")
            #expect(try await service.deliver([progress], to: service.module.progressHandler).isEmpty)

            let reason = "onUnmatch=withdrawIfNotStarted: rule \"Sales\" v4 no longer applies to the user"
            #expect(
                try await service.deliver(
                    [
                        try change(.withdrawRequested, "busy", key: "w-busy", reason: reason, onlyIfNotStarted: true),
                        try change(.withdrawRequested, "idle", key: "w-idle", reason: reason, onlyIfNotStarted: true),
                    ],
                    to: service.module.commandHandler
                ).isEmpty)
            #expect(
                try await service.count("SELECT count(*)::int FROM enrollments WHERE user_id = 'busy' AND status = 'active'") == 1, "started: kept")
            #expect(
                try await service.count("SELECT count(*)::int FROM enrollments WHERE user_id = 'idle' AND status = 'withdrawn'") == 1,
                "not started: withdrawn")

            // A plain `withdraw` policy withdraws regardless of progress.
            #expect(
                try await service.deliver(
                    [try change(.withdrawRequested, "busy", key: "w-busy-2", reason: "onUnmatch=withdraw: rule \"Sales\" v5 no longer applies")],
                    to: service.module.commandHandler
                ).isEmpty)
            #expect(try await service.count("SELECT count(*)::int FROM enrollments WHERE user_id = 'busy' AND status = 'withdrawn'") == 1)
        }
    }

    @Test func commandsApplyOnceRespectExclusionsAndExplainWhy() async throws {
        try await EnrollmentHarness.run { service in
            try await service.putCourse("rules-101", #""defaultDueDays":14"#)
            let handler = service.module.commandHandler
            let first = try enroll("r1", key: "rule-1/r1/v3")
            #expect(try await service.deliver([first, try enroll("r2", key: "rule-1/r2/v3")], to: handler).isEmpty)
            // Replays: the same event again, and the same command re-sent with a new event id.
            #expect(try await service.deliver([first, try enroll("r1", key: "rule-1/r1/v3")], to: handler).isEmpty)
            #expect(try await service.count("SELECT count(*)::int FROM enrollments") == 2)
            #expect(try await service.count("SELECT count(*)::int FROM enrollment_transitions") == 2)
            #expect(try await service.count("SELECT count(*)::int FROM outbox_copies WHERE topic = 'lms.enrollments.v1'") == 2)

            let listed = try await service.http.send("GET", "/v1/courses/rules-101/enrollments?source=rule", token: service.admin())
            let id = try #require(listed.json.items.first { $0.string("userId") == "r1" }?.string("enrollmentId"))
            let detail = try await service.http.send("GET", "/v1/enrollments/\(id)", token: service.admin())
            #expect(detail.json.string("sourceRef") == "\(Self.ruleId.uuidString.lowercased())@v3")
            #expect(detail.json.int("ruleVersion") == 3)
            #expect(detail.json["explanation"]?.string("ruleName") == "Sales onboarding")
            #expect(detail.json["explanation"]?["conditions"]?.arrayValue?.first?.string("actual") == "Sales")
            #expect(detail.json["history"]?.arrayValue?.first?.string("actor") == "rule:\(Self.ruleId.uuidString.lowercased())")
            #expect(detail.json["dueAt"] != nil, "due date from the course")

            // Suspend and withdraw by the rule; a command of another rule changes nothing.
            try await service.deliver([try change(.suspendRequested, "r1", key: "s1", rule: UUID())], to: handler)
            #expect(try await service.enrollment(id)?.status == .active)
            try await service.deliver([try change(.suspendRequested, "r1", key: "s2")], to: handler)
            #expect(try await service.enrollment(id)?.status == .suspended)
            // The rule matching again lifts its own suspension.
            try await service.deliver([try enroll("r1", key: "rule-1/r1/v5", version: 5)], to: handler)
            #expect(try await service.enrollment(id)?.status == .active)
            #expect(try await service.enrollment(id)?.ruleVersion == 5)

            // A manual withdrawal excludes the user from the rule for this course.
            let r2 = try #require(listed.json.items.first { $0.string("userId") == "r2" }?.string("enrollmentId"))
            _ = try await service.http.send("POST", "/v1/enrollments/\(r2):withdraw", token: service.admin(), body: #"{"reason":"not needed"}"#)
            #expect(try await service.count("SELECT count(*)::int FROM rule_exclusions WHERE user_id = 'r2'") == 1)
            try await service.deliver([try enroll("r2", key: "rule-1/r2/v6", version: 6)], to: handler)
            #expect(try await service.enrollment(r2)?.status == .withdrawn)
            // A withdrawal by the rule itself is no exclusion: the rule may enroll again.
            try await service.deliver([try change(.withdrawRequested, "r1", key: "w1")], to: handler)
            #expect(try await service.enrollment(id)?.status == .withdrawn)
            try await service.deliver([try enroll("r1", key: "rule-1/r1/v7", version: 7)], to: handler)
            #expect(try await service.enrollment(id)?.status == .active)

            // Unknown course: dead-lettered, and its key released so a replay applies later.
            let orphan = try enroll("r3", course: "not-yet", key: "orphan")
            let rejections = try await service.deliver([orphan], to: handler)
            #expect(rejections.map(\.errorClass) == ["unknown-course"])
            try await service.putCourse("not-yet")
            #expect(try await service.deliver([orphan], to: handler).isEmpty)
            #expect(try await service.count("SELECT count(*)::int FROM enrollments WHERE course_id = 'not-yet'") == 1)
        }
    }

    @Test func deactivationSuspendsAndReactivationRestoresOnlyThat() async throws {
        try await EnrollmentHarness.run { service in
            let admin = service.admin()
            for course in ["a", "b", "c", "d"] { try await service.putCourse(course) }
            try await service.projectUsers(["dee"])
            var ids: [String: String] = [:]
            for course in ["a", "b", "c", "d"] {
                let answer = try await service.enroll(#"{"userId":"dee"}"#, in: course, token: admin)
                ids[course] = answer.json.string("enrollmentId")
            }
            _ = try await service.http.send("POST", "/v1/enrollments/\(ids["b"] ?? ""):suspend", token: admin, body: #"{"reason":"manual"}"#)
            _ = try await service.http.send("POST", "/v1/enrollments/\(ids["c"] ?? ""):withdraw", token: admin)

            let handler = service.module.userHandler
            try await service.deliver([try lifecycle(.lmsUserDeactivated, "dee", version: 2, clock: service.clock)], to: handler)
            #expect(try await service.enrollment(ids["a"] ?? "")?.status == .suspended)
            #expect(try await service.enrollment(ids["d"] ?? "")?.status == .suspended)
            // Enrolling a deactivated user is refused.
            try await service.putCourse("e")
            let blocked = try await service.enroll(#"{"userId":"dee"}"#, in: "e", token: admin)
            #expect(blocked.status == 409 && blocked.json.string("type")?.hasSuffix("learner-not-active") == true)

            // A stale (replayed, lower version) reactivation does nothing; the real one restores a and d only.
            try await service.deliver([try lifecycle(.lmsUserReactivated, "dee", version: 1, clock: service.clock)], to: handler)
            #expect(try await service.enrollment(ids["a"] ?? "")?.status == .suspended)
            try await service.deliver([try lifecycle(.lmsUserReactivated, "dee", version: 3, clock: service.clock)], to: handler)
            #expect(try await service.enrollment(ids["a"] ?? "")?.status == .active)
            #expect(try await service.enrollment(ids["d"] ?? "")?.status == .active)
            #expect(try await service.enrollment(ids["b"] ?? "")?.status == .suspended, "the manual suspension stays")
            #expect(try await service.enrollment(ids["c"] ?? "")?.status == .withdrawn)
            let history = try await service.http.send("GET", "/v1/enrollments/\(ids["a"] ?? "")", token: admin).json["history"]?.arrayValue ?? []
            #expect(history.suffix(2).map { $0.string("reason") ?? "" } == ["user deactivated: HR sync", "user reactivated: HR sync"])
            #expect(history.suffix(2).allSatisfy { $0.string("actor") == "user-service" })

            // Deactivate and reactivate in one batch: applied in order.
            try await service.deliver(
                [
                    try lifecycle(.lmsUserDeactivated, "dee", version: 4, clock: service.clock),
                    try lifecycle(.lmsUserReactivated, "dee", version: 5, clock: service.clock),
                ],
                to: handler
            )
            #expect(try await service.enrollment(ids["a"] ?? "")?.status == .active)
        }
    }

    @Test func erasureWithdrawsAndWipesAnswers() async throws {
        try await EnrollmentHarness.run { service in
            try await service.putCourse(
                "profiled",
                #""capacity":1,"waitlist":true,"selfEnrollment":{"enabled":true,"requiredProfileFields":["department"]}"#
            )
            try await service.projectUsers(["eve", "next"]) { _ in ("Ops", "x@example.com") }
            let key =
                try await service.http.send("POST", "/v1/courses/profiled/enrollment-keys", token: service.admin(), body: "{}").json.string("key")
                ?? ""
            let eve = try await service.http.send(
                "POST",
                "/v1/self-enrollments",
                token: service.learner("eve"),
                body: #"{"courseId":"profiled","key":"\#(key)"}"#
            )
            let next = try await service.http.send(
                "POST",
                "/v1/self-enrollments",
                token: service.learner("next"),
                body: #"{"courseId":"profiled","key":"\#(key)"}"#
            )
            #expect(next.json.string("status") == "waitlisted")
            #expect(try await service.count("SELECT count(*)::int FROM enrollments WHERE profile_answers IS NOT NULL") == 2)

            try await service.deliver([try lifecycle(.lmsUserErased, "eve", version: 2, clock: service.clock)], to: service.module.userHandler)
            let erased = try await service.enrollment(eve.json.string("enrollmentId") ?? "")
            #expect(erased?.status == .withdrawn)
            #expect(erased?.profileAnswers == nil)
            #expect(try await service.count("SELECT count(*)::int FROM users WHERE user_id = 'eve' AND status = 'erased' AND profile = '{}'") == 1)
            #expect(try await service.enrollment(next.json.string("enrollmentId") ?? "")?.status == .active, "the freed seat is passed on")
        }
    }

    @Test func completionFromProgressAndConsumersOverKafka() async throws {
        try await EnrollmentHarness.run(consumers: true) { service in
            try await service.putCourse("kafka-course", #""capacity":1,"waitlist":true"#)
            let probe = try service.harness.probe([.enrollments])
            func send(_ event: CloudEvent) async throws { try await service.harness.publish([event]) }
            // A rule command and a user event arrive over Kafka.
            // Different learners sit on different partitions, so wait for k1 before k2 asks.
            try await send(try enroll("k1", course: "kafka-course", key: "kafka-1"))
            #expect(try await eventually { try await service.count("SELECT count(*)::int FROM enrollments") == 1 })
            try await send(try enroll("k2", course: "kafka-course", key: "kafka-2"))
            #expect(try await eventually { try await service.count("SELECT count(*)::int FROM enrollments") == 2 })
            #expect(try await service.count("SELECT count(*)::int FROM enrollments WHERE user_id = 'k1' AND status = 'active'") == 1)

            // progress-service says k1 completed: completed, and k2 gets the seat.
            let record = try await service.database.client.withConnection { connection in
                try await service.module.enrollments.latest(
                    for: [SeatHolder(course: CourseKey(tenantId: "acme", courseId: "kafka-course"), userId: "k1")],
                    on: connection
                )
            }.values.first
            let enrollment = try #require(record)
            let completedAt = service.clock.now()
            try await send(
                try CloudEvent.make(
                    ProgressSnapshot(
                        tenantId: "acme",
                        enrollmentId: enrollment.enrollmentId,
                        userId: "k1",
                        courseId: "kafka-course",
                        percent: 100,
                        status: .completed,
                        timeSpentSeconds: 600,
                        completedModules: [],
                        lastActivityAt: completedAt,
                        overdue: false,
                        cycle: 1,
                        version: 5
                    ),
                    type: .progressCompleted,
                    source: "/lms/progress-service"
                )
            )
            #expect(try await eventually { try await service.enrollment(enrollment.enrollmentId.uuidString)?.status == .completed })
            #expect(try await service.enrollment(enrollment.enrollmentId.uuidString)?.completedAt == completedAt)
            #expect(
                try await eventually {
                    try await service.count("SELECT count(*)::int FROM enrollments WHERE user_id = 'k2' AND status = 'active'") == 1
                }
            )

            // The events went out on lms.enrollments.v1 with CloudEvents headers, keyed by learner.
            let messages = try await collectRunning(probe, count: 4, logger: service.logger)
            #expect(messages.count >= 4)
            #expect(Set(messages.compactMap(\.keyString)) == ["acme/k1", "acme/k2"])
            #expect(messages.contains { $0.headers.string(for: "ce_type") == "lms.enrollment.status-changed" })
            #expect(messages.allSatisfy { $0.headers.string(for: "ce_source") == "/lms/enrollment-service" })
        }
    }
}
