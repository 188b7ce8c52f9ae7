import Contracts
import Foundation
import Hummingbird
import Kafka
import Logging
import ServiceHTTP
import ServiceHost
import ServiceLifecycle
import ServicePlatform
import TestSupport
import Testing

/// Token checks of a whole service configured from its environment (findings M4, M1): with
/// `LMS_JWT_ISSUER` and `LMS_JWT_AUDIENCE` set, a token with another `iss` or `aud` gets 401, and
/// so does a token minted for longer than `LMS_JWT_MAX_LIFETIME` (24 hours unless set); unusable
/// JWT settings stop the service at start with exit 78, naming the variable.
@Suite("Reliability: token security", .serialized, .timeLimit(.minutes(5)))
struct TokenSecurityTests {
    let logger = ServiceHarness.testLogger("token-security-tests")
    static let issuer = "https://idp.example"
    static let audience = "lms-api"

    /// A token signed with the services' secret carrying exactly `claims`.
    static func token(_ claims: [String: Any]) throws -> String {
        let json = try JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys])
        return JWTVerification.signHS256(claims: Array(json), secret: ServiceHarness.secret)
    }

    static func claims(iss: String? = issuer, aud: String? = audience, lifetime: TimeInterval = 3600) -> [String: Any] {
        let now = Int(Date().timeIntervalSince1970)
        var claims: [String: Any] = ["sub": "ops", "tenant": "acme", "roles": ["admin"], "iat": now, "exp": now + Int(lifetime)]
        if let iss { claims["iss"] = iss }
        if let aud { claims["aud"] = aud }
        return claims
    }

    @Test func wrongIssuerAudienceOrLifetimeIs401() async throws {
        let cluster = try KafkaMockCluster(brokers: 1)
        let environment = [
            "LMS_DATABASE_URL": ProcessInfo.processInfo.environment["LMS_TEST_DATABASE_URL"] ?? "",
            "LMS_KAFKA_BROKERS": cluster.bootstrapServers, "LMS_JWT_SECRET": ServiceHarness.secret, "LMS_HTTP_HOST": "127.0.0.1",
            "LMS_HTTP_PORT": "0", "LMS_JWT_ISSUER": Self.issuer, "LMS_JWT_AUDIENCE": Self.audience,
        ]
        var configuration = try ServiceConfiguration.fromEnvironment(serviceName: "token-probe", defaultPort: 0, environment: environment)
        configuration.logLevel = logger.logLevel
        let definition = ServiceDefinition(
            name: "token-probe",
            defaultPort: 0,
            schema: "token_security",
            migrations: [],
            openAPIDocument: Array("{}".utf8)
        ) { _, router in
            router.get("/v1/whoami") { _, context -> String in try context.requireIdentity().userId }
            return []
        }
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let app = try ServiceApplication.build(definition, configuration: configuration, logger: logger) { portContinuation.yield($0) }
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await app.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            let probe = HTTPProbe(base: "http://127.0.0.1:\(port)")
            func status(_ claims: [String: Any]) async throws -> Int {
                try await probe.send("GET", "/v1/whoami", token: try Self.token(claims)).status
            }
            #expect(try await status(Self.claims()) == 200)
            #expect(try await status(Self.claims(iss: "https://other-idp.example")) == 401)
            #expect(try await status(Self.claims(iss: nil)) == 401)
            #expect(try await status(Self.claims(aud: "another-application")) == 401)
            #expect(try await status(Self.claims(aud: nil)) == 401)
            #expect(try await status(Self.claims(lifetime: 365 * 86_400)) == 401, "a token minted for a year")
            #expect(try await status(Self.claims(lifetime: 86_400)) == 200)
            let refused = try await probe.send("GET", "/v1/whoami", token: try Self.token(Self.claims(lifetime: 365 * 86_400)))
            #expect(refused.header("Content-Type")?.hasPrefix("application/problem+json") == true)
            #expect(refused.header("WWW-Authenticate") == "Bearer")
            await app.triggerGracefulShutdown()
            portContinuation.finish()
            try await tasks.waitForAll()
        }
    }

    @Test func unusableJWTSettingsStopTheServiceWithExit78() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("token-security-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // A structurally fine JWKS whose only RSA key is 1024 bits: refused when the keys load.
        let small = Data([0xC3] + [UInt8](repeating: 0x5A, count: 126) + [0x01]).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        let weak = folder.appendingPathComponent("weak-jwks.json")
        try Data(#"{"keys":[{"kty":"RSA","kid":"weak","alg":"RS256","n":"\#(small)","e":"AQAB"}]}"#.utf8).write(to: weak)
        let cases: [([String: String], [String])] = [
            (
                ["LMS_JWT_MAX_LIFETIME": "a year", "LMS_JWT_JWKS_URL": "http://idp.example/jwks.json"],
                [
                    "LMS_JWT_MAX_LIFETIME: a year is not a positive number of seconds",
                    "LMS_JWT_JWKS_URL: http://idp.example/jwks.json is not an https URL",
                ]
            ),
            (["LMS_JWT_JWKS_FILE": folder.appendingPathComponent("missing.json").path], ["LMS_JWT_JWKS_FILE: cannot read"]),
            (["LMS_JWT_JWKS_FILE": weak.path], ["LMS_JWT_JWKS_FILE: the JWKS key weak is not an RSA public key of at least 2048 bits"]),
        ]
        for (extra, expected) in cases {
            var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("LMS_") }
            environment.merge([
                "LMS_DATABASE_URL": "postgres://nobody@127.0.0.1:9/none", "LMS_KAFKA_BROKERS": "127.0.0.1:9", "LMS_JWT_SECRET": ServiceHarness.secret,
                "LMS_HTTP_PORT": "0",
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
