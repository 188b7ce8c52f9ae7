import ArgumentParser
import Contracts

/// `lmsctl reports rebuild [--wait]`: rebuilds the tenant's reports from what the owning services
/// re-announce (`POST /v1/reports:rebuild`), or shows a rebuild (`--id`).
struct ReportsRebuild: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Rebuild the tenant's reports from the owning services' current state (admin or a service token with reports:rebuild).",
        discussion: """
            Prints the rebuild (id, status, what each source has delivered). With --wait, follows it until it is \
            completed (exit 0) or abandoned (exit 1). With --id, shows that rebuild instead of starting one.
            """
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "Show this rebuild instead of starting one.") var id: String?
    @Flag(help: "Follow the rebuild until it completes.") var wait = false
    @Option(help: "Give up waiting after this many seconds (exit 1; the rebuild goes on).") var timeout: Int = 1800

    func run() async throws {
        let client = try global.client(for: .reportService)
        var rebuild: JSONValue
        if let id {
            rebuild = try await client.get("/v1/reports/rebuilds/\(APIClient.segment(id))").requireSuccess(context: "reports rebuild").json()
        } else {
            rebuild = try await client.send(.POST, "/v1/reports:rebuild").requireSuccess(context: "reports rebuild").json()
        }
        guard wait, let rebuildId = rebuild["rebuildId"]?.stringValue else { return show(rebuild) }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(timeout))
        while rebuild["status"]?.stringValue == "running" {
            guard clock.now < deadline else {
                show(rebuild)
                throw CLIError("reports rebuild: still running after \(timeout) s (it goes on; follow it with --id \(rebuildId))")
            }
            try await Task.sleep(for: .seconds(1))
            rebuild = try await client.get("/v1/reports/rebuilds/\(APIClient.segment(rebuildId))").requireSuccess(context: "reports rebuild")
                .json()
        }
        show(rebuild)
        if rebuild["status"]?.stringValue != "completed" {
            throw CLIError("reports rebuild: \(rebuild["status"]?.stringValue ?? "?") (another rebuild superseded it)")
        }
    }

    private func show(_ rebuild: JSONValue) {
        if global.json {
            Console.out(JSONOutput.pretty(rebuild))
            return
        }
        var summary = rebuild
        if case .object(var fields) = rebuild {
            fields["sources"] = nil  // shown as a table of its own below
            summary = .object(fields)
        }
        Console.out(
            JSONOutput.keyValueTable(summary, preferred: ["rebuildId", "tenantId", "status", "requestedBy", "requestedAt", "finishedAt"]).render()
        )
        let sources = rebuild["sources"]?.arrayValue ?? []
        if !sources.isEmpty {
            Console.out(JSONOutput.table(sources, preferred: ["source", "pagesApplied", "pages", "itemsApplied", "completed"]).render())
        }
    }
}
