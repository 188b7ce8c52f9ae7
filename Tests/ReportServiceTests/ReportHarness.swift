import Contracts
import ReportService
import ServiceHTTP
import ServiceHost
import ServicePlatform
import TestSupport
import Testing

/// report-service as `ServiceApplication` builds it (via ``ServiceHarness``) with a test clock,
/// plus a module over the test's own pool to drive handlers and the publisher directly.
struct ReportHarness: Sendable {
    let harness: ServiceHarness
    let module: ReportModule
    let clock: TestClock

    var http: HTTPProbe { harness.http }

    static func run<R: Sendable>(
        consumers: Bool = false,
        publishInterval: Duration? = nil,
        _ body: @Sendable (ReportHarness) async throws -> R
    ) async throws -> R {
        let clock = TestClock()
        let options = ReportModule.Options(
            clock: clock,
            publishInterval: publishInterval,
            fullRepublishInterval: .seconds(30 * 86_400),
            runsConsumers: consumers
        )
        return try await ServiceHarness.run(.reportService(options), schemaPrefix: "rep") { harness in
            let module = ReportModule(
                database: harness.database,
                eventSource: "/lms/report-service",
                verification: try JWTVerification(hs256Secret: ServiceHarness.secret),
                options: options,
                logger: harness.logger
            )
            return try await body(ReportHarness(harness: harness, module: module, clock: clock))
        }
    }

    /// Applies the scenario through the handlers, deliberately out of order: progress before its
    /// enrollments, final enrollment states before the initial ones (which are then stale).
    func apply(_ scenario: Scenario) async throws {
        let enrollments = try scenario.enrollmentEvents()
        #expect(try await harness.deliver(try scenario.progressEvents(), to: module.progressHandler).isEmpty)
        #expect(try await harness.deliver(try scenario.userEvents(), to: module.userHandler).isEmpty)
        #expect(try await harness.deliver(try scenario.courseEvents(), to: module.courseHandler).isEmpty)
        #expect(try await harness.deliver(enrollments.final, to: module.enrollmentHandler).isEmpty)
        #expect(try await harness.deliver(enrollments.initial, to: module.enrollmentHandler).isEmpty)
    }

    /// The latest snapshot per key of each report topic in the outbox.
    func latestSnapshots() async throws -> (summaries: [String: CourseSummaryReport], compliance: [String: ComplianceReport]) {
        func latest<Report: EventPayload>(_ topic: Topic, _ type: Report.Type) async throws -> [String: Report] {
            try await harness.outbox(topic, as: type).reduce(into: [:]) { $0["\($1.payload.tenantId)/\($1.payload.aggregateId)"] = $1.payload }
        }
        return (try await latest(.courseSummaryReports, CourseSummaryReport.self), try await latest(.complianceReports, ComplianceReport.self))
    }

    func get<T: Decodable>(_ path: String, token: String, as type: T.Type) async throws -> T {
        let answer = try await http.send("GET", path, token: token)
        try #require(answer.status == 200, "GET \(path): \(answer.status) \(answer.text)")
        return try LMSJSON.decode(T.self, from: Array(answer.text.utf8))
    }
}
