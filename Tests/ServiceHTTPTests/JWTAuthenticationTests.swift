import Foundation
import Hummingbird
import HummingbirdTesting
import JWTKit
import ServicePlatform
import Testing

@testable import ServiceHTTP

@Suite("JWT authentication")
struct JWTAuthenticationTests {
    let app: TestApp

    init() throws {
        app = try TestApp()
    }

    private func expectUnauthorized(_ token: String?, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await Application(router: app.router()).test(.router) { client in
            let response = try await client.send("/v1/me", token: token)
            #expect(response.status == .unauthorized, sourceLocation: sourceLocation)
            let problem = try response.problem(sourceLocation: sourceLocation)
            #expect(problem.type == "https://lms.example/problems/unauthorized", sourceLocation: sourceLocation)
            #expect(problem.detail == "A valid bearer token is required.", sourceLocation: sourceLocation)
            #expect(response.headers[.wwwAuthenticate] == "Bearer", sourceLocation: sourceLocation)
        }
    }

    @Test("HS256 token minted by JWTKit is accepted; unknown roles are ignored")
    func hs256Accepted() async throws {
        let token = try await TestTokens.hs256(CustomClaims(sub: "u-42", tenant: "acme-corp", roles: ["learner", "superuser", "instructor"]))
        try await Application(router: app.router()).test(.router) { client in
            let response = try await client.send("/v1/me", token: token)
            #expect(response.status == .ok)
            let me = try response.json(TestApp.WhoAmI.self)
            #expect(me.userId == "u-42")
            #expect(me.tenantId == "acme-corp")
            #expect(me.roles == ["instructor", "learner"])
        }
    }

    @Test("mintHS256 tokens verify")
    func mintedAccepted() async throws {
        let token = JWTVerification.mintHS256(subject: "svc", tenant: "acme", roles: [.service], secret: TestKeys.secret, expiresIn: .seconds(60))
        let identity = try await app.verification.verify(token)
        #expect(identity == Identity(userId: "svc", tenantId: "acme", roles: [.service]))
        let legacy = JWTVerification.mintHS256(subject: "svc", tenant: "acme", roles: [.admin], secret: TestKeys.secret, expiresIn: 60)
        #expect(try await app.verification.verify(legacy).has(.admin))
    }

    @Test("RS256 token is accepted")
    func rs256Accepted() async throws {
        let token = try await TestTokens.rs256(CustomClaims(sub: "u-7", tenant: "globex", roles: ["admin"]))
        try await Application(router: app.router()).test(.router) { client in
            let response = try await client.send("/v1/me", token: token)
            #expect(response.status == .ok)
            #expect(try response.json(TestApp.WhoAmI.self).tenantId == "globex")
        }
    }

    @Test("An RS256-only verifier accepts RS256 and refuses HS256 signed with the public key as secret")
    func rs256Only() async throws {
        let verification = try JWTVerification(rs256PublicKeyPEM: TestKeys.rsaPublicKeyPEM)
        let good = try await TestTokens.rs256(CustomClaims())
        #expect(try await verification.verify(good).userId == "user-1")
        let confused = try await TestTokens.hs256(CustomClaims(), secret: TestKeys.rsaPublicKeyPEM)
        await #expect(throws: JWTRejection.self) { try await verification.verify(confused) }
    }

    @Test("Non-bearer Authorization is 401")
    func basicScheme() async throws {
        try await Application(router: app.router()).test(.router) { client in
            let response = try await client.send("/v1/me", headers: [.authorization: "Basic YWRtaW46YWRtaW4="])
            #expect(response.status == .unauthorized)
            _ = try response.problem()
        }
    }

    @Test("exp and nbf allow the configured clock skew, no more")
    func leeway() async throws {
        let verification = try JWTVerification(hs256Secret: TestKeys.secret, leeway: .seconds(30))
        let start = Date()
        let token = try await TestTokens.hs256(CustomClaims(exp: start.addingTimeInterval(60), nbf: start))
        #expect(try await verification.verify(token, now: start.addingTimeInterval(-20)).userId == "user-1")
        #expect(try await verification.verify(token, now: start.addingTimeInterval(80)).userId == "user-1")
        await #expect(throws: JWTRejection("not valid yet")) { try await verification.verify(token, now: start.addingTimeInterval(-40)) }
        await #expect(throws: JWTRejection("expired")) { try await verification.verify(token, now: start.addingTimeInterval(100)) }
    }

    @Test(
        "Expired, expiry-less or not yet valid tokens, and invalid tenant or subject claims, are 401",
        arguments: [
            CustomClaims(exp: Date().addingTimeInterval(-3600)), CustomClaims(exp: nil), CustomClaims(nbf: Date().addingTimeInterval(3600)),
            CustomClaims(tenant: "Acme Corp"), CustomClaims(tenant: "-acme"), CustomClaims(sub: ""),
            CustomClaims(sub: String(repeating: "u", count: 129)),
        ]
    )
    func refusedClaims(claims: CustomClaims) async throws {
        try await expectUnauthorized(try await TestTokens.hs256(claims))
    }

    @Test("No token, or one signed with a wrong HS256 secret or another RSA key, is 401")
    func missingOrWronglySigned() async throws {
        try await expectUnauthorized(nil)
        try await expectUnauthorized(try await TestTokens.hs256(CustomClaims(), secret: "another-secret-of-at-least-32-bytes!"))
        try await expectUnauthorized(try await TestTokens.rs256(CustomClaims(), privateKeyPEM: TestKeys.otherRSAPrivateKeyPEM))
    }

    @Test("alg none is 401")
    func algNone() async throws {
        let header = Base64URL.encode(#"{"alg":"none","typ":"JWT"}"#.utf8)
        let exp = Int(Date().timeIntervalSince1970) + 3600
        let payload = Base64URL.encode(#"{"sub":"u-1","tenant":"acme","roles":["admin"],"exp":\#(exp)}"#.utf8)
        try await expectUnauthorized("\(header).\(payload).")
        try await expectUnauthorized("\(header).\(payload)")
    }

    @Test("Payload tampered after signing is 401")
    func tamperedPayload() async throws {
        let token = try await TestTokens.hs256(CustomClaims(roles: ["learner"]))
        let parts = token.split(separator: ".").map(String.init)
        let exp = Int(Date().timeIntervalSince1970) + 3600
        let forged = Base64URL.encode(#"{"sub":"user-1","tenant":"acme","roles":["admin"],"exp":\#(exp)}"#.utf8)
        try await expectUnauthorized("\(parts[0]).\(forged).\(parts[2])")
    }

    @Test(
        "Malformed tokens are 401",
        arguments: ["garbage", "a.b.c", "....", "eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln", String(repeating: "x", count: 9000)]
    )
    func malformed(token: String) async throws {
        try await expectUnauthorized(token)
    }

    @Test("A token without the required role is 403; with no known role too")
    func missingRole() async throws {
        let learner = try await TestTokens.hs256(CustomClaims(roles: ["learner"]))
        let noRoles = try await TestTokens.hs256(CustomClaims(roles: nil))
        let admin = try await TestTokens.hs256(CustomClaims(roles: ["admin"]))
        try await Application(router: app.router()).test(.router) { client in
            for token in [learner, noRoles] {
                let response = try await client.send("/v1/admin-only", token: token)
                #expect(response.status == .forbidden)
                let problem = try response.problem()
                #expect(problem.type == "https://lms.example/problems/forbidden")
                #expect(problem.title == "Forbidden")
            }
            #expect(try await client.send("/v1/admin-only", token: admin).status == .noContent)
        }
    }

    @Test("Platform routes need no token; /v1 is protected however the path is spelled")
    func protectedPaths() async throws {
        try await Application(router: app.router()).test(.router) { client throws in
            #expect(try await client.send("/health/live").status == .ok)
            #expect(try await client.send("/metrics").status == .ok)
            #expect(try await client.send("/openapi.json").status == .ok)
            #expect(try await client.send("//v1/me").status == .unauthorized)
            #expect(try await client.send("/v1/no-such-route").status == .unauthorized)
            #expect(try await client.send("/V1/me").status == .unauthorized)
        }
    }

    @Test("Configuration needs at least one usable key")
    func configuration() {
        #expect(throws: ConfigurationError.self) { try JWTVerification() }
        #expect(throws: ConfigurationError.self) { try JWTVerification(hs256Secret: "") }
        #expect(throws: ConfigurationError.self) { try JWTVerification(hs256Secret: "only-31-bytes-long-secret-12345") }
        #expect(throws: Never.self) { try JWTVerification(hs256Secret: "exactly-32-bytes-long-secret-123") }
        #expect(throws: ConfigurationError.self) { try JWTVerification(rs256PublicKeyPEM: "not a pem") }
    }
}
