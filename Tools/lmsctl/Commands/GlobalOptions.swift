import ArgumentParser
import Foundation

/// Options every command accepts: where the stack is and who is calling.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Env file with LMS_* variables (default: .lms/stack.env in this directory or a parent).")
    var envFile: String?

    @Option(name: .long, help: "Base URL of the service the command talks to (overrides LMS_<SERVICE>_URL).")
    var url: String?

    @Option(name: .long, help: "Bearer token (default: LMS_TOKEN, else an admin token minted with LMS_JWT_SECRET).")
    var token: String?

    @Option(name: .long, help: "Tenant of the minted admin token.")
    var tenant: String = "demo"

    @Flag(name: .long, help: "Print the service's JSON answer instead of a table.")
    var json = false

    func settings() throws(CLIError) -> Settings {
        try Settings.load(envFile: envFile, url: url, token: token, tenant: tenant)
    }

    /// An API client for `service` with these settings.
    func client(for service: ServiceName) throws(CLIError) -> APIClient {
        let settings = try settings()
        return APIClient(baseURL: settings.baseURL(service), token: try settings.bearerToken(), service: service)
    }

    /// Prints a service's answer: its JSON with `--json`, else a field/value table with `preferred` first.
    func show(_ response: APIResponse, preferred: [String]) throws(CLIError) {
        if json {
            Console.out(JSONOutput.pretty(response.body))
        } else {
            Console.out(JSONOutput.keyValueTable(try response.json(), preferred: preferred).render())
        }
    }
}
