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
        try global.show(response, preferred: Rules.preferredColumns)
    }
}
