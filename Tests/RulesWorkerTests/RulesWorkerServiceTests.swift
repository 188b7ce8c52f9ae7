import Contracts
import Foundation
import Kafka
import Logging
import ServiceHTTP
import ServiceHost
import ServiceLifecycle
import ServicePlatform
import TestSupport
import Testing

@testable import RulesWorker

/// The whole service as `ServiceApplication` runs it (PostgreSQL, development broker in-process,
/// consumers, job runner, sweep, HTTP on a real socket).
@Suite("rules-worker service", .serialized, .timeLimit(.minutes(3)))
struct RulesWorkerServiceTests {
    static let secret = "a-test-secret-that-is-long-enough-for-hs256"

    struct Running {
        var client: HTTPProbe
        var producer: KafkaProducer
        var commands: KafkaConsumer
        var clock: ManualClock
        var schema: String
    }

    /// Runs rules-worker and a probe on the command topic while `body` runs.
    func withService(_ body: @Sendable (Running) async throws -> Void) async throws {
        let logger = RulesTest.logger
        let cluster = try KafkaMockCluster(brokers: 1)
        for topic in Topic.allCases { try cluster.createTopic(topic.name, partitions: 3, replicationFactor: 1) }
        let schema = RulesTest.schemaName()
        let clock = ManualClock(Date())
        let options = RulesWorkerOptions(clock: clock, jobPageSize: 100, jobPollInterval: .milliseconds(200), sweepInterval: .seconds(3_600))
        let configuration = ServiceConfiguration(
            serviceName: "rules-worker",
            database: try RulesTest.databaseURL(),
            kafkaBrokers: cluster.bootstrapServers,
            jwtSecret: Self.secret,
            httpHost: "127.0.0.1",
            httpPort: 0,
            logLevel: logger.logLevel
        )
        let port = BoundPort()
        let group = try ServiceApplication.build(
            .rulesWorker(options: options, schema: schema),
            configuration: configuration,
            logger: logger,
            onServerRunning: { port.set($0) }
        )
        let producer = try KafkaProducer(configuration: .init(bootstrapServers: cluster.bootstrapServers, clientId: "tests"), logger: logger)
        var probe = KafkaConsumerConfiguration(
            bootstrapServers: cluster.bootstrapServers,
            groupId: "probe-\(UUID())",
            topics: [Topic.enrollmentCommands.name]
        )
        probe.statisticsIntervalMilliseconds = 0
        let commands = try KafkaConsumer(configuration: probe, logger: logger)
        try await withRunning([producer, commands], logger: logger) {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                do {
                    let running = Running(
                        client: HTTPProbe(base: try await port.baseURL()),
                        producer: producer,
                        commands: commands,
                        clock: clock,
                        schema: schema
                    )
                    try await body(running)
                } catch {
                    await group.triggerGracefulShutdown()
                    try? await tasks.waitForAll()
                    throw error
                }
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
    }

    static func token(tenant: String = "acme", roles: [Role] = [.admin]) -> String {
        JWTVerification.mintHS256(subject: "admin-1", tenant: tenant, roles: roles, secret: secret, expiresIn: 600)
    }

    static func json(_ answer: HTTPProbe.Answer) throws -> JSONValue {
        try JSONValue(parsing: Array(answer.text.utf8))
    }

    static func fields(_ answer: HTTPProbe.Answer) throws -> [String] {
        try json(answer)["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? []
    }

    @Test func segmentsAndRulesOverHTTPAndANewHireEnrolledFromAKafkaEvent() async throws {
        try await withService { running in
            let client = running.client
            let admin = Self.token()

            // Validation names every bad field, down into the criteria tree.
            let invalid = try await client.send(
                "POST",
                "/v1/segments",
                token: admin,
                body:
                    #"{"name": " ", "criteria": {"all": [{"field": "department", "op": "eq", "value": "Sales"}, {"field": "hireDate", "op": "withinLastDays", "value": 30}, {"field": "department", "op": "like", "value": "S"}]}}"#
            )
            #expect(invalid.status == 422)
            #expect(invalid.headers["Content-Type"] == "application/problem+json")
            #expect(try Self.fields(invalid) == ["name", "criteria.all[2].op"])

            let created = try await client.send(
                "POST",
                "/v1/segments",
                token: admin,
                body: #"{"name": "New hires", "criteria": {"field": "hireDate", "op": "withinLastDays", "value": 30}}"#
            )
            #expect(created.status == 201, "\(created.text)")
            let segment = try Self.json(created)
            let segmentId = try #require(segment["segmentId"]?.stringValue)
            #expect(created.headers["Location"] == "/v1/segments/\(segmentId)")
            #expect(segment["version"] == 1 && segment["job"]?["kind"] == "segment")
            #expect(
                try await client.send("POST", "/v1/segments", token: admin, body: #"{"name": "new hires", "criteria": {"all": []}}"#).status == 409
            )
            #expect(try await client.send("GET", "/v1/segments/\(segmentId)", token: admin).status == 200)
            #expect(try await client.send("GET", "/v1/segments/\(segmentId)", token: Self.token(tenant: "globex")).status == 404)
            #expect(try await client.send("GET", "/v1/segments/\(segmentId)", token: Self.token(roles: [.learner])).status == 403)
            #expect(try await client.send("GET", "/v1/segments/not-a-uuid", token: admin).status == 404)
            let renamed = try await client.send(
                "PUT",
                "/v1/segments/\(segmentId)",
                token: admin,
                body: #"{"name": "New hires", "description": "first month", "criteria": {"field": "hireDate", "op": "withinLastDays", "value": 30}}"#
            )
            #expect(try Self.json(renamed)["version"] == 2 && Self.json(renamed)["description"] == "first month")
            _ = try await client.send("POST", "/v1/segments", token: admin, body: #"{"name": "All", "criteria": {"all": []}}"#)
            let firstPage = try Self.json(try await client.send("GET", "/v1/segments?limit=1", token: admin))
            #expect(firstPage["items"]?.arrayValue?.first?["name"] == "All")
            let cursor = try #require(firstPage["nextCursor"]?.stringValue)
            let secondPage = try Self.json(try await client.send("GET", "/v1/segments?limit=1&cursor=\(cursor)", token: admin))
            #expect(secondPage["items"]?.arrayValue?.first?["name"] == "New hires" && secondPage["nextCursor"] == .null)

            // Rules: validation, creation, preview, activation (the routes `{id}:activate` etc.).
            let badRule = try await client.send(
                "POST",
                "/v1/rules",
                token: admin,
                body:
                    #"{"name": "x", "segmentId": "\#(segmentId)", "criteria": {"all": []}, "onUnmatch": "drop", "dueInDays": 0, "courseIds": ["a", "a"]}"#
            )
            #expect(badRule.status == 422)
            #expect(try Self.fields(badRule) == ["segmentId", "courseIds[1]", "onUnmatch", "dueInDays"])
            let ruleBody =
                #"{"name": "Orientation", "segmentId": "\#(segmentId)", "courseIds": ["orientation"], "dueInDays": 14, "onUnmatch": "keep"}"#
            let ruleCreated = try await client.send("POST", "/v1/rules", token: admin, body: ruleBody, headers: ["Idempotency-Key": "rule-1"])
            #expect(ruleCreated.status == 201, "\(ruleCreated.text)")
            let replay = try await client.send("POST", "/v1/rules", token: admin, body: ruleBody, headers: ["Idempotency-Key": "rule-1"])
            #expect(replay.text == ruleCreated.text)
            let rule = try Self.json(ruleCreated)
            let ruleId = try #require(rule["ruleId"]?.stringValue)
            #expect(rule["status"] == "draft" && rule["version"] == 1 && rule["backfill"] == false)
            let preview = try Self.json(try await client.send("POST", "/v1/rules/\(ruleId):preview", token: admin))
            #expect(preview["wouldEnroll"]?["count"] == 0 && preview["inEffect"] == true)
            #expect([404, 405].contains(try await client.send("POST", "/v1/rules/\(ruleId):launch", token: admin).status))
            #expect(try await client.send("POST", "/v1/rules/not-a-uuid:activate", token: admin).status == 404)
            #expect(try await client.send("POST", "/v1/rules/\(ruleId):pause", token: admin).status == 409)
            let activated = try Self.json(try await client.send("POST", "/v1/rules/\(ruleId):activate", token: admin))
            #expect(activated["status"] == "active" && activated["version"] == 2 && activated["job"]?["reason"] == "activate")
            #expect(
                try await eventually(timeout: .seconds(20)) {
                    try Self.json(try await client.send("GET", "/v1/rules/\(ruleId)", token: admin))["job"]?["status"] == "completed"
                }
            )

            // A user created with a recent hire date, published on lms.users.v1, twice (a redelivery).
            let hired = CalendarDate(running.clock.now()).adding(days: -2)
            let snapshot = UserSnapshot(
                tenantId: "acme",
                userId: "new-hire",
                email: "nh@acme.example",
                givenName: "Nia",
                familyName: "Hire",
                department: "Ops",
                hireDate: hired,
                status: .active,
                changedFields: ["email"],
                version: 1,
                updatedAt: Date()
            )
            let event = try CloudEvent.make(snapshot, source: "/lms/user-service")
            let message = KafkaProducerMessage(
                topic: Topic.users.name,
                key: event.kafkaKey,
                value: event.data,
                headers: event.binaryModeHeaders.map { KafkaHeader(key: $0.key, value: $0.value) }
            )
            #expect(try await running.producer.send(message).isDelivered)
            let received = await collect(running.commands, count: 1, timeout: .seconds(30))
            let command = try #require(received.first)
            #expect(command.keyString == "acme/new-hire")
            #expect(command.headers.string(for: "ce_type") == "lms.enrollment.enroll-requested")
            #expect(command.headers.string(for: "ce_source") == "/lms/rules-worker")
            let payload = try LMSJSON.decode(EnrollCommand.self, from: command.value ?? [])
            #expect(payload.courseId == "orientation" && payload.ruleVersion == 2)
            #expect(payload.explanation.conditions.first?.actual == .string(hired.description))

            #expect(try await running.producer.send(message).isDelivered)
            let members = try Self.json(try await client.send("GET", "/v1/segments/\(segmentId)/members", token: admin))
            #expect(members["items"]?.arrayValue?.compactMap { $0["userId"]?.stringValue } == ["new-hire"])
            let segmentPreview = try Self.json(
                try await client.send(
                    "POST",
                    "/v1/segments:preview",
                    token: admin,
                    body: #"{"criteria": {"field": "department", "op": "eq", "value": "Ops"}}"#
                )
            )
            #expect(segmentPreview["count"] == 1 && segmentPreview["sample"]?.arrayValue?.first?["email"] == "nh@acme.example")
            let more = await collect(running.commands, timeout: .seconds(5)) { _ in false }
            #expect(more.isEmpty, "the redelivered event emitted nothing")

            let paused = try Self.json(try await client.send("POST", "/v1/rules/\(ruleId):pause", token: admin))
            #expect(paused["status"] == "paused" && paused["job"]?["reason"] == "pause")
            let listed = try Self.json(try await client.send("GET", "/v1/rules", token: admin))
            #expect(listed["items"]?.arrayValue?.count == 1)

            let openapi = try await client.send("GET", "/openapi.json")
            for path in ["/v1/segments:preview", "/v1/rules/{ruleId}:activate", "/v1/segments/{segmentId}/members", "/health/ready"] {
                #expect(openapi.text.contains("\"\(path)\""), "\(path)")
            }
        }
    }
}
