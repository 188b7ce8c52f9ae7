import Contracts
import Foundation
import Kafka
import TestSupport
import Testing

/// 1,000 bad messages (malformed, schema-invalid, oversized, wrong tenant, unknown type) mixed into
/// 10,000 good ones on each input topic: every bad one lands in `lms.dlq.v1` with its reason and
/// source, every good one is applied.
@Suite("Reliability: poison messages", .serialized, .timeLimit(.minutes(15)))
struct PoisonTests {
    static let good = 10_000
    /// 1,000 bad messages per topic. Few oversized ones: each is just over the consumers' 256 KiB
    /// limit, its dead letter carries it whole, and the development broker keeps only ~5 MiB per
    /// partition (40 per topic overflowed a dead-letter partition now and then: letters went missing).
    static let badCounts = ["malformed-json": 240, "schema-invalid": 270, "oversized": 10, "tenant-mismatch": 240, "unknown-type": 240]

    /// A raw Kafka message for `event`, with its headers edited and/or its value replaced.
    static func message(_ event: CloudEvent, topic: Topic, value: [UInt8]? = nil, header: (String, String)? = nil) -> KafkaProducerMessage {
        var headers = event.binaryModeHeaders.map { KafkaHeader(key: $0.key, value: $0.value) }
        if let (name, text) = header {
            headers.removeAll { $0.key == name }
            headers.append(KafkaHeader(key: name, value: Array(text.utf8)))
        }
        return KafkaProducerMessage(topic: topic.name, key: event.kafkaKey, value: value ?? event.data, headers: headers)
    }

    /// Good events plus the bad messages of every kind, shuffled. Every bad message has a key of
    /// its own, so the oversized ones spread over the partitions (the development broker drops a
    /// partition's oldest messages beyond ~5 MiB).
    static func mix(topic: Topic, good: [CloudEvent], sample: () throws -> CloudEvent, otherType: String) throws -> [KafkaProducerMessage] {
        var messages = good.map { message($0, topic: topic) }
        let oversized = Array(("{\"tenantId\":\"poison\",\"pad\":\"" + String(repeating: "x", count: 260 * 1024) + "\"}").utf8)
        for (kind, count) in badCounts {
            for _ in 0..<count {
                switch kind {
                case "malformed-json": messages.append(message(try sample(), topic: topic, value: Array(#"{"tenantId":"poison", "broken"#.utf8)))
                case "schema-invalid":
                    messages.append(message(try sample(), topic: topic, value: Array(#"{"tenantId":"poison","unexpected":true}"#.utf8)))
                case "oversized": messages.append(message(try sample(), topic: topic, value: oversized))
                case "tenant-mismatch": messages.append(message(try sample(), topic: topic, header: ("ce_tenantid", "someone-else")))
                default: messages.append(message(try sample(), topic: topic, header: ("ce_type", otherType)))
                }
            }
        }
        var generator = SystemRandomNumberGenerator()
        messages.shuffle(using: &generator)
        return messages
    }

    @Test func badMessagesGoToTheDLQWithTheirReasonAndGoodOnesApply() async throws {
        try await LocalStack.run { stack in
            let load = FaultLoad(stack: stack, tenant: "poison")
            let events = PlatformEvents(tenant: "poison")
            try await load.call(.enrollmentService, "PUT", "/v1/courses/poison-course", body: #"{"title":"Poison","modules":["a"]}"#)
            let ruleId = UUID()
            func command(_ user: String) throws -> CloudEvent {
                try CloudEvent.make(
                    EnrollCommand(
                        tenantId: "poison", userId: user, courseId: "poison-course", ruleId: ruleId, ruleVersion: 1,
                        explanation: RuleExplanation(ruleId: ruleId, ruleVersion: 1, ruleName: "trusted", matched: true, conditions: []),
                        idempotencyKey: "\(ruleId)/\(user)"),
                    source: "/trusted-service")
            }
            var all: [KafkaProducerMessage] = []
            all += try Self.mix(
                topic: .platformUserEvents, good: try (0..<Self.good).map { try events.userCreated("p\($0)") },
                sample: { try events.userCreated("bad-\(UUID())") }, otherType: "platform.user.promoted")
            all += try Self.mix(
                topic: .platformLearningActivity,
                good: try (0..<Self.good).map { try events.activity("p\($0 % 100)", course: "poison-course", module: "a", .progressed) },
                sample: { try events.activity("bad-\(UUID())", course: "poison-course", module: "a", .started) },
                otherType: "platform.learning.skipped")
            all += try Self.mix(
                topic: .enrollmentCommands, good: try (0..<Self.good).map { try command("c\($0)") },
                sample: { try command("bad-\(UUID())") }, otherType: "lms.enrollment.promote-requested")

            let messages = all
            let producer = try KafkaProducer(configuration: .init(bootstrapServers: stack.kafkaBrokers, clientId: "poison"), logger: stack.logger)
            try await withRunning([producer], logger: stack.logger) {
                for chunk in stride(from: 0, to: messages.count, by: 5_000) {
                    let reports = await producer.send(batch: Array(messages[chunk..<min(chunk + 5_000, messages.count)]))
                    #expect(reports.allSatisfy { $0.isDelivered })
                }
            }

            try await load.waitUntil(rows: "users.users", equals: Self.good, "every good user event applied")
            try await load.waitUntil(rows: "progress.statements", equals: Self.good, "every good statement recorded")
            try await load.waitUntil(rows: "enrollments.enrollments", equals: Self.good, "every good command applied")

            let bad = Self.badCounts.values.reduce(0, +)
            let sources: [Topic] = [.platformUserEvents, .platformLearningActivity, .enrollmentCommands]
            let consumer = try stack.probe([.deadLetter])
            let letters = try await withRunning([consumer], logger: stack.logger) {
                await collect(consumer, timeout: .seconds(180)) { messages in
                    messages.filter { sources.map(\.name).contains($0.headers.string(for: DeadLetterHeader.sourceTopic.name) ?? "") }.count
                        >= bad * sources.count
                }
            }
            for topic in sources {
                let mine = letters.filter { $0.headers.string(for: DeadLetterHeader.sourceTopic.name) == topic.name }
                #expect(mine.count == bad, "\(topic.name): \(mine.count) dead letters instead of \(bad)")
                var byClass: [String: Int] = [:]
                for letter in mine { byClass[letter.headers.string(for: DeadLetterHeader.errorClass.name) ?? "none", default: 0] += 1 }
                #expect(byClass == Self.badCounts, "\(topic.name): \(byClass)")
                #expect(mine.allSatisfy { ($0.headers.string(for: DeadLetterHeader.errorMessage.name) ?? "").isEmpty == false })
                #expect(mine.allSatisfy { $0.headers.string(for: DeadLetterHeader.sourceOffset.name).flatMap(Int64.init) != nil })
            }
            print("poison: \(sources.count) topics × (\(Self.good) good + \(bad) bad) → \(letters.count) dead letters")

            // An operator fixes one dead letter and replays it with lmsctl: it is applied once.
            let broken = try #require(
                letters.first {
                    $0.headers.string(for: DeadLetterHeader.sourceTopic.name) == Topic.platformUserEvents.name
                        && $0.headers.string(for: DeadLetterHeader.errorClass.name) == "schema-invalid"
                })
            let fixed = try events.userCreated("fixed-by-operator")
            let payloadFile = stack.folder.appendingPathComponent("fixed.json")
            try Data(fixed.data).write(to: payloadFile)
            let replay = try await Self.lmsctl(
                [
                    "dlq", "replay", "--brokers", stack.kafkaBrokers,
                    "--source-topic", Topic.platformUserEvents.name,
                    "--source-partition", broken.headers.string(for: DeadLetterHeader.sourcePartition.name) ?? "",
                    "--source-offset", broken.headers.string(for: DeadLetterHeader.sourceOffset.name) ?? "",
                    "--payload", payloadFile.path,
                ], in: stack.folder)
            #expect(replay == 0, "lmsctl dlq replay exit status")
            try await load.waitUntil(
                "SELECT count(*)::int FROM users.users WHERE tenant_id = 'poison' AND user_id = 'fixed-by-operator'", equals: 1,
                "the replayed, fixed message was applied")
            try await load.waitUntil(rows: "users.users", equals: Self.good + 1, "and nothing else")
        }
    }

    /// Runs the built `lmsctl` (next to the test runner) and returns its exit status.
    static func lmsctl(_ arguments: [String], in folder: URL) async throws -> Int32 {
        let process = try SpawnedProcess(
            LocalStack.binaries.appendingPathComponent("lmsctl"), arguments,
            environment: ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("LMS_") }, directory: folder)
        return await process.waitUntilExit()
    }
}
