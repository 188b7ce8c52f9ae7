import Contracts
import Foundation
import Kafka
import ServiceHTTP

/// What every figure needs: where the stack is, the fresh tenant of this run, an admin token.
struct BenchContext: Sendable {
    var settings: BenchSettings
    var http: BenchHTTP
    var tenant: String
    var processes: StackProcesses
    /// The cost per unit of each figure measured so far (``recordCost(since:_:units:unit:)``).
    let costs = Locked<[UnitCost]>([])

    var admin: String { token("bench-admin", roles: [.admin]) }

    func token(_ subject: String, roles: [Role]) -> String {
        JWTVerification.mintHS256(subject: subject, tenant: tenant, roles: roles, secret: settings.jwtSecret, expiresIn: 6 * 3600)
    }

    func log(_ text: String) {
        FileHandle.standardError.write(Data("[lms-bench] \(text)\n".utf8))
    }

    /// Polls `condition` every `interval` until it holds; fails after `timeout`.
    func waitUntil(
        _ what: String, timeout: Duration = .seconds(600), interval: Duration = .milliseconds(200),
        _ condition: @Sendable () async throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await !condition() {
            guard ContinuousClock.now < deadline else { throw BenchError("timed out waiting for \(what)") }
            try await Task.sleep(for: interval)
        }
    }

    func putCourse(_ courseId: String, _ json: String) async throws {
        try await http.expect("PUT", "\(settings.enrollmentService)/v1/courses/\(courseId)", token: admin, body: json)
    }

    /// Imports `count` users named `prefix-<i>` through user-service, in 20,000-row requests.
    func importUsers(prefix: String, count: Int) async throws {
        for start in stride(from: 0, to: count, by: 20_000) {
            let csv = DataGenerator.usersCSV(prefix: prefix, tenant: tenant, range: start..<min(start + 20_000, count))
            try await http.expect("POST", "\(settings.userService)/v1/users:import", token: admin, body: csv, contentType: "text/csv")
        }
    }

    /// Bulk-enrolls `users` through enrollment-service's CSV endpoint.
    func bulkEnroll(course: String, users: [String]) async throws -> BenchHTTP.Answer {
        let csv = "userId,role\n" + users.map { "\($0),learner" }.joined(separator: "\n") + "\n"
        return try await http.expect(
            "POST", "\(settings.enrollmentService)/v1/courses/\(course)/enrollments:bulk", token: admin, body: csv, contentType: "text/csv")
    }

    /// The number of users rules-worker has that match `criteria` (a segment preview).
    func segmentCount(_ criteria: String) async throws -> Int {
        let answer = try await http.expect(
            "POST", "\(settings.rulesWorker)/v1/segments:preview", token: admin, body: #"{"criteria":\#(criteria)}"#)
        return answer.json["count"] as? Int ?? 0
    }

    /// Creates and activates a rule; returns its id.
    func activateRule(name: String, course: String, criteria: String) async throws -> String {
        let rule = try await http.expect(
            "POST", "\(settings.rulesWorker)/v1/rules", token: admin,
            body: """
                {"name":"\(name)","courseIds":["\(course)"],"backfill":true,"onUnmatch":"keep","criteria":\(criteria)}
                """)
        guard let ruleId = rule.json["ruleId"] as? String else { throw BenchError("no ruleId in \(rule.text.prefix(300))") }
        try await http.expect("POST", "\(settings.rulesWorker)/v1/rules/\(ruleId):activate", token: admin)
        return ruleId
    }

    /// An `lms.enrollment.created` of this tenant for `course`: the user id, else nil.
    func createdEnrollment(_ message: KafkaConsumerMessage, course: String) -> String? {
        guard message.headers.string(for: CloudEvent.HeaderName.type) == EventType.enrollmentCreated.rawValue,
            message.headers.string(for: CloudEvent.HeaderName.tenantId) == tenant,
            let value = message.value,
            let json = try? JSONSerialization.jsonObject(with: Data(value)) as? [String: Any],
            json["courseId"] as? String == course
        else { return nil }
        return json["userId"] as? String
    }

    /// Sends `events` and waits for delivery.
    func publish(_ events: [CloudEvent], with producer: KafkaProducer) async throws {
        let reports = await producer.send(batch: events.map(Self.message))
        guard reports.allSatisfy(\.isDelivered) else { throw BenchError("\(reports.filter { !$0.isDelivered }.count) events not delivered") }
    }

    static func message(_ event: CloudEvent) -> KafkaProducerMessage {
        KafkaProducerMessage(
            topic: event.type.topic?.name ?? "", key: event.kafkaKey, value: event.data,
            headers: event.binaryModeHeaders.map { KafkaHeader(key: $0.key, value: $0.value) })
    }
}
