import Foundation
import Hummingbird
import HummingbirdTesting
import JWTKit
import Logging
import ServicePlatform
import Testing

@testable import ServiceHTTP

/// Issuer, audience and lifetime checks, scopes, and RS256 key sets (JWKS) with `kid` rotation.
@Suite("Token policy and key sets")
struct TokenPolicyTests {
    static let issuer = "https://idp.example"
    static let audience = "lms-api"

    /// HS256 claims JSON with any of the policy claims.
    static func token(
        iss: String? = nil,
        aud: Any? = nil,
        iat: Date? = Date(),
        exp: Date = Date().addingTimeInterval(3600),
        extra: [String: Any] = [:]
    ) -> String {
        var claims: [String: Any] = ["sub": "u-1", "tenant": "acme", "roles": ["service"], "exp": Int(exp.timeIntervalSince1970)]
        if let iss { claims["iss"] = iss }
        if let aud { claims["aud"] = aud }
        if let iat { claims["iat"] = Int(iat.timeIntervalSince1970) }
        claims.merge(extra) { $1 }
        let json = (try? JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys])) ?? Data()
        return JWTVerification.signHS256(claims: Array(json), secret: TestKeys.secret)
    }

    static func accepts(_ verification: JWTVerification, _ token: String) async -> Bool {
        (try? await verification.verify(token)) != nil
    }

    @Test("A configured issuer and audience must match; aud may be a string or an array")
    func issuerAndAudience() async throws {
        let verification = try JWTVerification(hs256Secret: TestKeys.secret, issuer: Self.issuer, audience: Self.audience)
        #expect(await Self.accepts(verification, Self.token(iss: Self.issuer, aud: Self.audience)))
        #expect(await Self.accepts(verification, Self.token(iss: Self.issuer, aud: ["other", Self.audience])))
        #expect(!(await Self.accepts(verification, Self.token())))
        #expect(!(await Self.accepts(verification, Self.token(iss: "https://evil.example", aud: Self.audience))))
        #expect(!(await Self.accepts(verification, Self.token(iss: Self.issuer, aud: "another-app"))))
        #expect(!(await Self.accepts(verification, Self.token(iss: Self.issuer, aud: ["another-app"]))))
        #expect(!(await Self.accepts(verification, Self.token(iss: Self.issuer))))
        // Without configuration, iss and aud are not checked.
        let open = try JWTVerification(hs256Secret: TestKeys.secret)
        #expect(await Self.accepts(open, Self.token(iss: "anyone", aud: "anything")))
    }

    @Test("Tokens may live 24 hours unless configured otherwise; a token minted for a year is refused")
    func maximumLifetime() async throws {
        let verification = try JWTVerification(hs256Secret: TestKeys.secret)
        let now = Date()
        #expect(await Self.accepts(verification, Self.token(iat: now, exp: now.addingTimeInterval(86_400))))
        #expect(!(await Self.accepts(verification, Self.token(iat: now, exp: now.addingTimeInterval(365 * 86_400)))))
        #expect(!(await Self.accepts(verification, Self.token(iat: now, exp: now.addingTimeInterval(86_401)))))
        // Without iat the remaining life counts.
        #expect(await Self.accepts(verification, Self.token(iat: nil, exp: now.addingTimeInterval(23 * 3600))))
        #expect(!(await Self.accepts(verification, Self.token(iat: nil, exp: now.addingTimeInterval(25 * 3600)))))
        // An iat in the future (beyond the leeway) is refused.
        #expect(!(await Self.accepts(verification, Self.token(iat: now.addingTimeInterval(600), exp: now.addingTimeInterval(1200)))))
        // The lifetime helper of the tools mints what the services accept.
        let minted = JWTVerification.mintHS256(subject: "s", tenant: "acme", roles: [.admin], secret: TestKeys.secret, expiresIn: 86_400)
        #expect(await Self.accepts(verification, minted))

        let short = try JWTVerification(hs256Secret: TestKeys.secret, maximumLifetime: .seconds(3600))
        #expect(await Self.accepts(short, Self.token(iat: now, exp: now.addingTimeInterval(3600))))
        #expect(!(await Self.accepts(short, Self.token(iat: now, exp: now.addingTimeInterval(7200)))))
    }

    @Test("Scopes come from scope (space-separated) and scp (array or string); unknown names are dropped")
    func scopes() async throws {
        let verification = try JWTVerification(hs256Secret: TestKeys.secret)
        let spaced = try await verification.verify(Self.token(extra: ["scope": "activity:write  users:write admin:everything"]))
        #expect(spaced.scopes == [.activityWrite, .usersWrite])
        let array = try await verification.verify(Self.token(extra: ["scp": ["enrollments:read", "reports:rebuild"]]))
        #expect(array.scopes == [.enrollmentsRead, .reportsRebuild])
        let both = try await verification.verify(Self.token(extra: ["scope": "users:write", "scp": "enrollments:write"]))
        #expect(both.scopes == [.usersWrite, .enrollmentsWrite])
        let minted = JWTVerification.mintHS256(
            subject: "s",
            tenant: "acme",
            roles: [.service],
            scopes: [.enrollmentsWrite, .enrollmentsRead],
            secret: TestKeys.secret,
            expiresIn: 60
        )
        #expect(try await verification.verify(minted).scopes == [.enrollmentsWrite, .enrollmentsRead])
        #expect(try await verification.verify(Self.token()).scopes.isEmpty)
    }

    @Test("require(anyOf:orServiceWith:) lets in the roles and services with the scope; 403 names the missing scope")
    func requireScope() async throws {
        let router = Router(context: AppRequestContext.self)
        router.addPlatformMiddleware(verification: try JWTVerification(hs256Secret: TestKeys.secret), idempotency: nil, openAPIDocument: nil)
        router.post("/v1/rebuild") { _, context -> String in
            try context.require(anyOf: .admin, orServiceWith: .reportsRebuild).userId
        }
        router.get("/v1/mine") { _, context -> String in
            try context.requireIdentity(serviceScope: .enrollmentsRead).userId
        }
        @Sendable func token(_ roles: [Role], _ scopes: [Scope] = []) -> String {
            JWTVerification.mintHS256(subject: "caller", tenant: "acme", roles: roles, scopes: scopes, secret: TestKeys.secret, expiresIn: 60)
        }
        try await Application(router: router).test(.router) { client in
            #expect(try await client.send("/v1/rebuild", method: .post, token: token([.admin])).status == .ok)
            #expect(try await client.send("/v1/rebuild", method: .post, token: token([.service], [.reportsRebuild])).status == .ok)
            let unscoped = try await client.send("/v1/rebuild", method: .post, token: token([.service], [.usersWrite]))
            #expect(unscoped.status == .forbidden)
            #expect(try unscoped.problem().detail?.contains("reports:rebuild") == true)
            let learner = try await client.send("/v1/rebuild", method: .post, token: token([.learner], [.reportsRebuild]))
            #expect(learner.status == .forbidden, "scopes grant nothing without the service role")
            #expect(try learner.problem().detail?.contains("reports:rebuild") == true)

            #expect(try await client.send("/v1/mine", token: token([.learner])).status == .ok)
            #expect(try await client.send("/v1/mine", token: token([.service], [.enrollmentsRead])).status == .ok)
            let service = try await client.send("/v1/mine", token: token([.service]))
            #expect(service.status == .forbidden)
            #expect(try service.problem().detail?.contains("enrollments:read") == true)
        }
    }

    // MARK: Key sets

    static let logger = Logger(label: "jwks-test")

    /// A JWKS document of the public halves of `keys` (kid to private key PEM).
    static func jwks(_ keys: [(kid: String, pem: String)], extra: [[String: Any]] = []) throws -> String {
        var entries: [[String: Any]] = []
        for (kid, pem) in keys {
            let primitives = try Insecure.RSA.PrivateKey(pem: pem).publicKey.getKeyPrimitives()
            entries.append([
                "kty": "RSA", "kid": kid, "alg": "RS256", "use": "sig", "n": Base64URL.encode(Array(primitives.modulus)),
                "e": Base64URL.encode(Array(primitives.publicExponent)),
            ])
        }
        let data = try JSONSerialization.data(withJSONObject: ["keys": entries + extra], options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// An RS256 token signed with `pem` whose header names `kid`.
    static func rs256(kid: String?, pem: String) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(rsa: try Insecure.RSA.PrivateKey(pem: pem), digestAlgorithm: .sha256, kid: kid.map { JWKIdentifier(string: $0) })
        return try await keys.sign(CustomClaims(roles: ["admin"]), kid: kid.map { JWKIdentifier(string: $0) })
    }

    @Test("A JWKS file verifies RS256 tokens by kid; a key never verifies another kid's token")
    func jwksDocument() async throws {
        let document = try Self.jwks(
            [("k1", TestKeys.rsaPrivateKeyPEM), ("k2", TestKeys.otherRSAPrivateKeyPEM)],
            extra: [["kty": "EC", "kid": "ec", "crv": "P-256", "x": "AA", "y": "AA"]]
        )
        let verification = try JWTVerification(keySet: try JWKSKeySet(document: document, logger: Self.logger))
        #expect(await Self.accepts(verification, try await Self.rs256(kid: "k1", pem: TestKeys.rsaPrivateKeyPEM)))
        #expect(await Self.accepts(verification, try await Self.rs256(kid: "k2", pem: TestKeys.otherRSAPrivateKeyPEM)))
        #expect(!(await Self.accepts(verification, try await Self.rs256(kid: "k1", pem: TestKeys.otherRSAPrivateKeyPEM))))
        #expect(!(await Self.accepts(verification, try await Self.rs256(kid: "k3", pem: TestKeys.rsaPrivateKeyPEM))))
        #expect(!(await Self.accepts(verification, try await Self.rs256(kid: nil, pem: TestKeys.rsaPrivateKeyPEM))))
        // HS256 tokens need the secret, which this verifier does not have.
        #expect(!(await Self.accepts(verification, Self.token())))
    }

    @Test("Unusable key sets are configuration errors naming the problem")
    func badKeySets() throws {
        #expect(throws: ConfigurationError.self) { try JWKSKeySet(document: "[]", logger: Self.logger) }
        #expect(throws: ConfigurationError.self) { try JWKSKeySet(document: #"{"keys":[]}"#, logger: Self.logger) }
        // A 1024-bit modulus.
        let small = Base64URL.encode([0xC3] + [UInt8](repeating: 0x5A, count: 126) + [0x01])
        let weak = #"{"keys":[{"kty":"RSA","kid":"weak","n":"\#(small)","e":"AQAB"}]}"#
        do {
            _ = try JWKSKeySet(document: weak, logger: Self.logger)
            Issue.record("a 1024-bit key was accepted")
        } catch {
            #expect(error.message.contains("weak") && error.message.contains("2048"))
        }
    }

    @Test("A JWKS URL is fetched on first use and again for an unknown kid, at most once per minimum interval")
    func jwksURLRotation() async throws {
        let served = ServedDocument(try Self.jwks([("k1", TestKeys.rsaPrivateKeyPEM)]))
        let router = Router()
        router.get("/jwks.json") { _, _ in await served.document }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let url = try #require(URL(string: "http://127.0.0.1:\(port)/jwks.json"))
            let keySet = JWKSKeySet(url: url, minimumRefreshInterval: .zero, logger: Self.logger)
            let verification = try JWTVerification(keySet: keySet)
            #expect(await Self.accepts(verification, try await Self.rs256(kid: "k1", pem: TestKeys.rsaPrivateKeyPEM)))
            #expect(await keySet.fetches == 1)
            // The provider rotates: k2 appears; the first token naming it makes the set fetch again.
            await served.set(try Self.jwks([("k1", TestKeys.rsaPrivateKeyPEM), ("k2", TestKeys.otherRSAPrivateKeyPEM)]))
            #expect(await Self.accepts(verification, try await Self.rs256(kid: "k2", pem: TestKeys.otherRSAPrivateKeyPEM)))
            #expect(await keySet.fetches == 2)
            #expect(await Self.accepts(verification, try await Self.rs256(kid: "k1", pem: TestKeys.rsaPrivateKeyPEM)))
            #expect(await keySet.fetches == 2, "known kids need no fetch")
            // A provider that serves garbage does not lose the keys loaded before.
            await served.set("not json")
            await keySet.refresh()
            #expect(await Self.accepts(verification, try await Self.rs256(kid: "k2", pem: TestKeys.otherRSAPrivateKeyPEM)))

            // With a minimum interval, a flood of unknown kids costs one fetch.
            await served.set(try Self.jwks([("k1", TestKeys.rsaPrivateKeyPEM)]))
            let guarded = JWKSKeySet(url: url, minimumRefreshInterval: .seconds(3600), logger: Self.logger)
            let strict = try JWTVerification(keySet: guarded)
            for kid in ["x1", "x2", "x3"] {
                #expect(!(await Self.accepts(strict, try await Self.rs256(kid: kid, pem: TestKeys.rsaPrivateKeyPEM))))
            }
            #expect(await guarded.fetches == 1)
            #expect(await Self.accepts(strict, try await Self.rs256(kid: "k1", pem: TestKeys.rsaPrivateKeyPEM)))
        }
    }

    // MARK: Settings

    @Test("JWT settings from the environment; every problem names its variable")
    func settingsFromEnvironment() throws {
        var problems: [String] = []
        let settings = JWTSettings.fromEnvironment(
            ["LMS_JWT_ISSUER": Self.issuer, "LMS_JWT_AUDIENCE": Self.audience, "LMS_JWT_MAX_LIFETIME": "3600"],
            problems: &problems
        )
        #expect(problems.isEmpty)
        #expect(settings.issuer == Self.issuer && settings.audience == Self.audience && settings.maximumLifetime == .seconds(3600))
        #expect(JWTSettings.fromEnvironment([:], problems: &problems).maximumLifetime == .seconds(86_400))

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("jwks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let notJWKS = directory.appendingPathComponent("not.json")
        try Data("{}".utf8).write(to: notJWKS)
        _ = JWTSettings.fromEnvironment(
            [
                "LMS_JWT_MAX_LIFETIME": "0", "LMS_JWT_JWKS_URL": "http://idp.example/jwks", "LMS_JWT_JWKS_FILE": notJWKS.path,
            ],
            problems: &problems
        )
        #expect(problems.count == 3)
        #expect(problems.contains { $0.hasPrefix("LMS_JWT_MAX_LIFETIME:") })
        #expect(problems.contains { $0.hasPrefix("LMS_JWT_JWKS_URL:") && $0.contains("https") })
        #expect(problems.contains { $0.hasPrefix("LMS_JWT_JWKS_FILE:") })

        // A key set alone is enough key material for a service.
        let file = directory.appendingPathComponent("jwks.json")
        try Data(try Self.jwks([("k1", TestKeys.rsaPrivateKeyPEM)]).utf8).write(to: file)
        let configuration = try ServiceConfiguration.fromEnvironment(
            serviceName: "test",
            defaultPort: 1,
            environment: ["LMS_DATABASE_URL": "postgres://u@h/d", "LMS_KAFKA_BROKERS": "k:9092", "LMS_JWT_JWKS_FILE": file.path]
        )
        #expect(configuration.jwt.hasKeySet && configuration.jwtSecret == nil)
        #expect(throws: ConfigurationError.self) {
            try ServiceConfiguration.fromEnvironment(
                serviceName: "test",
                defaultPort: 1,
                environment: ["LMS_DATABASE_URL": "postgres://u@h/d", "LMS_KAFKA_BROKERS": "k:9092"]
            )
        }
    }
}

/// The document the test's identity provider serves, changed by the test.
private actor ServedDocument {
    var document: String

    init(_ document: String) { self.document = document }

    func set(_ document: String) { self.document = document }
}
