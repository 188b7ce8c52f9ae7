import ArgumentParser
import Foundation
import ServiceHTTP

/// `lmsctl token`: a development JWT (HS256 with LMS_JWT_SECRET), printed alone on stdout.
struct Token: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Mint a development JWT (HS256 with LMS_JWT_SECRET).")

    @Option(help: "Tenant claim.") var tenant: String = "demo"
    @Option(help: "Comma-separated roles: admin, instructor, learner, service.") var roles: String = "admin"
    @Option(help: "Subject (user id) claim.") var subject: String = "dev-admin"
    @Option(help: "Lifetime: seconds, or with a unit (90s, 30m, 12h, 7d).") var ttl: String = "12h"
    @Option(help: "Env file with LMS_JWT_SECRET.") var envFile: String?
    @Flag(help: "Print {token, claims} as JSON.") var json = false

    func run() async throws {
        let parsedRoles = try Self.roles(roles)
        guard let seconds = Self.seconds(ttl), seconds > 0 else { throw CLIError.usage("--ttl '\(ttl)' is not a duration (e.g. 3600, 30m, 12h, 7d)") }
        guard let secret = try Settings.load(envFile: envFile).jwtSecret else {
            throw CLIError.usage("LMS_JWT_SECRET is not set (environment, --env-file or .lms/stack.env)")
        }
        let token = JWTVerification.mintHS256(subject: subject, tenant: tenant, roles: parsedRoles, secret: secret, expiresIn: TimeInterval(seconds))
        if json {
            let now = Int(Date().timeIntervalSince1970)
            let body: [String: Any] = [
                "token": token, "claims": ["sub": subject, "tenant": tenant, "roles": parsedRoles.map(\.rawValue), "exp": now + seconds],
            ]
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

    /// `3600`, `90s`, `30m`, `12h`, `7d` in seconds.
    static func seconds(_ text: String) -> Int? {
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        guard let last = text.last else { return nil }
        if let unit = units[last] { return Int(text.dropLast()).map { $0 * unit } }
        return Int(text)
    }
}
