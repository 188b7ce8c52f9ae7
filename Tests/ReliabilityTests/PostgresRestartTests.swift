import Contracts
import Foundation
import TestSupport
import Testing

/// PostgreSQL goes away for 10 s in the middle of a rule backfill while user events keep
/// arriving: the services report it on `/health/ready`, reconnect on their own (no restarts) and
/// every input has its effect exactly once.
@Suite("Reliability: PostgreSQL restart", .serialized, .timeLimit(.minutes(20)))
struct PostgresRestartTests {
    @Test func restartDuringABackfillLosesAndDuplicatesNothing() async throws {
        let postgres = try TestPostgres()
        try await LocalStack.run { stack in
            let load = FaultLoad(stack: stack, tenant: "pg-restart")
            let users = FaultLoad.users
            let lateUsers = 1_000
            let services = LocalStack.Service.allCases
            try await load.startSalesBackfill(users: users)
            let pidsBefore = services.map { stack.processIdentifier($0) }

            let enrolled = "SELECT count(*)::int FROM enrollments.enrollments WHERE tenant_id = 'pg-restart'"
            _ = try await eventually(timeout: .seconds(120)) { try await stack.count(enrolled) > 0 }
            let enrolledBefore = try await stack.count(enrolled)
            let outageStarted = ContinuousClock.now
            try await postgres.stop()
            do {
                // Readiness reports the outage while it lasts.
                let reported = try await eventually(timeout: .seconds(30)) {
                    var notReady = 0
                    for service in services where (try? await stack.http(service).send("GET", "/health/ready"))?.status == 503 { notReady += 1 }
                    return notReady == services.count
                }
                #expect(reported, "every service answers 503 on /health/ready while PostgreSQL is down")
                // Platform events keep arriving on Kafka meanwhile; half of the new users are in Sales.
                let scenario = PlatformEvents(tenant: "pg-restart")
                try await stack.publish(
                    try (0..<lateUsers).map {
                        try scenario.userCreated("late\($0)", department: $0 % 2 == 0 ? "Sales" : "Support")
                    })
                let remaining = Duration.seconds(10) - (ContinuousClock.now - outageStarted)
                if remaining > .zero { try await Task.sleep(for: remaining) }
            } catch {
                try await postgres.start()
                throw error
            }
            try await postgres.start()
            let restarted = ContinuousClock.now

            var recovery: [String] = []
            for service in services {
                try await stack.waitUntilReady(service, timeout: .seconds(120))
                recovery.append("\(service.rawValue) \(ContinuousClock.now - restarted)")
            }
            #expect(services.map { stack.processIdentifier($0) } == pidsBefore, "no service was restarted")

            let matching = users / 2 + lateUsers / 2
            try await load.waitUntil(rows: "users.users", equals: users + lateUsers, "user-service has every user")
            try await load.waitUntil(enrolled, equals: matching, "every matching user enrolled")
            let settled = ContinuousClock.now - restarted
            try await load.checkSalesEnrolledOnce(matching)
            print(
                """
                PostgreSQL restart: \(users + lateUsers) users (\(lateUsers) published during the outage), \(matching) enrollments \
                (\(enrolledBefore) before the outage); ready again after the restart: \(recovery.joined(separator: ", ")); \
                every enrollment committed \(settled) after the restart
                """)
        }
    }
}
