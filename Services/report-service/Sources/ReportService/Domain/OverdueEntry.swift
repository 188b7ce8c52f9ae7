import Foundation

/// One overdue learner enrollment, as `GET /v1/reports/overdue` lists it.
package struct OverdueEntry: Codable, Sendable, Equatable {
    package var tenantId: String
    package var enrollmentId: UUID
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

    /// Like the synthesized encoding, but the UUID in its canonical lowercase form (as every event and service sends it).
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(tenantId, forKey: .tenantId)
        try container.encode(enrollmentId.uuidString.lowercased(), forKey: .enrollmentId)
        try container.encode(courseId, forKey: .courseId)
        try container.encode(userId, forKey: .userId)
        try container.encode(cycle, forKey: .cycle)
        try container.encodeIfPresent(department, forKey: .department)
        try container.encodeIfPresent(location, forKey: .location)
        try container.encodeIfPresent(jobRole, forKey: .jobRole)
        try container.encodeIfPresent(enrolledAt, forKey: .enrolledAt)
        try container.encodeIfPresent(dueAt, forKey: .dueAt)
        try container.encode(percent, forKey: .percent)
        try container.encodeIfPresent(daysOverdue, forKey: .daysOverdue)
    }
}
