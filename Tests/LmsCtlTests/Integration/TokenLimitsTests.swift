import Foundation
import ServiceHTTP
import TestSupport
import Testing

@Suite("lmsctl token: scopes, issuer, audience and the lifetime limit")
struct TokenLimitsTests {
    static let secret = "token-limits-secret-that-is-long-enough-32"

    @Test func mintsScopesIssuerAndAudienceTheServicesExpect() async throws {
        let environment = ["LMS_JWT_SECRET": Self.secret, "LMS_JWT_ISSUER": "https://idp.example", "LMS_JWT_AUDIENCE": "lms-api"]
        let result = try await LmsCtlProcess.run(
            ["token", "--roles", "service", "--scope", "activity:write", "--scope", "enrollments:read users:write", "--ttl", "1h"],
            environment: environment
        )
        #expect(result.status == 0, "\(result.stderr)")
        let verification = try JWTVerification(hs256Secret: Self.secret, issuer: "https://idp.example", audience: "lms-api")
        let identity = try await verification.verify(result.stdout.trimmingCharacters(in: .newlines))
        #expect(identity.roles == [.service] && identity.scopes == [.activityWrite, .enrollmentsRead, .usersWrite])

        let badScope = try await LmsCtlProcess.run(["token", "--scope", "everything"], environment: environment)
        #expect(badScope.status == 64 && badScope.stderr.contains("unknown scope 'everything'"))
    }

    @Test func refusesALifetimeTheServicesWouldRefuse() async throws {
        let year = try await LmsCtlProcess.run(["token", "--ttl", "365d"], environment: ["LMS_JWT_SECRET": Self.secret])
        #expect(year.status == 64 && year.stderr.contains("LMS_JWT_MAX_LIFETIME"), "\(year.stderr)")
        #expect(year.stdout.isEmpty)
        let day = try await LmsCtlProcess.run(["token", "--ttl", "24h"], environment: ["LMS_JWT_SECRET": Self.secret])
        #expect(day.status == 0, "\(day.stderr)")
        // Told otherwise: a longer maximum, as the services would be configured with.
        let week = try await LmsCtlProcess.run(
            ["token", "--ttl", "7d"],
            environment: ["LMS_JWT_SECRET": Self.secret, "LMS_JWT_MAX_LIFETIME": "604800"]
        )
        #expect(week.status == 0, "\(week.stderr)")
        let verification = try JWTVerification(hs256Secret: Self.secret, maximumLifetime: .seconds(604_800))
        #expect(try await verification.verify(week.stdout.trimmingCharacters(in: .newlines)).roles == [.admin])
    }
}
