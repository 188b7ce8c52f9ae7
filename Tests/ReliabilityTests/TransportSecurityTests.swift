import Contracts
import Foundation
import Kafka
import Logging
import ServiceHTTP
import ServicePlatform
import TestSupport
import Testing

/// Encrypted connections (finding M5): a service talks to a PostgreSQL that accepts only TLS, with
/// the `sslmode` of `LMS_DATABASE_URL`, and refuses a server whose certificate does not fit; the
/// Kafka security variables reach librdkafka for the producer and every consumer; bad settings
/// stop a service at start (exit 78) naming the variable.
@Suite("Reliability: transport security", .serialized, .timeLimit(.minutes(10)))
struct TransportSecurityTests {
    let logger = ServiceHarness.testLogger("transport-security-tests")

    func configuration(_ databaseURL: String, kafka: String, extra: [String: String] = [:]) throws -> ServiceConfiguration {
        let environment = [
            "LMS_DATABASE_URL": databaseURL, "LMS_KAFKA_BROKERS": kafka, "LMS_JWT_SECRET": ServiceHarness.secret,
            "LMS_HTTP_HOST": "127.0.0.1", "LMS_HTTP_PORT": "0",
        ].merging(extra) { _, new in new }
        var configuration = try ServiceConfiguration.fromEnvironment(serviceName: "tls-probe-service", defaultPort: 0, environment: environment)
        configuration.logLevel = logger.logLevel
        return configuration
    }

    /// The error `body` threw, described (`nil` when it threw none).
    func failure(_ body: () async throws -> Void) async -> String? {
        do {
            try await body()
            return nil
        } catch {
            return String(describing: error)
        }
    }

    @Test func postgresConnectionsAreVerifiedAsSSLModeSays() async throws {
        let certificates = try await TestCertificates.make()
        defer { certificates.remove() }
        let local = try await certificates.issue("localhost", subjectAltNames: "DNS:localhost,IP:127.0.0.1")
        let wrong = try await certificates.issue("wrong.example", subjectAltNames: "DNS:wrong.example")
        let cluster = try KafkaMockCluster(brokers: 1)
        let server = try await TLSTestPostgres.start(certificate: local)
        do {
            let ca = certificates.caCertificate
            // A whole service starts with verify-full against a certificate that names the host.
            try await ReadinessRun.start(
                configuration: configuration(server.url("sslmode=verify-full&sslrootcert=\(ca)"), kafka: cluster.bootstrapServers),
                schema: "tls_full",
                logger: logger
            )
            try await ReadinessRun.database(
                try DatabaseURL(server.url(host: "localhost", "sslmode=verify-full&sslrootcert=\(ca)")),
                schema: "tls_full_name",
                logger: logger
            )
            try await ReadinessRun.database(try DatabaseURL(server.url("sslmode=require")), schema: "tls_require", logger: logger)

            let unknownCA = await failure {
                try await ReadinessRun.database(
                    try DatabaseURL(server.url("sslmode=verify-ca&sslrootcert=\(certificates.unknownCACertificate)")),
                    schema: "tls_ca",
                    logger: self.logger
                )
            }
            #expect(
                unknownCA?.contains("refused the connection: TLS") == true,
                "verify-ca refuses a CA it does not trust: \(unknownCA ?? "connected")"
            )
            let plain = await failure {
                try await ReadinessRun.database(try DatabaseURL(server.url("sslmode=disable")), schema: "tls_off", logger: self.logger)
            }
            #expect(plain?.contains("no encryption") == true, "a server that requires TLS refuses sslmode=disable: \(plain ?? "connected")")

            // The same server, now presenting a certificate for another host (signed by the same CA).
            try await server.restart(certificate: wrong)
            let mismatch = await failure {
                try await ReadinessRun.start(
                    configuration: self.configuration(server.url("sslmode=verify-full&sslrootcert=\(ca)"), kafka: cluster.bootstrapServers),
                    schema: "tls_wrong",
                    logger: self.logger
                )
            }
            #expect(
                mismatch?.contains("refused the connection: TLS") == true && mismatch?.contains("sslmode=verify-full") == true,
                "verify-full refuses a certificate for wrong.example when connecting to 127.0.0.1: \(mismatch ?? "started")"
            )
            let byName = await failure {
                try await ReadinessRun.database(
                    try DatabaseURL(server.url(host: "localhost", "sslmode=verify-full&sslrootcert=\(ca)")),
                    schema: "tls_wrong_name",
                    logger: self.logger
                )
            }
            #expect(byName?.contains("refused the connection: TLS") == true, "verify-full refuses it by host name too: \(byName ?? "connected")")
            // verify-ca checks the chain only, so the certificate of another host passes.
            try await ReadinessRun.database(try DatabaseURL(server.url("sslmode=verify-ca&sslrootcert=\(ca)")), schema: "tls_ca_only", logger: logger)
        } catch {
            try? await server.destroy()
            throw error
        }
        try await server.destroy()
    }

    @Test func kafkaSecuritySettingsReachLibrdkafkaForTheProducerAndEveryConsumer() async throws {
        let certificates = try await TestCertificates.make()
        defer { certificates.remove() }
        let passwordFile = certificates.folder.appendingPathComponent("kafka-password")
        try Data("s3cret-from-a-file\n".utf8).write(to: passwordFile)
        // Nothing listens there: the clients are only built, and no broker sees their TLS handshakes.
        let kafka = "127.0.0.1:9"
        let databaseURL = try #require(ProcessInfo.processInfo.environment["LMS_TEST_DATABASE_URL"])
        var configuration = try configuration(
            databaseURL,
            kafka: kafka,
            extra: [
                "LMS_KAFKA_SECURITY_PROTOCOL": "sasl_ssl", "LMS_KAFKA_SASL_MECHANISM": "SCRAM-SHA-256",
                "LMS_KAFKA_SASL_USERNAME": "enrollment-service", "LMS_KAFKA_SASL_PASSWORD_FILE": passwordFile.path,
                "LMS_KAFKA_SSL_CA_LOCATION": certificates.caCertificate,
            ]
        )
        configuration.serviceName = "kafka-security-probe"
        let clients = try ReadinessRun.kafkaSettings(
            configuration: configuration,
            consumerNames: ["first", "second"],
            properties: [
                "security.protocol", "sasl.mechanisms", "sasl.username", "sasl.password", "ssl.ca.location", "ssl.endpoint.identification.algorithm",
            ],
            logger: logger
        )
        let expected = [
            "security.protocol": "sasl_ssl", "sasl.mechanisms": "SCRAM-SHA-256", "sasl.username": "enrollment-service",
            "sasl.password": "s3cret-from-a-file", "ssl.ca.location": certificates.caCertificate, "ssl.endpoint.identification.algorithm": "https",
        ]
        #expect(Set(clients.keys) == ["producer", "kafka-security-probe.first", "kafka-security-probe.second"])
        for (client, values) in clients {
            #expect(values == expected, "\(client) runs with the configured security")
        }
    }

    @Test func badTransportSettingsStopAServiceAtStartNamingTheVariable() async throws {
        let certificates = try await TestCertificates.make()
        defer { certificates.remove() }
        let database = try ServiceHarness.testDatabaseURL()
        let base = "postgres://\(database.username)@\(database.host):\(database.port)/\(database.database)"
        let cases: [(environment: [String: String], expected: [String])] = [
            (["LMS_DATABASE_URL": base + "?sslmode=verify-everything"], ["LMS_DATABASE_URL: sslmode=verify-everything is not one of"]),
            (["LMS_DATABASE_URL": base + "?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem"], ["LMS_DATABASE_URL: sslrootcert: cannot read"]),
            (["LMS_DATABASE_URL": base + "?sslmode=verify-full&sslrootcert=\(certificates.folder.path)/ca.key"], ["holds no PEM certificate"]),
            (["LMS_DATABASE_URL": base + "?ssl=true"], ["unknown query parameter ssl"]),
            (["LMS_KAFKA_SECURITY_PROTOCOL": "tls"], ["LMS_KAFKA_SECURITY_PROTOCOL: tls is not one of plaintext, ssl, sasl_plaintext, sasl_ssl"]),
            (
                ["LMS_KAFKA_SECURITY_PROTOCOL": "sasl_ssl", "LMS_KAFKA_SSL_CA_LOCATION": "/nonexistent/ca.pem"],
                [
                    "LMS_KAFKA_SASL_USERNAME is required", "LMS_KAFKA_SASL_PASSWORD or LMS_KAFKA_SASL_PASSWORD_FILE is required",
                    "LMS_KAFKA_SSL_CA_LOCATION: cannot read",
                ]
            ),
            (
                [
                    "LMS_KAFKA_SECURITY_PROTOCOL": "sasl_ssl", "LMS_KAFKA_SASL_USERNAME": "u", "LMS_KAFKA_SASL_PASSWORD": "p",
                    "LMS_KAFKA_SASL_MECHANISM": "GSSAPI",
                ], ["LMS_KAFKA_SASL_MECHANISM: GSSAPI is not one of"]
            ),
            (
                [
                    "LMS_KAFKA_SECURITY_PROTOCOL": "ssl", "LMS_KAFKA_SSL_CA_LOCATION": "\(certificates.folder.path)/ca.key",
                    "LMS_KAFKA_SSL_CERTIFICATE_LOCATION": certificates.caCertificate, "LMS_KAFKA_SSL_KEY_LOCATION": certificates.caCertificate,
                ],
                [
                    "LMS_KAFKA_SSL_CA_LOCATION: \(certificates.folder.path)/ca.key holds no PEM certificate",
                    "LMS_KAFKA_SSL_KEY_LOCATION: \(certificates.caCertificate) holds no PEM private key",
                ]
            ),
            (["LMS_KAFKA_SASL_PASSWORD": "p"], ["LMS_KAFKA_SASL_PASSWORD needs LMS_KAFKA_SECURITY_PROTOCOL sasl_plaintext or sasl_ssl"]),
            (
                [
                    "LMS_KAFKA_SECURITY_PROTOCOL": "sasl_plaintext", "LMS_KAFKA_SASL_USERNAME": "u", "LMS_KAFKA_SASL_PASSWORD": "p",
                    "LMS_KAFKA_SSL_CA_LOCATION": certificates.caCertificate,
                ], ["LMS_KAFKA_SSL_CA_LOCATION needs LMS_KAFKA_SECURITY_PROTOCOL ssl or sasl_ssl"]
            ),
        ]
        for (extra, expected) in cases {
            var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("LMS_") }
            environment.merge([
                "LMS_DATABASE_URL": base, "LMS_KAFKA_BROKERS": "127.0.0.1:9", "LMS_JWT_SECRET": ServiceHarness.secret, "LMS_HTTP_PORT": "0",
            ]) { _, new in new }
            environment.merge(extra) { _, new in new }
            let result = try await ShellScript.run(
                #"binary="$1"; shift; env -i "$@" "$binary" 2>&1 || echo "status=$?""#,
                [LocalStack.binaries.appendingPathComponent("user-service").path] + environment.map { "\($0.key)=\($0.value)" }
            )
            #expect(result.contains("status=78"), "exit 78 (EX_CONFIG) for \(extra): \(result)")
            for text in expected { #expect(result.contains(text), "the start names the problem (\(text)): \(result)") }
        }
    }
}
