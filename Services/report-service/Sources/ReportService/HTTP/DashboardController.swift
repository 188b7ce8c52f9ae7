import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import ServiceHTTP
import ServicePlatform

/// `GET /dashboard`: the admin dashboard as one server-rendered HTML page.
///
/// The page is outside `/v1`, so the platform's bearer middleware does not guard it; this
/// controller authenticates itself from `Authorization: Bearer`, the `lms_token` cookie, or
/// `?token=` (a browser cannot send a header on navigation). An admin token taken from the query
/// is exchanged for an `HttpOnly`, `Secure`, `SameSite=Strict` cookie scoped to `/dashboard` that
/// lives at most ``cookieLifetime`` (never longer than the token), and the answer is a 303 to
/// `/dashboard`, so the token leaves the address bar, the browser history and access logs of
/// later requests. The page has no scripts and a CSP forbidding any external resource.
struct DashboardController: Sendable {
    let reader: ReportReader
    let verification: JWTVerification
    let clock: any ServiceClock

    static let cookieName = "lms_token"
    /// The longest life of the dashboard cookie, in seconds.
    static let cookieLifetime = 900
    static let trendDays = 30

    func register(on router: Router<AppRequestContext>) {
        router.get("/dashboard", use: dashboard)
    }

    @Sendable func dashboard(_ request: Request, context: AppRequestContext) async throws -> Response {
        let queryToken = request.uri.queryParameters["token"].map(String.init)
        guard let token = queryToken ?? Self.bearer(request) ?? Self.cookie(request) else {
            return Self.page(status: .unauthorized, title: "Sign-in required", message: "Open the dashboard with an admin token.")
        }
        let verified: VerifiedToken
        do {
            verified = try await verification.verifyToken(token)
        } catch {
            return Self.page(status: .unauthorized, title: "Sign-in required", message: "The token was refused.")
        }
        let identity = verified.identity
        guard identity.has(.admin) else {
            return Self.page(status: .forbidden, title: "Forbidden", message: "The dashboard is for admins.")
        }
        if queryToken != nil {
            return Self.exchange(token, expiresAt: verified.expiresAt)
        }
        let data = try await reader.dashboard(tenantId: identity.tenantId, asOf: clock.now(), trendDays: Self.trendDays)
        return Self.html(status: .ok, DashboardPage(data: data).render())
    }

    /// 303 to `/dashboard` with the token in a cookie that does not outlive it.
    static func exchange(_ token: String, expiresAt: Date, now: Date = Date()) -> Response {
        let maxAge = max(0, min(cookieLifetime, Int(expiresAt.timeIntervalSince(now).rounded(.down))))
        return Response(
            status: .seeOther,
            headers: [
                .location: "/dashboard",
                .setCookie: "\(cookieName)=\(token); Max-Age=\(maxAge); Path=/dashboard; HttpOnly; Secure; SameSite=Strict",
                .cacheControl: "no-store",
                HTTPField.Name("Referrer-Policy")!: "no-referrer",
            ]
        )
    }

    static func bearer(_ request: Request) -> String? {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else { return nil }
        let token = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    static func cookie(_ request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 2, parts[0] == cookieName, !parts[1].isEmpty { return parts[1] }
            }
        }
        return nil
    }

    static func html(status: HTTPResponse.Status, _ text: String) -> Response {
        let bytes = ByteBuffer(string: text)
        return Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8",
                .contentSecurityPolicy:
                    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
                .cacheControl: "no-store",
                HTTPField.Name("Referrer-Policy")!: "no-referrer",
                HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            ],
            body: ResponseBody(byteBuffer: bytes)
        )
    }

    static func page(status: HTTPResponse.Status, title: String, message: String) -> Response {
        html(
            status: status,
            """
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>\(HTML.escape(title))</title></head>
            <body><main><h1>\(HTML.escape(title))</h1><p>\(HTML.escape(message))</p></main></body></html>
            """
        )
    }
}
