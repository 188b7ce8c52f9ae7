import ArgumentParser
import Contracts

/// `lmsctl enroll --course C FILE.csv`: bulk enrollment from CSV (POST .../enrollments:bulk).
struct Enroll: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Enroll the users of a CSV file (userId[,role][,dueAt][,mandatory]) in a course and print the per-row results.",
        discussion: "Exits 2 when some rows were rejected."
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "Course id.") var course: String
    @Argument(help: "CSV file with a header row: userId, optional role (learner|instructor), dueAt and mandatory (true|false).")
    var file: String
    @Flag(help: "Print only the rejected rows (and the summary).") var rejectedOnly = false
    @Flag(help: "No progress display.") var quiet = false
    @Option(help: "Idempotency-Key header.") var idempotencyKey: String?

    func run() async throws {
        let path = "/v1/courses/\(APIClient.segment(course))/enrollments:bulk"
        let response = try await Upload.post(
            file, to: path, of: .enrollmentService, global: global, quiet: quiet, idempotencyKey: idempotencyKey, context: "enroll")
        let result = try response.json()
        let summary = result["summary"]
        if global.json {
            Console.out(JSONOutput.pretty(response.body))
        } else {
            let columns = ["row", "userId", "result", "status", "enrollmentId", "reason"]
            let table = Upload.table(result["items"]?.arrayValue ?? [], columns: columns, rejectedOnly: rejectedOnly) { item in
                columns.map { JSONOutput.cell(item[$0]) }
            }
            if !table.rows.isEmpty { Console.out(table.render()) }
            Console.out(
                "import \(JSONOutput.cell(result["importId"]))  "
                    + ["total", "enrolled", "alreadyEnrolled", "waitlisted", "rejected"].map { "\($0) \(JSONOutput.cell(summary?[$0]))" }
                    .joined(separator: "  ")
            )
        }
        try Upload.requireNoneRejected(summary?["rejected"])
    }
}
