import ArgumentParser
import Foundation
import ServiceHTTP

/// `lmsctl token`: a development JWT (HS256 with LMS_JWT_SECRET), printed alone on stdout.
///
/// It carries `iss` and `aud` when LMS_JWT_ISSUER and LMS_JWT_AUDIENCE are known (as the services
/// then require them), and its lifetime may not exceed LMS_JWT_MAX_LIFETIME (default 24 hours),
/// which the services enforce too.
struct Token: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Mint a development JWT (HS256 with LMS_JWT_SECRET).")

    @Option(help: "Tenant claim.") var tenant: String = "demo"
    @Option(help: "Comma-separated roles: admin, instructor, learner, service.") var roles: String = "admin"
    @Option(
        name: .customLong("scope"),
        help: "A scope for a service token (repeatable): \(Scope.allCases.map(\.rawValue).joined(separator: ", "))."
    )
    var scopes: [String] = []
    @Option(help: "Subject (user id) claim.") var subject: String = "dev-admin"
    @Option(help: "Lifetime: seconds, or with a unit (90s, 30m, 12h, 7d); at most LMS_JWT_MAX_LIFETIME (default 24h).") var ttl: String = "12h"
    @Option(help: "Env file with LMS_JWT_SECRET (and LMS_JWT_ISSUER, LMS_JWT_AUDIENCE, LMS_JWT_MAX_LIFETIME).") var envFile: String?
    @Flag(help: "Print {token, claims} as JSON.") var json = false

    func run() async throws {
        let parsedRoles = try Self.roles(roles)
        let parsedScopes = try Self.scopes(scopes)
        guard let seconds = Self.seconds(ttl), seconds > 0 else { throw CLIError.usage("--ttl '\(ttl)' is not a duration (e.g. 3600, 30m, 12h, 7d)") }
        let settings = try Settings.load(envFile: envFile)
        let maximum = try settings.jwtMaximumLifetime()
        guard seconds <= maximum else {
            throw CLIError.usage(
                "--ttl '\(ttl)' is longer than the maximum token lifetime of \(maximum) s, which the services refuse; set LMS_JWT_MAX_LIFETIME (here and in the services) to allow longer tokens"
            )
        }
        guard let secret = settings.jwtSecret else {
            throw CLIError.usage("LMS_JWT_SECRET is not set (environment, --env-file or .lms/stack.env)")
        }
        let now = Date()
        let claims = JWTVerification.mintClaims(
            subject: subject,
            tenant: tenant,
            roles: parsedRoles,
            scopes: parsedScopes,
            issuer: settings.jwtIssuer,
            audience: settings.jwtAudience,
            expiresIn: TimeInterval(seconds),
            now: now
        )
        let token = JWTVerification.signHS256(claims: claims, secret: secret)
        if json {
            let claimsObject = try JSONSerialization.jsonObject(with: Data(claims))
            let body: [String: Any] = ["token": token, "claims": claimsObject]
            let data = try JSONSerialization.data(withJSONObject: body, options: [.prettyPrinted, .sortedKeys])
            Console.out(String(decoding: data, as: UTF8.self))
        } else {
            Console.out(token)
        }
    }

    static func roles(_ text: String) throws(CLIError) -> [Role] {
        var roles: [Role] = []
        for name in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            guard let role = Role(rawValue: name) else {
                throw CLIError.usage("unknown role '\(name)' (admin, instructor, learner, service)")
            }
            if !roles.contains(role) { roles.append(role) }
        }
        guard !roles.isEmpty else { throw CLIError.usage("--roles names no role") }
        return roles
    }

    /// The `--scope` values (each may also list several, separated by spaces or commas).
    static func scopes(_ values: [String]) throws(CLIError) -> [Scope] {
        var scopes: [Scope] = []
        for name in values.flatMap({ $0.split(whereSeparator: { $0 == " " || $0 == "," }) }).map(String.init) {
            guard let scope = Scope(rawValue: name) else {
                throw CLIError.usage("unknown scope '\(name)' (\(Scope.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            if !scopes.contains(scope) { scopes.append(scope) }
        }
        return scopes
    }

    /// `3600`, `90s`, `30m`, `12h`, `7d` in seconds.
    static func seconds(_ text: String) -> Int? {
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        guard let last = text.last else { return nil }
        if let unit = units[last] { return Int(text.dropLast()).map { $0 * unit } }
        return Int(text)
    }
}
