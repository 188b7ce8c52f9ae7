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

    static let csvHeader = ["enrollmentId", "courseId", "userId", "cycle", "department", "location", "jobRole", "enrolledAt",
                            "dueAt", "percent", "daysOverdue"]

    var csvFields: [String] {
        [enrollmentId.uuidString.lowercased(), courseId, userId, String(cycle), department ?? "", location ?? "", jobRole ?? "",
         CSVValue.instant(enrolledAt), CSVValue.instant(dueAt), CSVValue.number(percent), daysOverdue.map(String.init) ?? ""]
    }
}
