import Contracts
import Foundation
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
        var summaries: [String: CourseSummaryReport] = [:]
        for (_, report) in try await harness.outbox(.courseSummaryReports, as: CourseSummaryReport.self) {
            summaries["\(report.tenantId)/\(report.aggregateId)"] = report
        }
        var compliance: [String: ComplianceReport] = [:]
        for (_, report) in try await harness.outbox(.complianceReports, as: ComplianceReport.self) {
            compliance["\(report.tenantId)/\(report.aggregateId)"] = report
        }
        return (summaries, compliance)
    }

    func get<T: Decodable>(_ path: String, token: String, as type: T.Type) async throws -> T {
        let answer = try await http.send("GET", path, token: token)
        try #require(answer.status == 200, "GET \(path): \(answer.status) \(answer.text)")
        return try LMSJSON.decode(T.self, from: Array(answer.text.utf8))
    }
}

/// Report values compared with the independently computed ones.
enum Compare {
    static func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 0.0005 }

    static func summary(_ report: CourseSummaryReport, _ expected: Scenario.Summary) -> Bool {
        let medianMatches: Bool
        switch (report.medianDaysToComplete, expected.medianDays) {
        case (nil, nil): medianMatches = true
        case (let a?, let b?): medianMatches = close(a, b)
        default: medianMatches = false
        }
        return report.enrolled == expected.enrolled && report.byStatus == expected.byStatus && report.bySource == expected.bySource
            && close(report.completionRate, expected.completionRate) && close(report.averagePercent, expected.averagePercent)
            && report.overdue == expected.overdue && medianMatches
    }

    static func compliance(_ report: ComplianceReport, _ expected: Scenario.Compliance) -> Bool {
        report.assigned == expected.assigned && report.completed == expected.completed && report.overdue == expected.overdue
            && close(report.complianceRate, expected.rate)
    }

    /// Whether every latest topic snapshot equals the scenario's figures, and every key the
    /// scenario has (every course, every group of every dimension) has a snapshot.
    static func topics(
        _ latest: (summaries: [String: CourseSummaryReport], compliance: [String: ComplianceReport]),
        _ scenario: Scenario
    ) -> [String] {
        var problems: [String] = []
        for (key, report) in latest.summaries where !summary(report, scenario.summary(tenant: report.tenantId, course: report.courseId)) {
            problems.append("summary \(key): \(report) expected \(scenario.summary(tenant: report.tenantId, course: report.courseId))")
        }
        for (key, report) in latest.compliance {
            let expected = scenario.compliance(tenant: report.tenantId, course: report.courseId, dimension: report.dimension, value: report.value)
            if !compliance(report, expected) { problems.append("compliance \(key): \(report) expected \(expected)") }
        }
        for tenant in ["acme", "globex"] {
            for (course, _) in scenario.courses where !scenario.latest(tenant: tenant, course: course).isEmpty {
                if latest.summaries["\(tenant)/\(course)"] == nil { problems.append("no summary snapshot for \(tenant)/\(course)") }
                for dimension in ComplianceDimension.allCases {
                    for value in scenario.groups(tenant: tenant, course: course, dimension: dimension)
                    where latest.compliance["\(tenant)/\(course)/\(dimension.rawValue)/\(value)"] == nil {
                        problems.append("no compliance snapshot for \(tenant)/\(course)/\(dimension.rawValue)/\(value)")
                    }
                }
            }
        }
        return problems
    }
}
