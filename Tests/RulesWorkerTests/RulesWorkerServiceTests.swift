import Contracts
import Foundation
import Kafka
import RulesWorker
import ServiceHTTP
import ServicePlatform
import TestSupport
import Testing

/// The whole service as `ServiceApplication` runs it (PostgreSQL, development broker in-process,
/// consumers, job runner, sweep, HTTP on a real socket).
@Suite("rules-worker service", .serialized, .hangGuard)
struct RulesWorkerServiceTests {
    /// Runs rules-worker with its consumers and background work, and a probe on the command topic, while `body` runs.
    func withService(_ body: @Sendable (RulesWorkerHarness, KafkaConsumer) async throws -> Void) async throws {
        try await RulesWorkerHarness.run(
            clock: TestClock(Date()), pageSize: 100, backgroundWork: true, consumers: true, jobPollInterval: .milliseconds(200),
            sweepInterval: .seconds(3_600)
        ) { worker in
            let commands = try worker.service.probe([.enrollmentCommands])
            try await withRunning([commands], logger: worker.service.logger) {
                try await body(worker, commands)
            }
        }
    }

    static func json(_ answer: HTTPProbe.Answer) throws -> JSONValue {
        try JSONValue(parsing: Array(answer.text.utf8))
    }

    static func fields(_ answer: HTTPProbe.Answer) throws -> [String] {
        try json(answer)["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? []
    }

    @Test func segmentsAndRulesOverHTTPAndANewHireEnrolledFromAKafkaEvent() async throws {
        try await withService { worker, commands in
            let client = worker.service.http
            let admin = worker.service.token("admin-1", roles: [.admin])
            func send(_ method: String, _ path: String, _ body: String) async throws -> HTTPProbe.Answer {
                try await client.send(method, path, token: admin, body: body)
            }

            // Validation names every bad field, down into the criteria tree.
            let invalid = try await send(
                "POST", "/v1/segments",
                #"{"name": " ", "criteria": {"all": [{"field": "department", "op": "eq", "value": "Sales"}, {"field": "hireDate", "op": "withinLastDays", "value": 30}, {"field": "department", "op": "like", "value": "S"}]}}"#
            )
            #expect(invalid.status == 422)
            #expect(invalid.headers["Content-Type"] == "application/problem+json")
            #expect(try Self.fields(invalid) == ["name", "criteria.all[2].op"])

            let created = try await send(
                "POST", "/v1/segments", #"{"name": "New hires", "criteria": {"field": "hireDate", "op": "withinLastDays", "value": 30}}"#)
            #expect(created.status == 201, "\(created.text)")
            let segment = try Self.json(created)
            let segmentId = try #require(segment["segmentId"]?.stringValue)
            #expect(created.headers["Location"] == "/v1/segments/\(segmentId)")
            #expect(segment["version"] == 1 && segment["job"]?["kind"] == "segment")
            #expect(
                try await send("POST", "/v1/segments", #"{"name": "new hires", "criteria": {"all": []}}"#).status == 409
            )
            #expect(try await client.send("GET", "/v1/segments/\(segmentId)", token: admin).status == 200)
            #expect(
                try await client.send("GET", "/v1/segments/\(segmentId)", token: worker.service.token("admin-1", tenant: "globex", roles: [.admin]))
                    .status == 404)
            #expect(
                try await client.send("GET", "/v1/segments/\(segmentId)", token: worker.service.token("admin-1", roles: [.learner])).status == 403)
            #expect(try await client.send("GET", "/v1/segments/not-a-uuid", token: admin).status == 404)
            let renamed = try await send(
                "PUT", "/v1/segments/\(segmentId)",
                #"{"name": "New hires", "description": "first month", "criteria": {"field": "hireDate", "op": "withinLastDays", "value": 30}}"#)
            #expect(try Self.json(renamed)["version"] == 2 && Self.json(renamed)["description"] == "first month")
            _ = try await send("POST", "/v1/segments", #"{"name": "All", "criteria": {"all": []}}"#)
            let firstPage = try Self.json(try await client.send("GET", "/v1/segments?limit=1", token: admin))
            #expect(firstPage["items"]?.arrayValue?.first?["name"] == "All")
            let cursor = try #require(firstPage["nextCursor"]?.stringValue)
            let secondPage = try Self.json(try await client.send("GET", "/v1/segments?limit=1&cursor=\(cursor)", token: admin))
            #expect(secondPage["items"]?.arrayValue?.first?["name"] == "New hires" && secondPage["nextCursor"] == .null)

            // Rules: validation, creation, preview, activation (the routes `{id}:activate` etc.).
            let badRule = try await send(
                "POST", "/v1/rules",
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
            let hired = CalendarDate(worker.clock.now()).adding(days: -2)
            let snapshot = RulesWorkerHarness.user("new-hire", department: "Ops", hireDate: hired.description)
            let event = try CloudEvent.make(snapshot, source: "/lms/user-service")
            try await worker.service.publish([event])
            let received = await collect(commands, count: 1, timeout: .seconds(30))
            let command = try #require(received.first)
            #expect(command.keyString == "acme/new-hire")
            #expect(command.headers.string(for: "ce_type") == "lms.enrollment.enroll-requested")
            #expect(command.headers.string(for: "ce_source") == "/lms/rules-worker")
            let payload = try LMSJSON.decode(EnrollCommand.self, from: command.value ?? [])
            #expect(payload.courseId == "orientation" && payload.ruleVersion == 2)
            #expect(payload.explanation.conditions.first?.actual == .string(hired.description))

            try await worker.service.publish([event])
            let members = try Self.json(try await client.send("GET", "/v1/segments/\(segmentId)/members", token: admin))
            #expect(members["items"]?.arrayValue?.compactMap { $0["userId"]?.stringValue } == ["new-hire"])
            let segmentPreview = try Self.json(
                try await send("POST", "/v1/segments:preview", #"{"criteria": {"field": "department", "op": "eq", "value": "Ops"}}"#)
            )
            #expect(segmentPreview["count"] == 1 && segmentPreview["sample"]?.arrayValue?.first?["email"] == "new-hire@acme.example")
            let more = await collect(commands, timeout: .seconds(5)) { _ in false }
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
