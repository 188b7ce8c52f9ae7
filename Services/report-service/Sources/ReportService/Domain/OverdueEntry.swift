import Foundation

/// One overdue learner enrollment, as `GET /v1/reports/overdue` lists it.
package struct OverdueEntry: Codable, Sendable, Equatable {
    package var tenantId: String
    /// The database's text form: lowercase, as every event and service sends UUIDs.
    package var enrollmentId: String
    package var courseId: String
    package var userId: String
    package var cycle: Int
    package var department: String?
    package var location: String?
    package var jobRole: String?
    package var enrolledAt: Date?
    package var dueAt: Date?
    package var percent: Double
    package var daysOverdue: Int?
}
