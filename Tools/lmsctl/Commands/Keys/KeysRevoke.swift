import ArgumentParser

/// `lmsctl keys revoke KEY_ID`.
struct KeysRevoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke an enrollment key (DELETE /v1/enrollment-keys/{keyId}).")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Key id (UUID).") var keyId: String

    func run() async throws {
        let client = try global.client(for: .enrollmentService)
        _ = try await client.send(.DELETE, "/v1/enrollment-keys/\(APIClient.segment(keyId))").requireSuccess(context: "keys revoke")
        Console.out(global.json ? #"{"keyId":"\#(keyId)","revoked":true}"# : "revoked \(keyId)")
    }
}
