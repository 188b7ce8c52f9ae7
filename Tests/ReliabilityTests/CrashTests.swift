import Contracts
import Foundation
import TestSupport
import Testing

/// `kill -9` of each service in turn in the middle of a rule backfill and of a bulk enrollment;
/// after restarts, every accepted input has its effect exactly once.
@Suite("Reliability: crashes", .serialized, .timeLimit(.minutes(20)))
struct CrashTests {
    @Test func killingEachServiceDuringARuleBackfillLosesAndDuplicatesNothing() async throws {
        try await LocalStack.run { stack in
            let load = FaultLoad(stack: stack, tenant: "crash")
            let users = FaultLoad.users
            let matching = users / 2
            let started = ContinuousClock.now
            try await load.startSalesBackfill(users: users)

            // Crash each service of the path once the backfill is under way, then bring it back.
            let enrolledSoFar = "SELECT count(*)::int FROM enrollments.enrollments WHERE tenant_id = 'crash'"
            for service in [LocalStack.Service.rulesWorker, .enrollmentService, .progressService, .userService, .reportService] {
                _ = try await eventually(timeout: .seconds(60)) { try await stack.count(enrolledSoFar) > 0 }
                let status = await stack.stop(service, signal: SIGKILL)
                #expect(status == SIGKILL || status == 9, "\(service.rawValue) was killed")
                try stack.start(service)
                try await stack.waitUntilReady(service)
            }

            try await load.waitUntil(enrolledSoFar, equals: matching, "every matching user enrolled")
            let elapsed = ContinuousClock.now - started
            try await load.checkSalesEnrolledOnce(matching)
            print("import and backfill with 5 crashes: \(users) users, \(matching) enrollments in \(elapsed)")
        }
    }

    @Test func killingServicesDuringABulkEnrollmentLosesAndDuplicatesNothing() async throws {
        try await LocalStack.run { stack in
            let load = FaultLoad(stack: stack, tenant: "bulk-crash")
            let rows = FaultLoad.users
            try await load.call(.enrollmentService, "PUT", "/v1/courses/bulk-course", body: #"{"title":"Bulk","modules":["m1"]}"#)
            let csv = "userId\n" + (0..<rows).map { "b\($0)" }.joined(separator: "\n")

            // The first upload dies with enrollment-service mid-request (or just after).
            let upload = Task {
                try await stack.http(.enrollmentService).send(
                    "POST", "/v1/courses/bulk-course/enrollments:bulk", token: load.admin, body: csv, contentType: "text/csv")
            }
            try await Task.sleep(for: .milliseconds(300))
            await stack.stop(.enrollmentService, signal: SIGKILL)
            let first = try? await upload.value
            #expect(first?.status != 200 || first?.json["summary"] != nil, "the interrupted upload either failed or completed")
            // progress-service crashes while consuming whatever was committed.
            await stack.stop(.progressService, signal: SIGKILL)
            try stack.start(.enrollmentService)
            try stack.start(.progressService)
            try await stack.waitUntilReady(.enrollmentService)
            try await stack.waitUntilReady(.progressService)

            // The admin repeats the upload: rows already done are reported as such, nothing doubles.
            let again = try await load.call(
                .enrollmentService, "POST", "/v1/courses/bulk-course/enrollments:bulk", body: csv, contentType: "text/csv")
            #expect(again.status == 200)
            try await load.waitUntil(
                "SELECT count(*)::int FROM enrollments.enrollments WHERE tenant_id = 'bulk-crash'", equals: rows, "every row enrolled once")
            try await load.waitUntil(
                "SELECT count(*)::int FROM progress.enrollment_progress WHERE tenant_id = 'bulk-crash'", equals: rows,
                "progress-service has every enrollment once")
            try await load.checkCreatedEvents(course: "bulk-course", expected: rows)
        }
    }
}
