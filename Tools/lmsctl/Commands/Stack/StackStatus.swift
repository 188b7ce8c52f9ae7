import ArgumentParser
import Contracts
import Foundation

/// `lmsctl stack status`: GET /health/ready of each service, as a table. Exits 5 unless all are ready.
struct StackStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Readiness of each service (GET /health/ready); exits 5 unless all are ready.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let settings = try global.settings()
        let results = await Self.probe(settings)
        if global.json {
            let items: [JSONValue] = results.map {
                [
                    "service": .string($0.service.rawValue), "url": .string($0.url), "status": .string($0.status), "detail": .string($0.detail),
                    "ms": .number(Double($0.millis)),
                ]
            }
            Console.out(JSONOutput.pretty(.object(["items": .array(items)])))
        } else {
            var table = TextTable(columns: ["service", "url", "status", "ms", "detail"])
            for result in results { table.append([result.service.rawValue, result.url, result.status, String(result.millis), result.detail]) }
            Console.out(table.render())
        }
        let down = results.filter { $0.status != "ready" }.count
        if down > 0 { throw CLIError("\(down) of \(results.count) services not ready", status: .serverError) }
    }

    struct Probe: Sendable {
        var service: ServiceName
        var url: String
        var status: String
        var detail: String
        var millis: Int
    }

    /// Asks every service at once; results in the services' order.
    static func probe(_ settings: Settings) async -> [Probe] {
        await withTaskGroup(of: (Int, Probe).self) { group in
            for (index, service) in ServiceName.allCases.enumerated() {
                // --url would point every service at one address; status always uses each service's own.
                let url = settings.value(service.urlVariable) ?? service.defaultURL
                group.addTask {
                    let start = ContinuousClock.now
                    let client = APIClient(baseURL: url, token: nil, service: service, timeoutSeconds: 5)
                    var probe = Probe(service: service, url: url, status: "down", detail: "unreachable", millis: 0)
                    if let response = try? await client.get("/health/ready") {
                        probe.status = response.isSuccess ? "ready" : "not ready"
                        probe.detail = detail(response)
                    }
                    probe.millis = Int(ProgressReporter.seconds(ContinuousClock.now - start) * 1000)
                    return (index, probe)
                }
            }
            var probes: [(Int, Probe)] = []
            for await probe in group { probes.append(probe) }
            return probes.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// The checks of a readiness answer in one line (`postgres ok, kafka ok`), or its status.
    static func detail(_ response: APIResponse) -> String {
        guard let value = try? JSONValue(parsing: response.body), let object = value.objectValue else {
            return "HTTP \(response.status)"
        }
        let checks = JSONOutput.flatten(object).filter { $0.key != "status" }.map { "\($0.key)=\(JSONOutput.cell($0.value))" }
        return checks.isEmpty ? "HTTP \(response.status)" : checks.joined(separator: " ")
    }
}
