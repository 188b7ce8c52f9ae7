import Contracts

/// POSTs a JSON file to a collection and shows what was created: the shared body of
/// `segments create` and `rules create`.
enum CreateFromFile {
    static func run(
        global: GlobalOptions, service: ServiceName, path: String, file: String, idempotencyKey: String?, preferred: [String]
    ) async throws(CLIError) {
        let body = try JSONFile.object(file)
        let client = try global.client(for: service)
        let response = try await client.send(.POST, path, body: .json(try encode(body)), idempotencyKey: idempotencyKey)
            .requireSuccess(context: "create \(file)")
        try global.show(response, preferred: preferred)
    }

    static func encode(_ object: [String: JSONValue]) throws(CLIError) -> [UInt8] {
        do {
            return try LMSJSON.encode(JSONValue.object(object))
        } catch {
            throw CLIError("cannot encode the request: \(error)")
        }
    }
}
