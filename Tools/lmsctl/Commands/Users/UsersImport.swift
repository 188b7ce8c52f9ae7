import ArgumentParser
import Contracts

/// `lmsctl users import FILE.csv`: POST /v1/users:import, then the per-row results.
struct UsersImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import users from a CSV file (POST /v1/users:import) and print the per-row results.",
        discussion: "Exits 2 when some rows were rejected (the others are applied).")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "CSV file: a header row (userId, email, givenName, familyName, ...) then one user per row.") var file: String
    @Flag(help: "Print only the rejected rows (and the counts).") var rejectedOnly = false
    @Flag(help: "No progress display.") var quiet = false
    @Option(help: "Idempotency-Key header (a repeat returns the first answer).") var idempotencyKey: String?

    func run() async throws {
        let upload = try Upload.csv(file)
        let client = try global.client(for: .userService)
        let response = try await upload.send(client, path: "/v1/users:import", quiet: quiet, idempotencyKey: idempotencyKey)
            .requireSuccess(context: "users import")
        if global.json {
            Console.out(JSONOutput.pretty(response.body))
        }
        let report = try response.json()
        let counts = report["counts"]
        if !global.json {
            var table = TextTable(columns: ["row", "userId", "result", "errors"])
            for row in report["results"]?.arrayValue ?? [] {
                let result = JSONOutput.cell(row["result"])
                if rejectedOnly && result != "rejected" { continue }
                let errors = (row["errors"]?.arrayValue ?? []).map { "\(JSONOutput.cell($0["field"])): \(JSONOutput.cell($0["message"]))" }
                table.append([JSONOutput.cell(row["row"]), JSONOutput.cell(row["userId"]), result, errors.joined(separator: "; ")])
            }
            if !table.rows.isEmpty { Console.out(table.render()) }
            Console.out(
                ["total", "created", "updated", "unchanged", "rejected"].map { "\($0) \(JSONOutput.cell(counts?[$0]))" }.joined(separator: "  "))
        }
        if let rejected = counts?["rejected"]?.doubleValue, rejected > 0 {
            throw CLIError("\(Int(rejected)) row(s) rejected", status: .rowsRejected)
        }
    }
}
