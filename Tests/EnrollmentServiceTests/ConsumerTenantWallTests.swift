import Contracts
import EnrollmentService
import Foundation
import TestSupport
import Testing

/// Consumers apply ids from events only within the event's tenant: a `lms.progress.v1` event of
/// tenant globex that names acme's enrollment id changes nothing of acme's.
@Suite("enrollment-service consumers keep tenants apart")
struct ConsumerTenantWallTests {
    @Test func progressOfAnotherTenantNeverTouchesAnEnrollmentWithThatId() async throws {
        try await EnrollmentHarness.run { service in
            try await service.putCourse("wall-101")
            let created = try await service.enroll(#"{"userId":"busy"}"#, in: "wall-101")
            #expect(created.status == 201, "\(created.text)")
            let id = try #require(created.json.string("enrollmentId").flatMap(UUID.init(uuidString:)))
            func progress(tenant: String, type: EventType) throws -> CloudEvent {
                try CloudEvent.make(
                    ProgressSnapshot(
                        tenantId: tenant,
                        enrollmentId: id,
                        userId: "busy",
                        courseId: "wall-101",
                        percent: type == .progressCompleted ? 100 : 20,
                        status: type == .progressCompleted ? .completed : .inProgress,
                        timeSpentSeconds: 300,
                        completedModules: [],
                        overdue: false,
                        completedAt: type == .progressCompleted ? Date() : nil,
                        cycle: 1,
                        version: 1
                    ),
                    type: type,
                    source: "/lms/progress-service"
                )
            }
            let started = "SELECT count(*)::int FROM enrollments WHERE progress_started_at IS NOT NULL"
            #expect(try await service.deliver([try progress(tenant: "globex", type: .progressUpdated)], to: service.module.progressHandler).isEmpty)
            #expect(try await service.count(started) == 0, "globex's progress did not mark acme's enrollment as started")
            #expect(try await service.deliver([try progress(tenant: "globex", type: .progressCompleted)], to: service.module.progressHandler).isEmpty)
            #expect(try await service.count("SELECT count(*)::int FROM enrollments WHERE status = 'active'") == 1, "nor completed it")

            #expect(try await service.deliver([try progress(tenant: "acme", type: .progressUpdated)], to: service.module.progressHandler).isEmpty)
            #expect(try await service.count(started) == 1, "acme's own progress counts")
        }
    }
}
