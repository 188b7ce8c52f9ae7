import Contracts
import Foundation
import PostgresNIO
import ServicePlatform
import Kafka
import ReportService
import ServiceHTTP
import TestSupport
import Testing

@Suite("report-service over Kafka", .serialized, .timeLimit(.minutes(6)))
struct LiveReportTests {
    /// Events go through the development broker and the service's own consumers; the publisher
    /// runs on its timer. Then a rebuild replays the retained topics into an emptied read model.
    @Test func consumesPublishesAndRebuildsFromTheTopics() async throws {
        try await ReportTestService.run(consumers: true, publishInterval: .milliseconds(200)) { service in
            let scenario = Scenario(now: service.clock.now())
            let producer = try KafkaProducer(
                configuration: KafkaProducerConfiguration(bootstrapServers: service.harness.cluster.bootstrapServers, clientId: "report-tests"),
                logger: service.harness.logger)
            let enrollments = try scenario.enrollmentEvents()
            let events = try scenario.progressEvents() + scenario.userEvents() + scenario.courseEvents() + enrollments.initial + enrollments.final
            try await withRunning([producer], logger: service.harness.logger) {
                let messages = events.map { event in
                    KafkaProducerMessage(
                        topic: event.type.topic!.name, key: event.kafkaKey, value: event.data,
                        headers: event.binaryModeHeaderBytes.map { KafkaHeader(key: $0.key, value: $0.value) })
                }
                let reports = await producer.send(batch: messages)
                #expect(reports.allSatisfy { $0.isDelivered })
            }
            let admin = service.harness.admin()
            let factCount = scenario.facts.count

            @Sendable func converged() async throws -> Bool {
                guard try await service.harness.count("SELECT count(*)::int FROM enrollment_facts WHERE enrollment_version > 0") == factCount
                else { return false }
                for (course, _) in scenario.courses {
                    let answer = try await service.http.send("GET", "/v1/reports/courses/\(course)/summary", token: admin)
                    guard answer.status == 200, let report = try? LMSJSON.decode(CourseSummaryReport.self, from: Array(answer.text.utf8)),
                        Compare.summary(report, scenario.summary(course: course))
                    else { return false }
                }
                return Compare.topics(try await service.latestSnapshots(), scenario).isEmpty
            }
            let first = try await eventually(timeout: .seconds(60)) { try await converged() }
            let remaining = Compare.topics(try await service.latestSnapshots(), scenario)
            #expect(first, "\(remaining)")

            // Only the service role may rebuild.
            #expect(try await service.http.send("POST", "/v1/reports:rebuild", token: admin).status == 403)
            let rebuild = try await service.http.send("POST", "/v1/reports:rebuild", token: service.harness.token("ops", roles: [.service]))
            #expect(rebuild.status == 202, "\(rebuild.text)")
            #expect(rebuild.json.int("generation") == 2)
            try await service.harness.database.client.query("DELETE FROM outbox", logger: service.harness.logger)
            #expect(try await service.harness.count("SELECT count(*)::int FROM enrollment_facts") < factCount)
            #expect(try await eventually(timeout: .seconds(150)) { try await converged() }, "rebuilt from the retained topics")
            #expect(try await service.harness.count("SELECT count(*)::int FROM inbox WHERE consumer LIKE '%.g1'") == 0)
            let replayed = try await eventually {
                try await service.harness.count("SELECT count(*)::int FROM inbox WHERE consumer LIKE '%.g2'") == events.count
            }
            #expect(replayed, "every retained event was consumed again by the new generation")
        }
    }
}
