// swift-tools-version:6.1
import PackageDescription

/// Settings every Swift target of the package shares: Swift 6 language mode (strict concurrency)
/// plus the upcoming features the model codebases (Hummingbird, swift-kafka-client) turn on.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

// MARK: Dependencies used by several targets

let logging = Target.Dependency.product(name: "Logging", package: "swift-log")
let metrics = Target.Dependency.product(name: "Metrics", package: "swift-metrics")
let lifecycle = Target.Dependency.product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let postgres = Target.Dependency.product(name: "PostgresNIO", package: "postgres-nio")
let hummingbird = Target.Dependency.product(name: "Hummingbird", package: "hummingbird")
let crypto = Target.Dependency.product(name: "Crypto", package: "swift-crypto")
let jwtKit = Target.Dependency.product(name: "JWTKit", package: "jwt-kit")
let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")
let httpClient = Target.Dependency.product(name: "AsyncHTTPClient", package: "async-http-client")

/// A service: a library target with its domain, application, persistence, consumers and HTTP code
/// (so tests can host several services in one process) plus a tiny executable target whose product
/// carries the kebab-case name.
struct ServiceTargets {
    let product: String
    let module: String
    /// Dependencies beyond the shared ones every service has.
    var extra: [Target.Dependency] = []
    var testExtra: [Target.Dependency] = []

    var targets: [Target] {
        [
            .target(
                name: module,
                dependencies: ["Contracts", "Kafka", "ServicePlatform", "ServiceHTTP", "ServiceHost", hummingbird, postgres, logging, lifecycle]
                    + extra,
                path: "Services/\(product)/Sources/\(module)",
                resources: [.copy("Resources")],
                swiftSettings: swiftSettings
            ),
            .executableTarget(
                name: "\(module)Main",
                dependencies: [.target(name: module), "ServiceHost"],
                path: "Services/\(product)/Sources/Main",
                swiftSettings: swiftSettings
            ),
        ]
    }

    /// The service's tests: the service's library, the shared platform and test support.
    var tests: Target {
        .testTarget(
            name: "\(module)Tests",
            dependencies: [
                "TestSupport", .target(name: module), "Contracts", "Kafka", "ServicePlatform", "ServiceHTTP", "ServiceHost",
                logging, postgres, lifecycle, hummingbird,
            ] + testExtra,
            path: "Tests/\(module)Tests",
            swiftSettings: swiftSettings
        )
    }
}

let services = [
    ServiceTargets(product: "user-service", module: "UserService", extra: [metrics], testExtra: [httpClient]),
    ServiceTargets(product: "enrollment-service", module: "EnrollmentService", extra: [crypto]),
    ServiceTargets(product: "rules-worker", module: "RulesWorker", extra: ["Segments"], testExtra: ["Segments"]),
    ServiceTargets(product: "progress-service", module: "ProgressService"),
    ServiceTargets(product: "report-service", module: "ReportService"),
]

let package = Package(
    name: "lms-enrollment",
    platforms: [.macOS(.v15)],
    products: services.map { .executable(name: $0.product, targets: ["\($0.module)Main"]) } + [
        .executable(name: "lms-dev-broker", targets: ["DevBroker"]),
        .executable(name: "kafka-bench", targets: ["KafkaBench"]),
        .executable(name: "rdkafka-c-bench", targets: ["RdKafkaCBench"]),
        .executable(name: "lmsctl", targets: ["LmsCtl"]),
        .executable(name: "lms-bench", targets: ["LmsBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.30.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.20.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.25.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.1.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
    ],
    targets: services.flatMap(\.targets) + [
        // MARK: Shared
        .target(
            name: "Contracts",
            path: "Shared/Contracts",
            resources: [.copy("Schemas")],
            swiftSettings: swiftSettings
        ),
        // Segment criteria: the JSON tree, validation with field paths, typed evaluation with
        // explanations, and its SQL translation. Pure logic over Contracts, reusable by any service.
        .target(
            name: "Segments",
            dependencies: ["Contracts"],
            path: "Shared/Segments",
            swiftSettings: swiftSettings
        ),
        .systemLibrary(
            name: "CRdKafka",
            path: "Shared/CRdKafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"]), .brew(["librdkafka"])]
        ),
        .target(
            name: "Kafka",
            dependencies: [
                "CRdKafka",
                logging,
                metrics,
                lifecycle,
            ],
            path: "Shared/Kafka",
            swiftSettings: swiftSettings
        ),
        // The runtime every service shares: configuration, logging, PostgreSQL and migrations,
        // transactional outbox and relay, inbox consumer runtime with the dead-letter queue.
        .target(
            name: "ServicePlatform",
            dependencies: [
                "Contracts",
                "Kafka",
                postgres,
                logging,
                metrics,
                .product(name: "Prometheus", package: "swift-prometheus"),
                lifecycle,
            ],
            path: "Shared/ServicePlatform",
            swiftSettings: swiftSettings
        ),
        // The HTTP edge every service shares: request context, JWT auth and roles, problem+json,
        // Idempotency-Key, pagination, course access, health, metrics and OpenAPI routes.
        .target(
            name: "ServiceHTTP",
            dependencies: [
                "Contracts",
                "ServicePlatform",
                hummingbird,
                postgres,
                jwtKit,
                crypto,
                logging,
                metrics,
                .product(name: "Prometheus", package: "swift-prometheus"),
                lifecycle,
            ],
            path: "Shared/ServiceHTTP",
            swiftSettings: swiftSettings
        ),

        // The process host: builds a service (its ServiceModule) into one ServiceGroup with the
        // database, producer, outbox relay, consumers, background jobs and the HTTP server.
        .target(
            name: "ServiceHost",
            dependencies: [
                "Contracts",
                "Kafka",
                "ServicePlatform",
                "ServiceHTTP",
                hummingbird,
                logging,
                lifecycle,
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            path: "Shared/ServiceHost",
            swiftSettings: swiftSettings
        ),

        // MARK: Tools
        .executableTarget(
            name: "DevBroker",
            dependencies: [
                "Contracts",
                "Kafka",
                argumentParser,
                hummingbird,
                logging,
            ],
            path: "Tools/lms-dev-broker",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "KafkaBench",
            dependencies: [
                "Kafka",
                argumentParser,
                lifecycle,
            ],
            path: "Benchmarks/kafka-bench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "RdKafkaCBench",
            dependencies: ["CRdKafka"],
            path: "Benchmarks/rdkafka-c-bench"
        ),
        // End-to-end figures of the running stack next to PostgreSQL and Kafka baselines.
        .executableTarget(
            name: "LmsBench",
            dependencies: [
                "Contracts",
                "Kafka",
                "ServiceHTTP",
                argumentParser,
                httpClient,
                logging,
                lifecycle,
            ],
            path: "Benchmarks/lms-bench",
            swiftSettings: swiftSettings
        ),
        // The admin CLI over the services' HTTP APIs and the DLQ topic.
        .executableTarget(
            name: "LmsCtl",
            dependencies: [
                "Contracts",
                "Kafka",
                "ServicePlatform",
                "ServiceHTTP",
                argumentParser,
                httpClient,
                logging,
                lifecycle,
            ],
            path: "Tools/lmsctl",
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),

        // MARK: Tests
        // Helpers every test target shares: running services in a group, reading topics, HTTP probes.
        .target(
            name: "TestSupport",
            dependencies: [
                "Contracts",
                "Kafka",
                "ServicePlatform",
                "ServiceHTTP",
                "ServiceHost",
                logging,
                postgres,
                lifecycle,
            ],
            path: "Tests/Support",
            swiftSettings: swiftSettings
        ),
        // The source tree against the service template (docs/architecture.md).
        .testTarget(
            name: "ArchitectureTests",
            path: "Tests/ArchitectureTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ContractsTests",
            dependencies: ["Contracts"],
            path: "Tests/ContractsTests",
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KafkaTests",
            dependencies: [
                "TestSupport",
                "Kafka",
                logging,
                lifecycle,
            ],
            path: "Tests/KafkaTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ServicePlatformTests",
            dependencies: [
                "TestSupport",
                "Contracts", "Kafka", "ServicePlatform",
                postgres,
                logging,
                lifecycle,
            ],
            path: "Tests/ServicePlatformTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LmsCtlTests",
            dependencies: [
                "TestSupport", "LmsCtl", "UserService", "EnrollmentService", "ReportService", "Contracts", "Kafka", "ServiceHTTP", "ServicePlatform",
                postgres,
                logging,
                lifecycle,
            ],
            path: "Tests/LmsCtlTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SegmentsTests",
            dependencies: ["Segments", "Contracts"],
            path: "Tests/SegmentsTests",
            swiftSettings: swiftSettings
        ),
        // The whole system as separate processes (the executables next to the test runner).
        .testTarget(
            name: "ScenarioTests",
            dependencies: [
                "TestSupport", "Contracts", "Kafka", "ServicePlatform", "ServiceHTTP",
                logging,
                postgres,
            ],
            path: "Tests/ScenarioTests",
            swiftSettings: swiftSettings
        ),
        // Faults, duplicates, poison and hostile clients against the separate processes.
        .testTarget(
            name: "ReliabilityTests",
            dependencies: [
                "TestSupport", "Contracts", "Kafka", "ServicePlatform", "ServiceHTTP", "ServiceHost",
                logging,
            ],
            path: "Tests/ReliabilityTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ServiceHTTPTests",
            dependencies: [
                "TestSupport",
                "Contracts", "ServicePlatform", "ServiceHTTP", "ServiceHost",
                hummingbird,
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                jwtKit,
                postgres,
                logging,
            ],
            path: "Tests/ServiceHTTPTests",
            swiftSettings: swiftSettings
        ),
    ] + services.map(\.tests)
)
