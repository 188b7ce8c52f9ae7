import Contracts
import Foundation
import Kafka
import ProgressService
import TestSupport
import Testing

@Suite("Progress: over Kafka", .hangGuard)
struct ProgressKafkaTests {
    /// Course, enrollment and activity events arrive through the real consumers (activity first);
    /// the completion leaves through the outbox relay onto `lms.progress.v1`, keyed by learner.
    @Test func eventsInProgressOut() async throws {
        try await ProgressHarness.run(consumers: true) { h in
            let id = UUID()
            try await h.service.publish([
                try h.activity("kafka-learner", course: "kafka-course", module: "a", .completed),
                try h.activity("kafka-learner", course: "kafka-course", module: "b", .passed, score: 90, at: 1),
            ])
            try await h.service.publish([try h.course("kafka-course", modules: ["a", "b"])])
            try await h.service.publish([try h.enrollment(id, user: "kafka-learner", course: "kafka-course")])

            // Depending on which consumer runs first, an `updated` event may precede the completion.
            let decoded = TestEvents.decode
            let probe = try h.service.probe([.progress])
            let messages = try await withRunning([probe], logger: h.service.logger) {
                await collect(probe, timeout: .seconds(60)) { $0.contains { decoded($0)?.type == .progressCompleted } }
            }
            let message = try #require(messages.first { decoded($0)?.type == .progressCompleted })
            let event = try #require(decoded(message))
            #expect(message.keyString == "acme/kafka-learner")
            let payload = try event.decodePayload(ProgressSnapshot.self)
            #expect(payload.enrollmentId == id)
            #expect(payload.percent == 100)
        }
    }
}
