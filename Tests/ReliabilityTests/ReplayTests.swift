import Contracts
import Foundation
import Kafka
import TestSupport
import Testing

/// Kafka delivers at least once; this system must turn that into exactly-once effects. After a
/// mixed workload, every message of every consumed topic is delivered again (as new messages, at
/// new offsets): no state changes, no new output events, nothing dead-lettered.
@Suite("Reliability: duplicates", .serialized, .timeLimit(.minutes(15)))
struct ReplayTests {
    /// Every table that holds state, with the content hashed (so any change shows), plus every outbox's size.
    static let stateQueries =
        [
            "users.users", "users.user_history", "rules.users", "rules.rule_matches", "rules.segment_memberships",
            "enrollments.enrollments", "enrollments.enrollment_transitions", "enrollments.users",
            "progress.enrollment_progress", "progress.statements", "progress.course_policies",
            // report-service's read model and its unpublished keys: without them the quiet below can be
            // declared while report-service still catches up, and its late snapshots look like replay output.
            "reports.enrollment_facts", "reports.report_users", "reports.report_courses", "reports.dirty_reports",
        ].map { "SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \($0) t" }
        + ["users", "rules", "enrollments", "progress", "reports"].map { "SELECT count(*) FROM \($0).outbox" }

    static let consumedTopics: [Topic] = [
        .platformUserEvents, .platformLearningActivity, .users, .courses, .enrollmentCommands, .enrollments, .progress, .segmentMemberships,
    ]

    func state(_ stack: LocalStack) async throws -> [String] {
        var values: [String] = []
        for query in Self.stateQueries { values.append(try await stack.value(query) ?? "-") }
        return values
    }

    @Test func replayingEveryConsumedTopicChangesNothing() async throws {
        try await LocalStack.run { stack in
            let load = FaultLoad(stack: stack, tenant: "replay")
            let events = PlatformEvents(tenant: "replay")
            try await load.call(.enrollmentService, "PUT", "/v1/courses/onboarding", body: #"{"title":"Onboarding","modules":["a","b"]}"#)
            try await load.call(
                .enrollmentService, "PUT", "/v1/courses/support-101", body: #"{"title":"Support 101","modules":["a"],"defaultDueDays":7}"#)
            try await stack.publish(try (0..<300).map { try events.userCreated("r\($0)", department: $0 % 2 == 0 ? "Sales" : "Support") })
            try await load.waitUntil(rows: "rules.users", equals: 300, "rules-worker has the users")
            let rule = try await load.call(
                .rulesWorker, "POST", "/v1/rules",
                body: """
                    {"name":"Sales onboarding","courseIds":["onboarding"],"backfill":true,"onUnmatch":"withdraw",
                     "criteria":{"all":[{"field":"department","op":"eq","value":"Sales"}]}}
                    """
            ).json
            try await load.call(.rulesWorker, "POST", "/v1/rules/\(try #require(rule.string("ruleId"))):activate")
            try await load.call(
                .enrollmentService, "POST", "/v1/courses/support-101/enrollments:bulk",
                body: "userId\n" + stride(from: 1, to: 300, by: 2).map { "r\($0)" }.joined(separator: "\n"), contentType: "text/csv")
            try await load.waitUntil(rows: "progress.enrollment_progress", equals: 300, "every enrollment reached progress")
            try await stack.publish(
                try (2..<102).flatMap { index in
                    [
                        try events.activity("r\(index * 2)", course: "onboarding", module: "a", .completed),
                        try events.activity("r\(index * 2)", course: "onboarding", module: "b", .passed, score: 90),
                    ]
                })
            try await stack.publish([
                try events.userChanged("r2", ["department": .string("Support")]),
                try events.userLifecycle(.userDeactivated, "r5"),
                try events.userLifecycle(.userErased, "r7"),
            ])
            try await load.waitUntil(
                "SELECT count(*)::int FROM enrollments.enrollments WHERE tenant_id = 'replay' AND status = 'completed'", equals: 100,
                "the completions reached enrollment-service")

            // Quiet: wait until the state stops changing, then take its picture.
            var before = try await state(stack)
            for _ in 0..<60 {
                try await Task.sleep(for: .seconds(3))
                let now = try await state(stack)
                if now == before { break }
                before = now
            }
            let consumedBefore = try await stack.metricTotal("events_consumed_total")
            let duplicatesBefore = try await stack.metricTotal("events_duplicate_total")
            let lettersBefore = try await stack.metricTotal("dlq_messages_total")

            // Deliver everything again, exactly as it was.
            let reader = try stack.probe(Self.consumedTopics)
            let everything = try await withRunning([reader], logger: stack.logger) {
                await collect(reader, timeout: .seconds(20)) { _ in false }
            }
            let producer = try KafkaProducer(configuration: .init(bootstrapServers: stack.kafkaBrokers, clientId: "replay"), logger: stack.logger)
            try await withRunning([producer], logger: stack.logger) {
                let copies = everything.map { KafkaProducerMessage(topic: $0.topic, key: $0.key, value: $0.value, headers: $0.headers) }
                let reports = await producer.send(batch: copies)
                #expect(reports.allSatisfy { $0.isDelivered })
            }
            #expect(everything.count > 1_000, "a real workload was replayed (\(everything.count) messages)")

            // Every consumer group reads its copies; wait until consumption stops growing.
            var consumed = consumedBefore
            for _ in 0..<120 {
                try await Task.sleep(for: .seconds(2))
                let now = try await stack.metricTotal("events_consumed_total")
                if now >= consumedBefore + Double(everything.count) && now == consumed { break }
                consumed = now
            }
            let duplicates = try await stack.metricTotal("events_duplicate_total") - duplicatesBefore
            #expect(consumed - consumedBefore >= Double(everything.count), "every replayed message was consumed")
            // Platform input is recognised by its event ids (the inbox). Copies of the system's own
            // events arrive at new offsets, past the stored ones: the handlers' version guards absorb
            // them, which the unchanged state and outboxes below show.
            let platformCopies = everything.filter { Topic(rawValue: $0.topic)?.isPlatformInput == true }.count
            #expect(platformCopies > 0)
            #expect(duplicates >= Double(platformCopies), "each platform event was recognised as a duplicate (\(duplicates) of \(platformCopies))")
            #expect(try await stack.metricTotal("dlq_messages_total") == lettersBefore, "nothing dead-lettered")
            let after = try await state(stack)
            for (index, query) in Self.stateQueries.enumerated() {
                #expect(after[index] == before[index], "changed by the replay: \(query)")
            }
            print("replayed \(everything.count) messages; \(Int(duplicates)) duplicate deliveries dropped, state unchanged")
        }
    }
}
