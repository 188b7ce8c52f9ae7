import Contracts
import Foundation
import ServiceHTTP
import Synchronization
import TestSupport
import Testing

/// Load for the fault tests and the invariants checked afterwards: nothing lost, nothing
/// duplicated. Sizes follow `LMS_FAULT_SCALE` (`ci`, the default: 10,000 users; `full`: 100,000,
/// the issue's size, for `LMS_FAULT_SCALE=full scripts/test --filter ReliabilityTests`).
struct FaultLoad: Sendable {
    let stack: LocalStack
    let tenant: String

    static var users: Int { ProcessInfo.processInfo.environment["LMS_FAULT_SCALE"] == "full" ? 100_000 : 10_000 }

    var admin: String { stack.admin(tenant) }

    @discardableResult
    func call(
        _ service: LocalStack.Service, _ method: String, _ path: String, body: String? = nil, contentType: String = "application/json",
        expecting: Set<Int> = [200, 201]
    ) async throws -> HTTPProbe.Answer {
        let answer = try await stack.http(service).send(method, path, token: admin, body: body, contentType: contentType)
        #expect(expecting.contains(answer.status), "\(method) \(path) → \(answer.status): \(answer.text.prefix(400))")
        return answer
    }

    /// Imports `count` users through user-service's CSV import; even-numbered ones are in Sales.
    func importUsers(_ count: Int, prefix: String = "u") async throws {
        for start in stride(from: 0, to: count, by: 50_000) {
            let rows = (start..<min(start + 50_000, count)).map { index in
                "\(prefix)\(index),\(prefix)\(index)@\(tenant).example,Given,Family,\(index % 2 == 0 ? "Sales" : "Support")"
            }
            let answer = try await call(
                .userService, "POST", "/v1/users:import", body: "userId,email,givenName,familyName,department\n" + rows.joined(separator: "\n"),
                contentType: "text/csv")
            #expect(answer.json["counts"]?.int("rejected") == 0)
        }
    }

    /// Creates course `sales-basics`, imports `users` users (half of them in Sales), waits until
    /// rules-worker knows them all, then activates a backfilling rule that enrolls Sales in the course.
    func startSalesBackfill(users: Int) async throws {
        try await call(.enrollmentService, "PUT", "/v1/courses/sales-basics", body: #"{"title":"Sales basics","modules":["m1"]}"#)
        try await importUsers(users)
        try await waitUntil(rows: "rules.users", equals: users, "rules-worker knows every user")
        let rule = try await call(
            .rulesWorker, "POST", "/v1/rules",
            body: """
                {"name":"All of Sales","courseIds":["sales-basics"],"backfill":true,"onUnmatch":"keep",
                 "criteria":{"all":[{"field":"department","op":"eq","value":"Sales"}]}}
                """
        ).json
        try await call(.rulesWorker, "POST", "/v1/rules/\(try #require(rule.string("ruleId"))):activate")
    }

    /// The Sales backfill's effects, exactly once: `matching` users enrolled, one enrollment each,
    /// each known to progress-service once and announced under one event id.
    func checkSalesEnrolledOnce(_ matching: Int) async throws {
        try await waitUntil(rows: "enrollments.enrollments", equals: matching, "every matching user enrolled")
        try await waitUntil(
            "SELECT count(DISTINCT user_id)::int FROM enrollments.enrollments WHERE tenant_id = '\(tenant)'", equals: matching,
            "one enrollment per user")
        try await waitUntil(rows: "progress.enrollment_progress", equals: matching, "progress-service has every enrollment once")
        try await checkCreatedEvents(course: "sales-basics", expected: matching)
    }

    /// Polls the number of the tenant's rows in `table` until it is `expected`.
    @discardableResult
    func waitUntil(rows table: String, equals expected: Int, timeout: Duration = .seconds(600), _ what: String) async throws -> Bool {
        try await waitUntil("SELECT count(*)::int FROM \(table) WHERE tenant_id = '\(tenant)'", equals: expected, timeout: timeout, what)
    }

    /// Polls `sql` on the stack's database until it answers `expected`; records the figure. A
    /// failing query counts as "not yet" (the test's own pool recovers from an outage too).
    @discardableResult
    func waitUntil(_ sql: String, equals expected: Int, timeout: Duration = .seconds(600), _ what: String) async throws -> Bool {
        let last = Mutex(0)
        let reached = try await eventually(timeout: timeout) {
            guard let value = try? await stack.count(sql) else { return false }
            last.withLock { $0 = value }
            return value == expected
        }
        #expect(reached, "\(what): \(last.withLock { $0 }) instead of \(expected)")
        return reached
    }

    /// The `lms.enrollment.created` events of a course on the topic, until `expected` distinct
    /// enrollments showed up; checks that every enrollment was announced under one event id only
    /// (a re-sent event keeps its id, so consumers drop it).
    func checkCreatedEvents(course: String, expected: Int) async throws {
        let events = try await stack.events(on: [.enrollments], timeout: .seconds(300)) { events in
            Set(
                events.filter { $0.type == .enrollmentCreated }.compactMap { try? $0.decodePayload(EnrollmentSnapshot.self) }
                    .filter { $0.courseId == course }.map(\.enrollmentId)
            ).count >= expected
        }
        var ids: [UUID: Set<String>] = [:]
        for event in events where event.type == .enrollmentCreated {
            guard let snapshot = try? event.decodePayload(EnrollmentSnapshot.self), snapshot.courseId == course else { continue }
            ids[snapshot.enrollmentId, default: []].insert(event.id)
        }
        #expect(ids.count == expected, "enrollments announced: \(ids.count) of \(expected)")
        #expect(ids.values.allSatisfy { $0.count == 1 }, "an enrollment announced under two event ids is a duplicate effect")
    }
}
