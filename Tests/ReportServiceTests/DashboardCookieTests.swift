import Foundation
import ReportService
import ServiceHTTP
import TestSupport
import Testing

/// The dashboard exchanges `?token=` for a cookie and redirects (security review L1), so the token
/// leaves the address bar; the cookie is `HttpOnly`, `Secure`, `SameSite=Strict`, scoped to
/// `/dashboard` and does not outlive the token.
@Suite("Dashboard token exchange", .serialized, .hangGuard)
struct DashboardCookieTests {
    /// The status line and headers of a GET that is not followed if it redirects (curl without `-L`).
    static func head(_ url: String) async throws -> (status: Int, headers: [String: String]) {
        let curl = try #require(Subprocess.which("curl"), "curl is not installed")
        let result = try await Subprocess.run(curl, ["-s", "-o", "/dev/null", "-D", "-", url])
        #expect(result.status == 0, "\(result.error)")
        var status = 0
        var headers: [String: String] = [:]
        for line in result.output.split(whereSeparator: \.isNewline) {
            if line.hasPrefix("HTTP/") {
                status = Int(line.split(separator: " ")[1]) ?? 0
            } else if let colon = line.firstIndex(of: ":") {
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return (status, headers)
    }

    @Test func theQueryTokenBecomesAShortLivedSecureCookieAndARedirect() async throws {
        try await ReportHarness.run { service in
            try await service.apply(Scenario(now: service.clock.now()))
            let admin = service.harness.admin()
            let exchanged = try await Self.head("\(service.http.base)/dashboard?token=\(admin)")
            #expect(exchanged.status == 303)
            #expect(exchanged.headers["location"] == "/dashboard")
            let cookie = try #require(exchanged.headers["set-cookie"])
            let attributes = Set(cookie.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) })
            #expect(attributes.contains("lms_token=\(admin)"))
            #expect(attributes.isSuperset(of: ["HttpOnly", "Secure", "SameSite=Strict", "Path=/dashboard", "Max-Age=900"]), "\(cookie)")
            #expect(exchanged.headers["cache-control"] == "no-store")

            // The cookie alone opens the page, which never carries the token.
            let page = try await service.http.send("GET", "/dashboard", headers: ["Cookie": "lms_token=\(admin)"])
            #expect(page.status == 200 && page.text.contains("Completion by course"))
            #expect(!page.text.contains(admin))
            #expect(page.header("Set-Cookie") == nil)

            // A token about to expire gives a cookie that expires with it.
            let brief = JWTVerification.mintHS256(
                subject: "admin-brief",
                tenant: "acme",
                roles: [.admin],
                secret: ServiceHarness.secret,
                expiresIn: 120
            )
            let short = try await Self.head("\(service.http.base)/dashboard?token=\(brief)")
            let maxAge = try #require(
                short.headers["set-cookie"]?.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
                    .first { $0.hasPrefix("Max-Age=") }.flatMap { Int($0.dropFirst(8)) }
            )
            #expect((100...120).contains(maxAge), "Max-Age=\(maxAge)")

            // Refused tokens get no cookie and no redirect.
            let learner = try await Self.head("\(service.http.base)/dashboard?token=\(service.harness.learner("u1"))")
            #expect(learner.status == 403 && learner.headers["set-cookie"] == nil)
            let forged = try await Self.head("\(service.http.base)/dashboard?token=\(admin)x")
            #expect(forged.status == 401 && forged.headers["set-cookie"] == nil)
        }
    }
}
