import Contracts
import Foundation
import ProgressService
import TestSupport
import Testing

/// Consumers apply ids from events only within the event's tenant: a `lms.enrollments.v1` snapshot
/// of tenant globex that names acme's enrollment id leaves acme's progress record as it was.
@Suite("progress-service consumers keep tenants apart")
struct ProgressTenantWallTests {
    @Test func anEnrollmentSnapshotOfAnotherTenantLeavesTheRecordAlone() async throws {
        try await ProgressHarness.run { h in
            try await h.courses(try h.course("wall", modules: ["a", "b"]))
            let id = UUID()
            let due = h.clock.now().addingTimeInterval(86_400)
            try await h.enrollments(try h.enrollment(id, user: "u1", course: "wall", dueAt: due))
            let forged = try h.enrollment(
                id,
                user: "u1",
                course: "wall",
                status: .withdrawn,
                dueAt: due.addingTimeInterval(86_400),
                version: 5,
                tenant: "globex"
            )
            try await h.enrollments(forged)
            #expect(
                try await h.service.count("SELECT count(*)::int FROM enrollment_progress WHERE tenant_id = 'acme' AND enrollment_status = 'active'")
                    == 1
            )
            #expect(try await h.service.count("SELECT count(*)::int FROM enrollment_progress WHERE enrollment_version = 1") == 1)
            #expect(try await h.progressEvents().allSatisfy { $0.payload.tenantId == "acme" })
        }
    }
}
