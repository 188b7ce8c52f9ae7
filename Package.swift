// swift-tools-version:6.1
import PackageDescription

/// Settings every Swift target of the package shares: Swift 6 language mode (strict concurrency)
/// plus the upcoming features the model codebases (Hummingbird, swift-kafka-client) turn on.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// One service = a library target with its domain and HTTP code (so tests can host several services
/// in one process) plus a tiny executable target whose product carries the kebab-case name.
func service(_ product: String, module: String, extra: [Target.Dependency] = []) -> [Target] {
    [
        .target(
            name: module,
            dependencies: ["Contracts", "Kafka", "ServicePlatform", "ServiceHTTP"] + extra,
            path: "Services/\(product)/Sources/\(module)",
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "\(module)Main",
            dependencies: [.target(name: module), "ServicePlatform", "ServiceHTTP"],
            path: "Services/\(product)/Sources/Main",
            swiftSettings: swiftSettings
        ),
    ]
}

let services: [(product: String, module: String)] = [
    ("user-service", "UserService"),
    ("enrollment-service", "EnrollmentService"),
    ("rules-worker", "RulesWorker"),
    ("progress-service", "ProgressService"),
    ("report-service", "ReportService"),
]

/// Extra dependencies of a service's library target, by module.
let serviceExtras: [String: [Target.Dependency]] = [
    "RulesWorker": ["Segments"],
    "UserService": [.product(name: "Metrics", package: "swift-metrics")],
    "EnrollmentService": [.product(name: "Crypto", package: "swift-crypto")],
]

/// The test target of a service: the service's library, the shared platform and test support.
func serviceTests(_ module: String, extra: [Target.Dependency] = []) -> Target {
    .testTarget(
        name: "\(module)Tests",
        dependencies: [
            "TestSupport", .target(name: module), "Contracts", "Kafka", "ServicePlatform", "ServiceHTTP",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Hummingbird", package: "hummingbird"),
        ] + extra,
        path: "Tests/\(module)Tests",
        swiftSettings: swiftSettings
    )
}

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
    targets: services.flatMap { service($0.product, module: $0.module, extra: serviceExtras[$0.module] ?? []) } + [
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
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
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
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Shared/ServicePlatform",
            swiftSettings: swiftSettings
        ),
        // The HTTP edge every service shares: request context, JWT auth and roles, problem+json,
        // Idempotency-Key, pagination, health, metrics and OpenAPI routes, the application builder.
        .target(
            name: "ServiceHTTP",
            dependencies: [
                "Contracts",
                "ServicePlatform",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            path: "Shared/ServiceHTTP",
            swiftSettings: swiftSettings
        ),

        // MARK: Tools
        .executableTarget(
            name: "DevBroker",
            dependencies: [
                "Contracts",
                "Kafka",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tools/lms-dev-broker",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "KafkaBench",
            dependencies: [
                "Kafka",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
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
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
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
                "ServiceHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
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
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/Support",
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
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/KafkaTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ServicePlatformTests",
            dependencies: [
                "TestSupport",
                "Contracts", "Kafka", "ServicePlatform",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/ServicePlatformTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LmsCtlTests",
            dependencies: [
                "TestSupport", "LmsCtl", "UserService", "EnrollmentService", "ReportService", "Contracts", "Kafka", "ServiceHTTP", "ServicePlatform",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/LmsCtlTests",
            swiftSettings: swiftSettings
        ),
        serviceTests("UserService", extra: [.product(name: "AsyncHTTPClient", package: "async-http-client")]),
        serviceTests("RulesWorker", extra: ["Segments"]),
        .testTarget(
            name: "SegmentsTests",
            dependencies: ["Segments", "Contracts"],
            path: "Tests/SegmentsTests",
            swiftSettings: swiftSettings
        ),
        serviceTests("EnrollmentService"),
        serviceTests("ProgressService"),
        // The whole system as separate processes (the executables next to the test runner).
        .testTarget(
            name: "ScenarioTests",
            dependencies: [
                "TestSupport", "Contracts", "Kafka", "ServicePlatform", "ServiceHTTP",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Tests/ScenarioTests",
            swiftSettings: swiftSettings
        ),
        // Faults, duplicates, poison and hostile clients against the separate processes.
        .testTarget(
            name: "ReliabilityTests",
            dependencies: [
                "TestSupport", "Contracts", "Kafka", "ServicePlatform", "ServiceHTTP",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/ReliabilityTests",
            swiftSettings: swiftSettings
        ),
        serviceTests("ReportService"),
        .testTarget(
            name: "ServiceHTTPTests",
            dependencies: [
                "TestSupport",
                "Contracts", "ServicePlatform", "ServiceHTTP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/ServiceHTTPTests",
            swiftSettings: swiftSettings
        ),
    ]
)
