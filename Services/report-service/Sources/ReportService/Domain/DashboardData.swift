import Contracts
import Foundation

/// What the dashboard shows for one tenant, read at `asOf`.
struct DashboardData: Sendable {
    var tenantId: String
    var asOf: Date
    /// Course summaries with their titles (nil when no course event named them).
    var courses: [(summary: CourseSummaryReport, title: String?)]
    var departments: [DepartmentCompliance]
    var overdueTrend: [(day: Date, overdue: Int)]
}
