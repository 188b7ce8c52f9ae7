import Foundation
import ServiceHTTP
import TestSupport
import Testing

@Suite("lmsctl token")
struct TokenCommandTests {
    @Test func mintsATokenThatVerifiesWithTheSecret() async throws {
        let secret = "token-test-secret-that-is-long-enough-32"
        let result = try await LmsCtlProcess.run(
            ["token", "--tenant", "acme", "--roles", "instructor,learner", "--subject", "u-7", "--ttl", "10m"],
            environment: ["LMS_JWT_SECRET": secret])
        #expect(result.status == 0, "\(result.stderr)")
        let token = result.stdout.trimmingCharacters(in: .newlines)
        #expect(!token.contains("\n"))
        let identity = try await JWTVerification(hs256Secret: secret).verify(token)
        #expect(identity.userId == "u-7" && identity.tenantId == "acme" && identity.roles == [.instructor, .learner])
        await #expect(throws: (any Error).self) { try await JWTVerification(hs256Secret: secret + "-other").verify(token) }
        // 10 minutes: expired 11 minutes from now.
        await #expect(throws: (any Error).self) { try await JWTVerification(hs256Secret: secret).verify(token, now: Date().addingTimeInterval(660)) }
    }

    @Test func readsTheSecretFromTheNearestStackEnvAndRefusesBadInput() async throws {
        let root = try LmsCtlProcess.temporaryDirectory()
        let nested = root.appendingPathComponent("deep/er")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent(".lms"), withIntermediateDirectories: true)
        let secret = "stack-env-secret-that-is-long-enough-for-it"
        _ = try LmsCtlProcess.write("LMS_JWT_SECRET=\(secret)\n", to: ".lms/stack.env", in: root)
        let result = try await LmsCtlProcess.run(["token"], directory: nested)
        #expect(result.status == 0, "\(result.stderr)")
        let identity = try await JWTVerification(hs256Secret: secret).verify(result.stdout.trimmingCharacters(in: .newlines))
        #expect(identity.tenantId == "demo" && identity.roles == [.admin])

        let badRole = try await LmsCtlProcess.run(["token", "--roles", "root"], directory: nested)
        #expect(badRole.status == 64 && badRole.stderr.contains("unknown role 'root'"))
        let noSecret = try await LmsCtlProcess.run(["token"])
        #expect(noSecret.status == 64 && noSecret.stderr.contains("LMS_JWT_SECRET"))
    }
}
