import ArgumentParser

/// `lmsctl reports compliance --course C --group-by department`.
struct ReportsCompliance: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compliance", abstract: "Compliance of a course by department, location or job role.")

    enum Dimension: String, ExpressibleByArgument, CaseIterable {
        case department, location, jobRole
    }

    @OptionGroup var global: GlobalOptions
    @Option(help: "Course id.") var course: String
    @Option(help: "department, location or jobRole.") var groupBy: Dimension = .department
    @Flag(help: "Print the service's CSV.") var csv = false

    func run() async throws {
        try await Reports.show(
            global: global, csv: csv, path: "/v1/reports/compliance", query: [("courseId", course), ("groupBy", groupBy.rawValue)],
            name: "compliance", preferred: ["courseId", "dimension", "value", "assigned", "completed", "overdue", "complianceRate", "asOf"])
    }
}
