import ArgumentParser

/// `lmsctl rules create FILE.json`.
struct RulesCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a rule (draft) from a JSON file ({name, segmentId or criteria, courseIds, backfill, onUnmatch, ...}).")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "JSON file (- for standard input).") var file: String
    @Option(help: "Idempotency-Key header.") var idempotencyKey: String?

    func run() async throws {
        try await CreateFromFile.run(
            global: global, service: .rulesWorker, path: "/v1/rules", file: file, idempotencyKey: idempotencyKey,
            preferred: Rules.preferredColumns)
    }
}
