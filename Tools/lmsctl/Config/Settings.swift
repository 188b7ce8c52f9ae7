import Foundation
import ServiceHTTP

/// What a command runs with, resolved in this order (first wins): command-line flags, environment
/// variables, the env file (`--env-file`, else `.lms/stack.env` found from the current directory
/// upwards), built-in defaults.
struct Settings: Sendable {
    var file: StackEnv
    var environment: [String: String]
    var urlOverride: String?
    var tokenOverride: String?
    var tenant: String

    /// Settings from this process's environment and the env file: `envFile`, else `LMS_ENV_FILE`,
    /// else `.lms/stack.env` in the current directory or the nearest parent, else none.
    static func load(envFile: String?, url: String? = nil, token: String? = nil, tenant: String = "demo") throws(CLIError) -> Settings {
        let environment = ProcessInfo.processInfo.environment
        let file: StackEnv
        if let envFile {
            file = try StackEnv.load(path: envFile)
        } else if let path = environment["LMS_ENV_FILE"].flatMap({ $0.isEmpty ? nil : $0 })
            ?? StackEnv.find(from: FileManager.default.currentDirectoryPath)
        {
            file = try StackEnv.load(path: path)
        } else {
            file = StackEnv()
        }
        return Settings(file: file, environment: environment, urlOverride: url, tokenOverride: token, tenant: tenant)
    }

    /// The value of `key` from the environment, else the env file.
    func value(_ key: String) -> String? {
        if let value = environment[key], !value.isEmpty { return value }
        if let value = file[key], !value.isEmpty { return value }
        return nil
    }

    /// The base URL of `service` (no trailing slash).
    func baseURL(_ service: ServiceName) -> String {
        var url = urlOverride ?? value(service.urlVariable) ?? service.defaultURL
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }

    var jwtSecret: String? { value("LMS_JWT_SECRET") }

    /// The `iss` the services expect (`LMS_JWT_ISSUER`), if any.
    var jwtIssuer: String? { value("LMS_JWT_ISSUER") }

    /// The `aud` the services expect (`LMS_JWT_AUDIENCE`), if any.
    var jwtAudience: String? { value("LMS_JWT_AUDIENCE") }

    /// The longest token lifetime the services accept, in seconds (`LMS_JWT_MAX_LIFETIME`, default 24 hours).
    func jwtMaximumLifetime() throws(CLIError) -> Int {
        guard let raw = value("LMS_JWT_MAX_LIFETIME") else { return 86_400 }
        guard let seconds = Int(raw), seconds > 0 else { throw CLIError.usage("LMS_JWT_MAX_LIFETIME: \(raw) is not a positive number of seconds") }
        return seconds
    }

    var kafkaBrokers: String? { value("LMS_KAFKA_BROKERS") }

    /// `--token`, else `LMS_TOKEN`, else an admin token for `tenant` minted with the JWT secret.
    func bearerToken() throws(CLIError) -> String {
        if let tokenOverride, !tokenOverride.isEmpty { return tokenOverride }
        if let token = environment["LMS_TOKEN"], !token.isEmpty { return token }
        guard let secret = jwtSecret else {
            throw CLIError.usage(
                "no token: pass --token, set LMS_TOKEN, or make LMS_JWT_SECRET known (env or stack.env) so lmsctl can mint an admin token"
            )
        }
        let claims = JWTVerification.mintClaims(
            subject: "lmsctl",
            tenant: tenant,
            roles: [.admin],
            issuer: jwtIssuer,
            audience: jwtAudience,
            expiresIn: 300
        )
        return JWTVerification.signHS256(claims: claims, secret: secret)
    }
}
