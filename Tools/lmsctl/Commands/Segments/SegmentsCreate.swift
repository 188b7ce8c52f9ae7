import ArgumentParser

/// `lmsctl segments create FILE.json`.
struct SegmentsCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create a segment from a JSON file ({name, description?, criteria}).")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "JSON file (- for standard input).") var file: String
    @Option(help: "Idempotency-Key header.") var idempotencyKey: String?

    func run() async throws {
        try await CreateFromFile.run(
            global: global, service: .rulesWorker, path: "/v1/segments", file: file, idempotencyKey: idempotencyKey,
            preferred: ["segmentId", "name", "version"])
    }
}
