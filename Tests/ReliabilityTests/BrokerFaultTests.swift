import Contracts
import Foundation
import TestSupport
import Testing

/// Broker faults through the development broker's fault injection, with load in flight: the
/// services report the outage on `/health/ready`, recover on their own (no restarts) and lose
/// nothing.
@Suite("Reliability: broker faults", .serialized, .timeLimit(.minutes(15)))
struct BrokerFaultTests {
    @Test func allBrokersDownThenErrorsAndLatencyLoseNothing() async throws {
        try await LocalStack.run { stack in
            let load = FaultLoad(stack: stack, tenant: "outage")
            let scenario = PlatformEvents(tenant: "outage")
            let services = LocalStack.Service.allCases
            let pidsBefore = services.map { stack.processIdentifier($0) }

            try await stack.publish(try (0..<2_000).map { try scenario.userCreated("o\($0)", department: "Ops") })
            let outageStarted = ContinuousClock.now
            try await stack.broker("brokers/all/down")
            // Readiness reports the outage while it lasts.
            let reported = try await eventually(timeout: .seconds(30)) {
                var notReady = 0
                for service in services where (try? await stack.http(service).send("GET", "/health/ready"))?.status == 503 { notReady += 1 }
                return notReady == services.count
            }
            #expect(reported, "every service answers 503 on /health/ready while Kafka is down")
            // Writes are still accepted: the outbox holds their events until Kafka is back.
            try await load.call(
                .enrollmentService, "PUT", "/v1/courses/during-outage", body: #"{"title":"Written during the outage","modules":["a","b"]}"#)
            let remaining = Duration.seconds(10) - (ContinuousClock.now - outageStarted)
            if remaining > .zero { try await Task.sleep(for: remaining) }
            try await stack.broker("brokers/all/up")

            var recovery: [String] = []
            for service in services {
                let started = ContinuousClock.now
                try await stack.waitUntilReady(service, timeout: .seconds(120))
                recovery.append("\(service.rawValue) \(ContinuousClock.now - started)")
            }
            #expect(services.map { stack.processIdentifier($0) } == pidsBefore, "no service was restarted")
            print("readiness after the outage: \(recovery.joined(separator: ", "))")

            // Request errors on produce and offset commit, and 150 ms latency on every broker.
            try await stack.broker("errors/produce?codes=NOT_LEADER_FOR_PARTITION,REQUEST_TIMED_OUT,NOT_ENOUGH_REPLICAS")
            try await stack.broker("errors/offsetcommit?codes=REQUEST_TIMED_OUT,COORDINATOR_NOT_AVAILABLE")
            try await stack.broker("brokers/all/rtt?ms=150")
            try await stack.publish(try (2_000..<3_000).map { try scenario.userCreated("o\($0)", department: "Ops") })

            try await load.waitUntil(rows: "users.users", equals: 3_000, "user-service has every user")
            try await load.waitUntil(rows: "rules.users", equals: 3_000, "rules-worker has every user")
            try await load.waitUntil(rows: "enrollments.users", equals: 3_000, "enrollment-service has every user")
            try await load.waitUntil(
                "SELECT count(*)::int FROM progress.course_policies WHERE tenant_id = 'outage' AND course_id = 'during-outage'", equals: 1,
                "the course written during the outage reached progress-service")
            let events = try await stack.events(on: [.users], timeout: .seconds(120)) { events in
                Set(events.filter { $0.tenantId == "outage" }.map(\.subject)).count >= 3_000
            }
            let upserts = events.filter { $0.tenantId == "outage" && $0.type == .lmsUserUpserted }
            #expect(Set(upserts.map(\.subject)).count == 3_000, "every user announced")
            #expect(Set(upserts.map(\.id)).count == 3_000, "each announced once (re-sends keep their event id)")
            try await stack.broker("brokers/all/rtt?ms=0")
        }
    }
}
