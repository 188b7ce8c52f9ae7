import Contracts
import Foundation
import Kafka
import Logging
import PostgresNIO
import ServiceHTTP
import ServicePlatform
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The whole system as users run it: the `lms-dev-broker` process and the five service
/// executables as separate processes, over a database of the stack's own (so every service has
/// its usual schema). Scenario and fault tests drive it only through HTTP and Kafka, and can
/// stop, kill and restart single services.
///
/// The executables are the ones `swift build --build-tests` put next to the test runner.
public final class LocalStack: Sendable {
    /// A service of the system.
    public enum Service: String, CaseIterable, Sendable {
        case userService = "user-service"
        case enrollmentService = "enrollment-service"
        case rulesWorker = "rules-worker"
        case progressService = "progress-service"
        case reportService = "report-service"
    }

    public static let secret = "local-stack-secret-long-enough-for-hs256-tokens"

    public let kafkaBrokers: String
    /// The development broker's control URL (fault injection).
    public let brokerControl: String
    public let databaseURL: DatabaseURL
    /// `databaseURL` as the `LMS_DATABASE_URL` text.
    public let databaseURLText: String
    public let logger: Logger
    /// Where the processes write their logs.
    public let folder: URL
    private let ports: [Service: Int]
    private let processes = Mutex<[Service: SpawnedProcess]>([:])
    private let broker: SpawnedProcess

    public enum StackError: Error, CustomStringConvertible {
        case missingExecutable(String)
        case brokerDidNotStart
        case notReady(Service, log: String)
        case exited(Service, status: Int32, log: String)
        case brokerCommandFailed(String, String)

        public var description: String {
            switch self {
            case .missingExecutable(let path): "\(path) is missing: build with `swift build --build-tests` (scripts/test does)"
            case .brokerDidNotStart: "lms-dev-broker did not publish its bootstrap list within 60 s"
            case .notReady(let service, let log): "\(service.rawValue) was not ready in time; its log ends with:\n\(log)"
            case .exited(let service, let status, let log): "\(service.rawValue) exited with \(status); its log ends with:\n\(log)"
            case .brokerCommandFailed(let command, let answer): "dev broker refused \(command): \(answer)"
            }
        }
    }

    /// Folder of the package's built products (where the test runner lives).
    public static var binaries: URL {
        let runner = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        var folder = runner.deletingLastPathComponent()
        // An xctest bundle (macOS) nests the runner; on Linux the runner sits in the products folder.
        while folder.pathExtension == "xctest" || folder.lastPathComponent == "MacOS" || folder.lastPathComponent == "Contents" {
            folder = folder.deletingLastPathComponent()
        }
        return folder
    }

    private init(
        kafkaBrokers: String,
        brokerControl: String,
        databaseURLText: String,
        logger: Logger,
        folder: URL,
        ports: [Service: Int],
        broker: SpawnedProcess
    ) throws {
        self.kafkaBrokers = kafkaBrokers
        self.brokerControl = brokerControl
        self.databaseURL = try DatabaseURL(databaseURLText)
        self.databaseURLText = databaseURLText
        self.logger = logger
        self.folder = folder
        self.ports = ports
        self.broker = broker
    }

    // MARK: Running

    /// Starts the stack (broker, database, five services; waits until every service is ready),
    /// runs `body`, then stops everything and drops the database. Logs stay in ``folder`` when
    /// `body` throws.
    public static func run<R: Sendable>(_ body: @Sendable (LocalStack) async throws -> R) async throws -> R {
        let logger = ServiceHarness.testLogger("local-stack")
        let id = UUID().uuidString.prefix(8).lowercased()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lms-stack-\(id)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["lms-dev-broker"] + Service.allCases.map(\.rawValue) {
            let path = binaries.appendingPathComponent(name).path
            guard FileManager.default.isExecutableFile(atPath: path) else { throw StackError.missingExecutable(path) }
        }

        let base = try ServiceHarness.testDatabaseURL()
        let databaseName = "stack_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        try await admin(base, logger: logger, "CREATE DATABASE \(databaseName)")
        let databaseURLText = "postgres://\(base.username)\(base.password.map { ":\($0)" } ?? "")@\(base.host):\(base.port)/\(databaseName)"

        let (broker, bootstrap, control) = try await startBroker(in: folder)
        var ports: [Service: Int] = [:]
        for service in Service.allCases { ports[service] = try freePort() }
        let stack = try LocalStack(
            kafkaBrokers: bootstrap,
            brokerControl: control,
            databaseURLText: databaseURLText,
            logger: logger,
            folder: folder,
            ports: ports,
            broker: broker
        )
        func tearDown() async {
            await stack.shutdown()
            try? await admin(base, logger: logger, "DROP DATABASE IF EXISTS \(databaseName) WITH (FORCE)")
        }
        do {
            for service in Service.allCases { try stack.start(service) }
            for service in Service.allCases { try await stack.waitUntilReady(service) }
            let result = try await body(stack)
            await tearDown()
            try? FileManager.default.removeItem(at: folder)
            return result
        } catch {
            await tearDown()
            print("local stack logs kept in \(folder.path)")
            throw error
        }
    }

    /// Starts `service` (again), with the contract's environment.
    public func start(_ service: Service) throws {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("LMS_") }
        environment["LMS_DATABASE_URL"] = databaseURLText
        environment["LMS_KAFKA_BROKERS"] = kafkaBrokers
        environment["LMS_JWT_SECRET"] = Self.secret
        environment["LMS_HTTP_PORT"] = String(ports[service] ?? 0)
        environment["LMS_LOG_LEVEL"] = "info"
        environment["LMS_LOG_FORMAT"] = "text"
        let log = logFile(service)
        let process = try SpawnedProcess(
            Self.binaries.appendingPathComponent(service.rawValue), environment: environment, output: .file(log), error: .file(log))
        processes.withLock { $0[service] = process }
    }

    /// Waits until `GET /health/ready` answers 200 (or the process exits).
    public func waitUntilReady(_ service: Service, timeout: Duration = .seconds(180)) async throws {
        let probe = http(service)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while clock.now < deadline {
            if let process = processes.withLock({ $0[service] }), let status = process.terminationStatus {
                throw StackError.exited(service, status: status, log: logTail(service))
            }
            if (try? await probe.send("GET", "/health/ready"))?.status == 200 { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw StackError.notReady(service, log: logTail(service))
    }

    /// The pid of the service's running process (nil when stopped).
    public func processIdentifier(_ service: Service) -> Int32? {
        processes.withLock { $0[service]?.processIdentifier }
    }

    /// Sends `signal` to the service's process and waits for it to end (SIGTERM: graceful stop;
    /// SIGKILL: a crash).
    @discardableResult
    public func stop(_ service: Service, signal: Int32 = SIGTERM, timeout: Duration = .seconds(60)) async -> Int32? {
        guard let process = processes.withLock({ $0.removeValue(forKey: service) }) else { return nil }
        return await process.stop(signal: signal, grace: timeout)
    }

    private func shutdown() async {
        for service in Service.allCases.reversed() { await stop(service) }
        await broker.stop()
    }

    // MARK: Talking to it

    public func url(_ service: Service) -> String { "http://127.0.0.1:\(ports[service] ?? 0)" }

    public func http(_ service: Service) -> HTTPProbe { HTTPProbe(base: url(service)) }

    public func token(_ userId: String, tenant: String, roles: [Role], scopes: [Scope] = []) -> String {
        JWTVerification.mintHS256(subject: userId, tenant: tenant, roles: roles, scopes: scopes, secret: Self.secret, expiresIn: 3600)
    }

    public func admin(_ tenant: String) -> String { token("admin-\(tenant)", tenant: tenant, roles: [.admin]) }

    /// Publishes `events` to their topics and waits for delivery.
    public func publish(_ events: [CloudEvent]) async throws {
        try await TestEvents.publish(events, brokers: kafkaBrokers, logger: logger)
    }

    /// A consumer in a group of its own reading `topics` from the beginning.
    public func probe(_ topics: [Topic]) throws -> KafkaConsumer {
        try TestEvents.probe(topics, brokers: kafkaBrokers, logger: logger)
    }

    /// Sends a fault-injection command to the development broker, e.g. `brokers/all/down`,
    /// `errors/produce?codes=NOT_LEADER_FOR_PARTITION`, `brokers/1/rtt?ms=200`.
    public func broker(_ command: String, method: String = "POST") async throws {
        let answer = try await HTTPProbe(base: brokerControl).send(method, "/" + command)
        guard answer.status == 200 else { throw StackError.brokerCommandFailed(command, answer.text) }
    }

    /// Every CloudEvent currently on `topics` (read by a fresh consumer until `done` holds or the timeout).
    public func events(
        on topics: [Topic],
        timeout: Duration = .seconds(60),
        until done: @escaping @Sendable ([CloudEvent]) -> Bool
    ) async throws -> [CloudEvent] {
        let consumer = try probe(topics)
        let messages = try await withRunning([consumer], logger: logger) {
            await collect(consumer, timeout: timeout) { messages in done(messages.compactMap(TestEvents.decode)) }
        }
        return messages.compactMap(TestEvents.decode)
    }

    /// The first column of the first row of `sql` on the stack's database, as an integer (0 when
    /// there is no row). For read-only checks of invariants.
    public func count(_ sql: String) async throws -> Int {
        Int(try await value(sql) ?? "0") ?? 0
    }

    /// The first column of the first row of `sql` as text (`sql` should cast it to text).
    public func value(_ sql: String) async throws -> String? {
        var configuration = databaseURL.clientConfiguration()
        configuration.options.maximumConnections = 1
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: String?.self) { group in
            group.addTask {
                await client.run()
                return nil
            }
            defer { group.cancelAll() }
            let rows = try await client.query(PostgresQuery(unsafeSQL: "SELECT (\(sql.trimmingCharacters(in: .whitespaces)))::text"), logger: logger)
            for try await value in rows.decode(String?.self) { return value }
            return nil
        }
    }

    /// Sums a counter over every service's `/metrics` (all label sets), e.g. `events_consumed_total`.
    public func metricTotal(_ name: String) async throws -> Double {
        var total = 0.0
        for service in Service.allCases {
            let text = try await http(service).send("GET", "/metrics").text
            for line in text.split(separator: "\n") where line.hasPrefix(name + "{") || line.hasPrefix(name + " ") {
                total += line.split(separator: " ").last.flatMap { Double($0) } ?? 0
            }
        }
        return total
    }

    // MARK: Internals

    public func logFile(_ service: Service) -> URL { folder.appendingPathComponent("\(service.rawValue).log") }

    public func logTail(_ service: Service, lines: Int = 40) -> String {
        let text = (try? String(contentsOf: logFile(service), encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    /// Starts `lms-dev-broker` (with `arguments` beyond its files, e.g. `--partitions`), logging
    /// into `folder`; returns once it published its bootstrap list and control URL.
    public static func startBroker(in folder: URL, arguments: [String] = []) async throws -> (SpawnedProcess, bootstrap: String, control: String) {
        let bootstrapFile = folder.appendingPathComponent("kafka.bootstrap")
        let controlFile = folder.appendingPathComponent("kafka.control")
        let log = folder.appendingPathComponent("lms-dev-broker.log")
        let process = try SpawnedProcess(
            binaries.appendingPathComponent("lms-dev-broker"),
            ["--bootstrap-file", bootstrapFile.path, "--control-file", controlFile.path] + arguments,
            output: .file(log), error: .file(log))
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(60))
        while clock.now < deadline {
            if let bootstrap = try? String(contentsOf: bootstrapFile, encoding: .utf8),
                let control = try? String(contentsOf: controlFile, encoding: .utf8),
                !bootstrap.isEmpty, !control.isEmpty
            {
                return (process, bootstrap.trimmingCharacters(in: .whitespacesAndNewlines), control.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        process.terminate()
        throw StackError.brokerDidNotStart
    }

    /// Runs one statement on the test cluster's own database (CREATE / DROP DATABASE).
    private static func admin(_ url: DatabaseURL, logger: Logger, _ sql: String) async throws {
        let client = PostgresClient(configuration: url.clientConfiguration(), backgroundLogger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        }
    }

    /// The next candidate of ``freePort()``: a random start, so parallel test processes rarely
    /// try the same ports, then one after another.
    private static let nextPort = Atomic<Int>(Int.random(in: 0..<8_192))

    /// A loopback TCP port nobody listens on right now, from below the kernel's ephemeral range.
    ///
    /// A port the kernel hands out for `bind(0)` comes from the ephemeral range, the same range
    /// it gives outgoing connections their local ports from: between this check and the service's
    /// own bind, a client connection of any process could take it (a CI run failed with
    /// `EADDRINUSE` that way). Ports below the range are only ever taken by an explicit bind.
    private static func freePort() throws -> Int {
        let ephemeralStart =
            (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8))
            .flatMap { $0.split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) } } ?? 32_768
        let range = 20_000..<max(ephemeralStart, 28_192)
        for _ in 0..<range.count {
            let offset = nextPort.wrappingAdd(1, ordering: .relaxed).oldValue % range.count
            let port = range.lowerBound + offset
            if isFree(port) { return port }
        }
        throw POSIXError(.EADDRINUSE)
    }

    /// Whether nothing is bound to `port` on loopback now.
    private static func isFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var reuse: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}
