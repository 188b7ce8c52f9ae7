import Contracts
import Foundation
import TestSupport
import Testing

/// SIGTERM to each service while events flow: it stops within a bound, with status 0, and after a
/// restart nothing is missing.
@Suite("Reliability: graceful shutdown", .serialized, .timeLimit(.minutes(15)))
struct ShutdownTests {
    @Test func sigtermUnderLoadLosesNothing() async throws {
        try await LocalStack.run { stack in
            let load = FaultLoad(stack: stack, tenant: "sigterm")
            let scenario = PlatformEvents(tenant: "sigterm")
            try await load.call(.enrollmentService, "PUT", "/v1/courses/steady", body: #"{"title":"Steady","modules":["a"]}"#)
            var figures: [String] = []
            var batch = 0
            for service in LocalStack.Service.allCases {
                // Events in flight for every consumer while the service stops.
                let users = (batch * 1_000..<(batch + 1) * 1_000).map { "t\($0)" }
                batch += 1
                try await stack.publish(try users.map { try scenario.userCreated($0, department: "Ops") })
                let started = ContinuousClock.now
                let status = await stack.stop(service, signal: SIGTERM, timeout: .seconds(30))
                let took = ContinuousClock.now - started
                figures.append("\(service.rawValue) \(took)")
                #expect(status == 0, "\(service.rawValue) exits cleanly on SIGTERM (status \(status.map(String.init) ?? "?"))")
                #expect(took < .seconds(30), "\(service.rawValue) stops within 30 s")
                try stack.start(service)
                try await stack.waitUntilReady(service)
            }
            print("SIGTERM to exit: \(figures.joined(separator: ", "))")
            let total = LocalStack.Service.allCases.count * 1_000
            try await load.waitUntil(rows: "users.users", equals: total, "user-service")
            try await load.waitUntil(rows: "rules.users", equals: total, "rules-worker")
            try await load.waitUntil(rows: "enrollments.users", equals: total, "enrollment-service")
        }
    }
}
