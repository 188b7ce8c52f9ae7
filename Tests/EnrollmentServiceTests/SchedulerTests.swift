import Contracts
import EnrollmentService
import Foundation
import ServicePlatform
import TestSupport
import Testing

@Suite("Scheduler", .serialized, .hangGuard)
struct SchedulerTests {
    @Test func accessExpiresAndFreesTheSeat() async throws {
        try await EnrollmentHarness.run { service in
            let admin = service.admin()
            try await service.putCourse("timed", #""capacity":1,"waitlist":true,"accessDays":30"#)
            let first = try await service.enroll(#"{"userId":"t1"}"#, in: "timed", token: admin)
            let second = try await service.enroll(#"{"userId":"t2"}"#, in: "timed", token: admin)
            #expect(second.json.string("status") == "waitlisted")

            service.clock.advance(days: 29)
            #expect(try await service.module.scheduler.tick() == .init(ran: true, expired: 0, cyclesOpened: 0))
            service.clock.advance(days: 2)
            #expect(try await service.module.scheduler.tick() == .init(ran: true, expired: 1, cyclesOpened: 0))
            #expect(try await service.enrollment(first.json.string("enrollmentId") ?? "")?.status == .expired)
            let promoted = try #require(try await service.enrollment(second.json.string("enrollmentId") ?? ""))
            #expect(promoted.status == .active)
            #expect(promoted.expiresAt == service.clock.now().addingTimeInterval(30 * 86_400), "its own access period starts now")
            #expect(try await service.module.scheduler.tick().expired == 0, "nothing twice")
        }
    }

    @Test func recertificationOpensCycleTwoWithANewDueDate() async throws {
        try await EnrollmentHarness.run { service in
            try await service.putCourse("cert", #""recertifyEveryDays":365,"defaultDueDays":20"#)
            let created = try await service.enroll(#"{"userId":"c1"}"#, in: "cert")
            let id = try #require(created.json.string("enrollmentId").flatMap(UUID.init(uuidString:)))
            let completedAt = service.clock.now()
            _ = try await service.database.transaction { connection in
                try await service.module.workflow.apply(
                    [
                        LifecycleAction(
                            tenantId: "acme",
                            enrollmentId: id,
                            command: .complete(at: completedAt),
                            actor: "progress-service",
                            reason: "done"
                        )
                    ],
                    on: connection
                )
            }
            service.clock.advance(days: 364)
            #expect(try await service.module.scheduler.tick().cyclesOpened == 0)
            service.clock.advance(days: 2)
            // Two replicas tick at once: the advisory lock lets one work, the other skips.
            let reports = try await withThrowingTaskGroup(of: EnrollmentScheduler.Report.self) { group in
                group.addTask { try await service.module.scheduler.tick() }
                group.addTask { try await service.module.scheduler.tick() }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(reports.map(\.cyclesOpened).reduce(0, +) == 1)
            #expect(try await service.module.scheduler.tick().cyclesOpened == 0)

            let listed = try await service.http.send("GET", "/v1/users/c1/enrollments", token: service.admin())
            #expect(listed.json.items.map { "\($0.int("cycle") ?? 0):\($0.string("status") ?? "")" } == ["1:completed", "2:active"])
            let lapse = completedAt.addingTimeInterval(365 * 86_400)
            #expect(listed.json.items[1].string("dueAt") == RFC3339.format(lapse.addingTimeInterval(20 * 86_400)))
            #expect(listed.json.items[1].string("source") == "manual")
            let events = try await service.count(
                "SELECT count(*)::int FROM outbox_copies WHERE event_type = 'lms.enrollment.created' AND payload::jsonb ->> 'cycle' = '2'"
            )
            #expect(events == 1)
        }
    }
}

@Suite("Scheduler loop", .serialized, .hangGuard)
struct SchedulerLoopTests {
    @Test func theLoopExpiresOnItsOwnAndStopsPromptly() async throws {
        try await EnrollmentHarness.run { service in
            try await service.putCourse("looped", #""accessDays":1"#)
            let created = try await service.enroll(#"{"userId":"x1"}"#, in: "looped")
            service.clock.advance(days: 2)
            let scheduler = EnrollmentModule(
                database: service.database,
                eventSource: "/tests",
                options: .init(clock: service.clock, schedulerInterval: .milliseconds(50)),
                logger: service.logger
            ).scheduler
            let started = ContinuousClock.now
            let id = created.json.string("enrollmentId") ?? ""
            let expired = try await withRunning([scheduler], logger: service.logger) {
                try await eventually { try await service.enrollment(id)?.status == .expired }
            }
            #expect(expired)
            #expect(ContinuousClock.now - started < .seconds(10), "graceful shutdown interrupts the wait")
        }
    }
}
