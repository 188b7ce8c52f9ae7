import ArgumentParser

/// `lmsctl rules activate RULE_ID`.
struct RulesActivate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "activate", abstract: "Activate a rule (it starts enrolling; with backfill, also users who already match).")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Rule id (UUID).") var ruleId: String

    func run() async throws {
        let client = try global.client(for: .rulesWorker)
        let response = try await client.send(.POST, "/v1/rules/\(APIClient.segment(ruleId)):activate").requireSuccess(context: "rules activate")
        if global.json {
            Console.out(JSONOutput.pretty(response.body))
        } else {
            Console.out(JSONOutput.keyValueTable(try response.json(), preferred: Rules.preferredColumns).render())
        }
    }
}
