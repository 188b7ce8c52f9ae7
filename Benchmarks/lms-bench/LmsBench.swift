import ArgumentParser
import Foundation

/// End-to-end figures of the running stack (`scripts/run --release`), each next to a baseline of
/// the infrastructure underneath (PostgreSQL COPY, pgbench, raw Kafka), in a fresh tenant per run.
@main
struct LmsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lms-bench",
        abstract: "End-to-end benchmark of the running LMS stack (start it with scripts/run --release).")

    static let allFigures: [String] = ["backfill", "latency", "bulk", "self", "activity"]

    @Option(help: "Comma-separated figures: \(LmsBench.allFigures.joined(separator: ",")) (memory is always sampled).")
    var only: String = LmsBench.allFigures.joined(separator: ",")

    @Option(help: "Users imported for the rule backfill (half of them match).") var users: Int = 100_000
    @Option(help: "Rows of the bulk enrollment CSV.") var bulkRows: Int = 100_000
    @Option(help: "New-hire events per second for the latency figure.") var rate: Int = 1_000
    @Option(help: "Seconds of steady new-hire events.") var seconds: Int = 10
    @Option(help: "Self-enrollment requests (one learner each).") var selfRequests: Int = 20_000
    @Option(help: "Concurrent self-enrollment clients (and pgbench clients).") var clients: Int = 64
    @Option(help: "Learners whose activity is ingested (4 statements each).") var activityLearners: Int = 25_000
    @Option(help: "Report freshness probes.") var probes: Int = 50

    @Option(help: "Folder of the service executables whose RSS and CPU are sampled; default the folder of lms-bench.") var binDirectory: String?
    @Option(help: "Env file; default .lms/stack.env in this directory or a parent.") var envFile: String?
    @Option(help: "Kafka bootstrap list (overrides LMS_KAFKA_BROKERS).") var brokers: String?
    @Option(help: "PostgreSQL URL for baselines (overrides LMS_DATABASE_URL).") var databaseURL: String?
    @Option(help: "JWT secret (overrides LMS_JWT_SECRET).") var jwtSecret: String?
    @Option(help: "Base URL of user-service.") var userService: String?
    @Option(help: "Base URL of enrollment-service.") var enrollmentService: String?
    @Option(help: "Base URL of rules-worker.") var rulesWorker: String?
    @Option(help: "Base URL of progress-service.") var progressService: String?
    @Option(help: "Base URL of report-service.") var reportService: String?

    func validate() throws {
        let unknown = selected.filter { !Self.allFigures.contains($0) }
        guard unknown.isEmpty else { throw ValidationError("unknown figure(s): \(unknown.joined(separator: ", "))") }
        guard users > 1, bulkRows > 0, rate > 0, seconds > 0, selfRequests > 0, clients > 0, activityLearners > 0, probes > 0 else {
            throw ValidationError("sizes must be positive")
        }
    }

    var selected: [String] { only.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

    func run() async throws {
        var overrides: [String: String] = [:]
        for (key, value) in [
            ("LMS_KAFKA_BROKERS", brokers), ("LMS_DATABASE_URL", databaseURL), ("LMS_JWT_SECRET", jwtSecret),
            ("LMS_USER_SERVICE_URL", userService), ("LMS_ENROLLMENT_SERVICE_URL", enrollmentService),
            ("LMS_RULES_WORKER_URL", rulesWorker), ("LMS_PROGRESS_SERVICE_URL", progressService), ("LMS_REPORT_SERVICE_URL", reportService),
        ] {
            if let value { overrides[key] = value }
        }
        let settings = try BenchSettings.load(envFile: envFile, overrides: overrides)
        let tenant = "bench-" + UUID().uuidString.lowercased().prefix(8)
        let http = BenchHTTP(connections: max(clients, 8))
        let postgresPort = settings.databaseURL.flatMap { URLComponents(string: $0)?.port }
        let processes = StackProcesses(binDirectory: binDirectory, postgresPort: postgresPort ?? 5432)
        let context = BenchContext(settings: settings, http: http, tenant: tenant, processes: processes)
        context.log("tenant \(tenant); figures \(selected.joined(separator: ","))")
        await context.prepareCostCounters()

        let memory = MemorySampler(processes: processes)
        memory.recordIdle()
        let sampler = Task { await memory.run() }
        var rows: [FigureRow] = []
        var failures: [String] = []
        for figure in selected {
            do {
                switch figure {
                case "backfill": rows += try await context.backfill(users: users)
                case "latency": rows += try await context.latency(rate: rate, seconds: seconds)
                case "bulk": rows += try await context.bulk(rows: bulkRows)
                case "self": rows += try await context.selfEnroll(requests: selfRequests, clients: clients)
                case "activity": rows += try await context.activity(learners: activityLearners, probes: probes)
                default: break
                }
            } catch {
                failures.append("\(figure): \(error)")
                context.log("\(figure) failed: \(error)")
            }
        }
        sampler.cancel()
        memory.record()
        await http.shutdown()

        let (idle, peak) = memory.figures
        for service in StackProcesses.services {
            guard let idleKB = idle[service] else { continue }
            rows.append(FigureRow(figure: "RSS \(service) idle", value: Double(idleKB) / 1024, unit: "MB", baseline: nil, target: "< 100 MB"))
            rows.append(
                FigureRow(figure: "RSS \(service) peak", value: Double(peak[service] ?? idleKB) / 1024, unit: "MB", baseline: nil, target: "< 100 MB")
            )
        }
        print("lms-bench, tenant \(tenant), users \(users), bulk rows \(bulkRows), \(rate)/s for \(seconds) s, \(clients) clients")
        print(FigureRow.render(rows))
        let costs = context.costs.withLock { $0 }
        if !costs.isEmpty { print("\n" + UnitCost.render(costs)) }
        if !failures.isEmpty {
            print("\nfailed figures:\n" + failures.joined(separator: "\n"))
            throw ExitCode(1)
        }
    }
}
