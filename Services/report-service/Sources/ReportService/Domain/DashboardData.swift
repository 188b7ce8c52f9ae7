import Contracts
import Foundation

/// What the dashboard shows for one tenant, read at `asOf`.
package struct DashboardData: Sendable {
    package var tenantId: String
    package var asOf: Date
    /// Course summaries with their titles (nil when no course event named them).
    package var courses: [(summary: CourseSummaryReport, title: String?)]
    package var departments: [DepartmentCompliance]
    package var overdueTrend: [(day: Date, overdue: Int)]
}
