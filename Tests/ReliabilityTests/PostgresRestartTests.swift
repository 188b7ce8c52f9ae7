import Contracts
import Foundation
import TestSupport
import Testing

/// PostgreSQL restarts (connections cut) while events flow: every service reconnects on its own
/// and nothing is lost.
@Suite("Reliability: PostgreSQL restart", .serialized, .timeLimit(.minutes(10)))
struct PostgresRestartTests {
    @Test func servicesReconnectAndLoseNothing() async throws {
        try await LocalStack.run(privatePostgres: true) { stack in
            let load = FaultLoad(stack: stack, tenant: "pgrestart")
            let events = PlatformEvents(tenant: "pgrestart")
            try await load.call(.enrollmentService, "PUT", "/v1/courses/resilience", body: #"{"title":"Resilience","modules":["a"]}"#)
            let pids = LocalStack.Service.allCases.map { stack.processIdentifier($0) }

            let total = 6_000
            let publishing = Task {
                for batch in 0..<6 {
                    try await stack.publish(try (batch * 1_000..<(batch + 1) * 1_000).map { try events.userCreated("pg\($0)", department: "Ops") })
                    try await Task.sleep(for: .milliseconds(500))
                }
            }
            try await Task.sleep(for: .seconds(1))
            let restarted = ContinuousClock.now
            try await stack.restartPostgres()
            print("PostgreSQL restarted in \(ContinuousClock.now - restarted)")
            try await publishing.value
            // A write through the API after the restart works (the pools reconnected).
            let written = try await eventually(timeout: .seconds(60)) {
                [200, 201].contains(
                    try await stack.http(.enrollmentService).send(
                        "POST", "/v1/courses/resilience/enrollments", token: load.admin, body: #"{"userId":"pg1"}"#).status)
            }
            #expect(written, "the API writes again after the restart")

            try await load.waitUntil("SELECT count(*)::int FROM users.users WHERE tenant_id = 'pgrestart'", equals: total, "user-service")
            try await load.waitUntil("SELECT count(*)::int FROM rules.users WHERE tenant_id = 'pgrestart'", equals: total, "rules-worker")
            try await load.waitUntil("SELECT count(*)::int FROM enrollments.users WHERE tenant_id = 'pgrestart'", equals: total, "enrollment-service")
            try await load.waitUntil(
                "SELECT count(*)::int FROM progress.enrollment_progress WHERE tenant_id = 'pgrestart'", equals: 1, "progress-service got the enrollment")
            for service in LocalStack.Service.allCases { try await stack.waitUntilReady(service) }
            #expect(LocalStack.Service.allCases.map { stack.processIdentifier($0) } == pids, "no service restarted")
        }
    }
}
