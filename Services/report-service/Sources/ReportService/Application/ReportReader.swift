import Contracts
import Foundation
import Logging
import PostgresNIO
import ServicePlatform

/// The reports as the API and the dashboard read them, computed at `asOf` by the same queries the
/// publisher uses (so an answer and a topic snapshot taken at the same time agree), and the facts
/// the access rules look up.
package struct ReportReader: Sendable {
    let database: ServiceDatabase
    let reports: ReportRepository

    /// Whether `userId` holds an active instructor enrollment in the course.
    package func teaches(_ userId: String, _ key: CourseKey) async throws -> Bool {
        try await database.client.withConnection { try await reports.teaches(userId, key, on: $0) }
    }

    /// Whether the tenant knows the course (an enrollment or a course event).
    package func courseExists(_ key: CourseKey) async throws -> Bool {
        try await database.client.withConnection { try await reports.courseExists(key, on: $0) }
    }

    /// Whether the tenant knows the user (a profile or an enrollment).
    package func userExists(tenantId: String, userId: String) async throws -> Bool {
        try await database.client.withConnection { try await reports.userExists(tenantId: tenantId, userId: userId, on: $0) }
    }

    /// The course's summary (zeros for a course without enrollments).
    package func summary(_ key: CourseKey, asOf: Date) async throws -> CourseSummaryReport? {
        try await database.client.withConnection { try await reports.summaries([key], asOf: asOf, on: $0).first }
    }

    /// The compliance rows of every group that exists now by `dimension`, of one course or all the tenant's.
    package func compliance(tenantId: String, courseId: String?, dimension: ComplianceDimension, asOf: Date) async throws -> [ComplianceReport] {
        try await database.client.withConnection { connection in
            let keys = try await reports.complianceGroups(tenantId: tenantId, courseId: courseId, dimension: dimension, on: connection)
            return try await reports.compliance(keys, asOf: asOf, on: connection)
        }
    }

    /// A learner's transcript: every learner enrollment, all courses and cycles.
    package func transcript(tenantId: String, userId: String, asOf: Date) async throws -> [TranscriptEntry] {
        try await database.client.withConnection { try await reports.transcript(tenantId: tenantId, userId: userId, asOf: asOf, on: $0) }
    }

    /// The overdue learner enrollments (optionally of one course, one department) in
    /// `(courseId, userId, cycle)` order after `after`; `limit` nil streams them all to `each` as
    /// the database returns them.
    package func overdue(
        tenantId: String,
        courseId: String?,
        department: String?,
        asOf: Date,
        after: (String, String, Int)?,
        limit: Int?,
        _ each: (OverdueEntry) async throws -> Void
    ) async throws {
        try await reports.overdue(
            tenantId: tenantId,
            courseId: courseId,
            department: department,
            asOf: asOf,
            after: after,
            limit: limit,
            on: database.client,
            each
        )
    }

    /// What the dashboard shows for the tenant: every course's summary with its title, compliance
    /// by department and the overdue count of each of the last `trendDays` days.
    package func dashboard(tenantId: String, asOf: Date, trendDays: Int) async throws -> DashboardData {
        try await database.client.withConnection { connection in
            let courses = try await reports.courses(tenantId: tenantId, on: connection)
            let summaries = try await reports.summaries(courses, asOf: asOf, on: connection)
            let titles = try await reports.courseTitles(tenantId: tenantId, on: connection)
            let departments = try await reports.complianceByDepartment(tenantId: tenantId, asOf: asOf, on: connection)
            let trend = try await reports.overdueTrend(tenantId: tenantId, days: trendDays, asOf: asOf, on: connection)
            return DashboardData(
                tenantId: tenantId,
                asOf: asOf,
                courses: summaries.map { ($0, titles[$0.courseId]) },
                departments: departments,
                overdueTrend: trend
            )
        }
    }
}
