import Crypto
import Contracts
import Foundation

extension JWTVerification {
    /// An HS256 token for `subject` in `tenant` with `roles`, valid from now for `expiresIn`.
    ///
    /// For development tooling and tests; production tokens come from the identity provider.
    public static func mintHS256(
        subject: String,
        tenant: String,
        roles: [Role],
        secret: String,
        expiresIn: Duration = .seconds(3600)
    ) -> String {
        let seconds = Int(expiresIn.components.seconds)
        return mintHS256(subject: subject, tenant: tenant, roles: roles, secret: secret, expiresIn: TimeInterval(seconds))
    }

    /// ``mintHS256(subject:tenant:roles:secret:expiresIn:)`` with the lifetime in seconds.
    public static func mintHS256(subject: String, tenant: String, roles: [Role], secret: String, expiresIn: TimeInterval) -> String {
        let now = Int(Date().timeIntervalSince1970)
        let lifetime = expiresIn.isFinite ? Int(expiresIn.rounded()) : 366 * 86_400
        let claims = MintedClaims(sub: subject, tenant: tenant, roles: roles.map(\.rawValue), iat: now, exp: now + lifetime)
        // Encoding four strings and two integers cannot fail; an empty payload would fail verification.
        return signHS256(claims: (try? LMSJSON.encode(claims)) ?? [], secret: secret)
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
        var iat: Int
        var exp: Int
    }
}
