import Contracts
import Foundation
import ProgressService
import ServiceHTTP
import ServicePlatform
import TestSupport

/// progress-service under test: the service itself (HTTP, relay and, when asked, its consumers)
/// plus a second ``ProgressModule`` over the same schema and clock, to drive handlers and the sweep
/// directly, and builders for the events the service consumes.
struct ProgressHarness: Sendable {
    let service: ServiceHarness
    let module: ProgressModule
    let clock: TestClock

    static func run<R: Sendable>(consumers: Bool = false, _ body: @Sendable (ProgressHarness) async throws -> R) async throws -> R {
        let clock = TestClock()
        let options = ProgressModule.Options(clock: clock, sweepInterval: nil, runsConsumers: consumers)
        return try await ServiceHarness.run(.progressService(options), schemaPrefix: "prg") { service in
            let module = ProgressModule(database: service.database, eventSource: "/lms/progress-service", options: options, logger: service.logger)
            return try await body(ProgressHarness(service: service, module: module, clock: clock))
        }
    }

    // MARK: Events

    func course(_ courseId: String, modules: [String], passingScore: Double? = nil, version: Int64 = 1, tenant: String = "acme") throws -> CloudEvent
    {
        try CloudEvent.make(
            CourseSettings(
                tenantId: tenant, courseId: courseId, title: "Course \(courseId)", waitlist: false,
                selfEnrollment: SelfEnrollmentSettings(enabled: false), modules: modules, passingScore: passingScore, version: version,
                updatedAt: clock.now()),
            source: "/lms/enrollment-service")
    }

    func enrollment(
        _ id: UUID, user: String, course: String, status: EnrollmentStatus = .active, role: EnrollmentRole = .learner,
        dueAt: Date? = nil, cycle: Int = 1, version: Int64 = 1, tenant: String = "acme"
    ) throws -> CloudEvent {
        try CloudEvent.make(
            EnrollmentSnapshot(
                enrollmentId: id, tenantId: tenant, courseId: course, userId: user, role: role, status: status, source: .manual,
                enrolledAt: clock.now(), dueAt: dueAt, cycle: cycle, version: version),
            type: version == 1 ? .enrollmentCreated : .enrollmentUpdated,
            source: "/lms/enrollment-service")
    }

    func activity(
        _ user: String, course: String, module: String, _ verb: ActivityVerb, score: Double? = nil, progress: Double? = nil,
        seconds: Int? = 60, at offset: TimeInterval = 0, statementId: UUID = UUID(), tenant: String = "acme"
    ) throws -> CloudEvent {
        try CloudEvent.make(
            LearningActivity(
                tenantId: tenant, statementId: statementId, userId: user, courseId: course, moduleId: module, verb: verb,
                progress: progress, score: score, durationSeconds: seconds, occurredAt: clock.now().addingTimeInterval(offset)),
            source: "/players/test")
    }

    func erased(_ user: String, tenant: String = "acme") throws -> CloudEvent {
        try CloudEvent.make(
            UserLifecycleEvent(tenantId: tenant, userId: user, version: 9, occurredAt: clock.now()), type: .lmsUserErased,
            source: "/lms/user-service")
    }

    // MARK: Driving

    @discardableResult
    func courses(_ events: CloudEvent...) async throws -> [EventRejection] {
        try await service.deliver(events, to: module.courseHandler)
    }

    @discardableResult
    func enrollments(_ events: CloudEvent...) async throws -> [EventRejection] {
        try await service.deliver(events, to: module.enrollmentHandler)
    }

    @discardableResult
    func activities(_ events: [CloudEvent]) async throws -> [EventRejection] {
        try await service.deliver(events, to: module.activityHandler)
    }

    /// The progress events the service published (its outbox), in order.
    func progressEvents() async throws -> [(type: String, payload: ProgressSnapshot)] {
        try await service.outbox(.progress, as: ProgressSnapshot.self)
    }

    /// `GET /v1/enrollments/{id}/progress` as an admin.
    func progress(_ id: UUID, token: String? = nil) async throws -> HTTPProbe.Answer {
        try await service.http.send("GET", "/v1/enrollments/\(id.uuidString.lowercased())/progress", token: token ?? service.admin())
    }
}
