/// Compliance of one department across a tenant's courses (the dashboard's second chart).
package struct DepartmentCompliance: Sendable, Equatable {
    package var department: String
    package var assigned: Int
    package var completed: Int
    package var overdue: Int

    package var rate: Double { assigned == 0 ? 0 : Double(completed) / Double(assigned) }
}
