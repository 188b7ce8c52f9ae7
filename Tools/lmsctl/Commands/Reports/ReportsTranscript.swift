import ArgumentParser

/// `lmsctl reports transcript USER_ID`.
struct ReportsTranscript: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transcript", abstract: "A learner's transcript: every course, status and completion.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "User id.") var userId: String
    @Flag(help: "Print the service's CSV.") var csv = false

    func run() async throws {
        try await Reports.show(
            global: global, csv: csv, path: "/v1/reports/learners/\(APIClient.segment(userId))/transcript", query: [], name: "transcript",
            preferred: ["courseId", "title", "status", "percent", "enrolledAt", "dueAt", "completedAt", "overdue", "cycle"])
    }
}
