import Contracts

/// POSTs a JSON file to a collection and shows what was created: the shared body of
/// `segments create` and `rules create`.
enum CreateFromFile {
    static func run(
        global: GlobalOptions, service: ServiceName, path: String, file: String, idempotencyKey: String?, preferred: [String]
    ) async throws(CLIError) {
        let body = try JSONFile.object(file)
        let client = try global.client(for: service)
        let response = try await client.send(
            .POST, path, body: .json(try encode(body)), headers: idempotencyKey.map { [("Idempotency-Key", $0)] } ?? []
        ).requireSuccess(context: "create \(file)")
        if global.json {
            Console.out(JSONOutput.pretty(response.body))
        } else {
            Console.out(JSONOutput.keyValueTable(try response.json(), preferred: preferred).render())
        }
    }

    static func encode(_ object: [String: JSONValue]) throws(CLIError) -> [UInt8] {
        do {
            return try LMSJSON.encode(JSONValue.object(object))
        } catch {
            throw CLIError("cannot encode the request: \(error)")
        }
    }
}
