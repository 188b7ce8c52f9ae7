import Contracts
import Foundation
import Kafka
import PostgresNIO
import ReportService
import ServiceHTTP
import ServicePlatform
import TestSupport
import Testing

@Suite("report-service over Kafka", .serialized, .hangGuard)
struct LiveReportTests {
    /// Events go through the development broker and the service's own consumers; the publisher
    /// runs on its timer. Then a rebuild of one tenant takes the owners' answer from `lms.resync.v1`.
    @Test func consumesPublishesAndRebuildsFromTheOwnersAnswer() async throws {
        try await ReportHarness.run(consumers: true, publishInterval: .milliseconds(200)) { service in
            let scenario = Scenario(now: service.clock.now())
            let producer = try KafkaProducer(
                configuration: KafkaProducerConfiguration(bootstrapServers: service.harness.cluster.bootstrapServers, clientId: "report-tests"),
                logger: service.harness.logger
            )
            let enrollments = try scenario.enrollmentEvents()
            let events = try scenario.progressEvents() + scenario.userEvents() + scenario.courseEvents() + enrollments.initial + enrollments.final
            try await withRunning([producer], logger: service.harness.logger) {
                let messages = events.map { event in
                    KafkaProducerMessage(
                        topic: event.type.topic!.name,
                        key: event.kafkaKey,
                        value: event.data,
                        headers: event.binaryModeHeaderBytes.map { KafkaHeader(key: $0.key, value: $0.value) }
                    )
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
            /// What differs from the expected state, for a failure message.
            @Sendable func diagnosis() async throws -> String {
                var lines = [
                    "facts with an enrollment: \(try await service.harness.count("SELECT count(*)::int FROM enrollment_facts WHERE enrollment_version > 0")) of \(factCount)"
                ]
                let rows = try await service.harness.database.client.query(
                    "SELECT consumer, count(*)::int FROM inbox GROUP BY consumer ORDER BY consumer",
                    logger: service.harness.logger
                )
                for try await (consumer, count) in rows.decode((String, Int).self) { lines.append("inbox \(consumer): \(count)") }
                for (course, _) in scenario.courses {
                    let answer = try await service.http.send("GET", "/v1/reports/courses/\(course)/summary", token: admin)
                    lines.append("summary \(course): \(answer.status) \(answer.text) expected \(scenario.summary(course: course))")
                }
                lines += Compare.topics(try await service.latestSnapshots(), scenario).prefix(10)
                return lines.joined(separator: "\n")
            }
            let first = try await eventually(timeout: .seconds(60)) { try await converged() }
            let remaining = Compare.topics(try await service.latestSnapshots(), scenario)
            #expect(first, "\(remaining)")

            // A rebuild of acme through the topics: the owners' answer arrives on lms.resync.v1 and the
            // reports converge to the same state, globex's untouched.
            let rebuild = try await service.http.send("POST", "/v1/reports:rebuild", token: admin)
            #expect(rebuild.status == 202, "\(rebuild.text)")
            let rebuildId = try #require(rebuild.json.string("rebuildId").flatMap(UUID.init(uuidString:)))
            let answer = try scenario.resyncEvents(tenant: "acme", resyncId: rebuildId)
            let owners = try KafkaProducer(
                configuration: KafkaProducerConfiguration(
                    bootstrapServers: service.harness.cluster.bootstrapServers,
                    clientId: "report-tests-owners"
                ),
                logger: service.harness.logger
            )
            try await withRunning([owners], logger: service.harness.logger) {
                let messages = (answer.completions + answer.pages).map { event in
                    KafkaProducerMessage(
                        topic: Topic.resync.name,
                        key: event.kafkaKey,
                        value: event.data,
                        headers: event.binaryModeHeaderBytes.map { KafkaHeader(key: $0.key, value: $0.value) }
                    )
                }
                #expect(await owners.send(batch: messages).allSatisfy { $0.isDelivered })
            }
            let completed = try await eventually(timeout: .seconds(60)) {
                try await service.http.send("GET", "/v1/reports/rebuilds/\(rebuildId)", token: admin).json.string("status") == "completed"
            }
            #expect(completed)
            let rebuilt = try await eventually(timeout: .seconds(60)) { try await converged() }
            let rebuildProblems = rebuilt ? "" : try await diagnosis()
            #expect(rebuilt, "rebuilt from the owners' answer: \(rebuildProblems)")
        }
    }
}
