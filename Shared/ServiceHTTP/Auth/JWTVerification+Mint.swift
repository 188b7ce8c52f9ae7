import Contracts
import Crypto
import Foundation

extension JWTVerification {
    /// An HS256 token for `subject` in `tenant` with `roles` (and `scopes`, as the space-separated
    /// `scope` claim), valid from now for `expiresIn`.
    ///
    /// For development tooling and tests; production tokens come from the identity provider.
    public static func mintHS256(
        subject: String,
        tenant: String,
        roles: [Role],
        scopes: [Scope] = [],
        secret: String,
        expiresIn: Duration = .seconds(3600)
    ) -> String {
        let seconds = Int(expiresIn.components.seconds)
        return mintHS256(subject: subject, tenant: tenant, roles: roles, scopes: scopes, secret: secret, expiresIn: TimeInterval(seconds))
    }

    /// ``mintHS256(subject:tenant:roles:scopes:secret:expiresIn:)`` with the lifetime in seconds.
    public static func mintHS256(
        subject: String,
        tenant: String,
        roles: [Role],
        scopes: [Scope] = [],
        secret: String,
        expiresIn: TimeInterval
    ) -> String {
        signHS256(claims: mintClaims(subject: subject, tenant: tenant, roles: roles, scopes: scopes, expiresIn: expiresIn), secret: secret)
    }

    /// The claims JSON of a platform token (`sub`, `tenant`, `roles`, `scope` when any, `iat`, `exp`,
    /// and `iss`/`aud` when given), for any signer.
    public static func mintClaims(
        subject: String,
        tenant: String,
        roles: [Role],
        scopes: [Scope] = [],
        issuer: String? = nil,
        audience: String? = nil,
        expiresIn: TimeInterval,
        now: Date = Date()
    ) -> [UInt8] {
        let issuedAt = Int(now.timeIntervalSince1970)
        let lifetime = expiresIn.isFinite ? Int(expiresIn.rounded()) : 366 * 86_400
        let claims = MintedClaims(
            sub: subject,
            tenant: tenant,
            roles: roles.map(\.rawValue),
            scope: scopes.isEmpty ? nil : scopes.map(\.rawValue).joined(separator: " "),
            iss: issuer,
            aud: audience,
            iat: issuedAt,
            exp: issuedAt + lifetime
        )
        // Encoding strings and integers cannot fail; an empty payload would fail verification.
        return (try? LMSJSON.encode(claims)) ?? []
    }

    /// Signs any claims JSON with HS256 (tools and tests that need unusual claims, e.g. `nbf`).
    public static func signHS256(claims: [UInt8], secret: String, header: String = #"{"alg":"HS256","typ":"JWT"}"#) -> String {
        let signingInput = "\(Base64URL.encode(header.utf8)).\(Base64URL.encode(claims))"
        let signature = Array(HMAC<SHA256>.authenticationCode(for: Array(signingInput.utf8), using: SymmetricKey(data: Array(secret.utf8))))
        return "\(signingInput).\(Base64URL.encode(signature))"
    }

    /// An unsigned token (`alg: none`), which every service must refuse.
    public static func unsignedToken(claims: [UInt8]) -> String {
        "\(Base64URL.encode(#"{"alg":"none","typ":"JWT"}"#.utf8)).\(Base64URL.encode(claims))."
    }

    private struct MintedClaims: Encodable {
        var sub: String
        var tenant: String
        var roles: [String]
        var scope: String?
        var iss: String?
        var aud: String?
        var iat: Int
        var exp: Int
    }
}
