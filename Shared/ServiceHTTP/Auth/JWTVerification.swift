import Foundation
import JWTKit
import ServicePlatform

/// Verifies the platform's bearer tokens: HS256 with a shared secret and/or RS256 with a public key
/// or a key set (JWKS) whose key the header's `kid` names.
///
/// The token's `alg` header picks the key; any other algorithm (`none` included) is refused, so an
/// RS256 public key can never be used as an HMAC secret. Required claims: `sub` (the user id,
/// 1-128 characters), `tenant` (a tenant slug), `exp`; optional: `roles` (unknown names are ignored),
/// `scope`/`scp`, `nbf`, `iat`. `exp`, `nbf` and `iat` are checked with a small leeway for clock skew.
/// When configured, `iss` must equal ``issuer`` and `aud` must contain ``audience``. A token may not
/// live longer than ``maximumLifetime`` (`exp - iat`, or `exp - now` when it carries no `iat`).
public struct JWTVerification: Sendable {
    /// Tokens longer than this are refused without parsing.
    public static let maximumTokenLength = 8192
    /// Shortest HS256 secret accepted: the hash output size, as RFC 7518 §3.2 requires.
    public static let minimumSecretLength = 32

    private let hs256: Task<JWTKeyCollection, Never>?
    private let rs256: Task<JWTKeyCollection, Never>?
    /// RS256 keys by `kid`, when a JWKS is configured.
    public let keySet: JWKSKeySet?
    /// Clock skew tolerated on `exp`, `nbf` and `iat`.
    public let leeway: Duration
    /// The `iss` every token must carry, if any.
    public let issuer: String?
    /// The value every token's `aud` must contain, if any.
    public let audience: String?
    /// The longest lifetime a token may have.
    public let maximumLifetime: Duration

    /// - Parameters:
    ///   - hs256Secret: the shared secret (`LMS_JWT_SECRET`), at least ``minimumSecretLength`` bytes.
    ///   - rs256PublicKeyPEM: an RSA public key (`BEGIN PUBLIC KEY`) or an X.509 certificate
    ///     carrying one (`BEGIN CERTIFICATE`), at least 2048 bits; verifies RS256 tokens whose `kid`
    ///     the key set does not hold (or without one).
    ///   - keySet: RS256 keys by `kid` (`LMS_JWT_JWKS_FILE` or `LMS_JWT_JWKS_URL`).
    /// - Throws: `ConfigurationError` when no key is given or a given one is unusable.
    public init(
        hs256Secret: String? = nil,
        rs256PublicKeyPEM: String? = nil,
        keySet: JWKSKeySet? = nil,
        issuer: String? = nil,
        audience: String? = nil,
        maximumLifetime: Duration = JWTSettings.defaultMaximumLifetime,
        leeway: Duration = .seconds(30)
    ) throws(ConfigurationError) {
        guard hs256Secret != nil || rs256PublicKeyPEM != nil || keySet != nil else {
            throw ConfigurationError(
                "JWT verification needs an HS256 secret (LMS_JWT_SECRET), an RS256 public key (LMS_JWT_PUBLIC_KEY_FILE) or a key set (LMS_JWT_JWKS_FILE, LMS_JWT_JWKS_URL)"
            )
        }
        if let secret = hs256Secret {
            guard secret.utf8.count >= Self.minimumSecretLength else {
                throw ConfigurationError("the HS256 secret (LMS_JWT_SECRET) must have at least \(Self.minimumSecretLength) bytes")
            }
            let key = HMACKey(from: secret)
            hs256 = Task {
                let keys = JWTKeyCollection()
                await keys.add(hmac: key, digestAlgorithm: .sha256)
                return keys
            }
        } else {
            hs256 = nil
        }
        if let pem = rs256PublicKeyPEM {
            let key: Insecure.RSA.PublicKey
            do {
                key = pem.contains("BEGIN CERTIFICATE") ? try Insecure.RSA.PublicKey(certificatePEM: pem) : try Insecure.RSA.PublicKey(pem: pem)
            } catch {
                throw ConfigurationError("the RS256 key is not a PEM RSA public key (or certificate) of at least 2048 bits")
            }
            rs256 = Task {
                let keys = JWTKeyCollection()
                await keys.add(rsa: key, digestAlgorithm: .sha256)
                return keys
            }
        } else {
            rs256 = nil
        }
        self.keySet = keySet
        self.issuer = issuer
        self.audience = audience
        self.maximumLifetime = maximumLifetime
        self.leeway = leeway
    }

    /// The identity a token proves, or why it proves none.
    public func verify(_ token: String, now: Date = Date()) async throws(JWTRejection) -> Identity {
        try await verifyToken(token, now: now).identity
    }

    /// ``verify(_:now:)`` with the token's expiry.
    public func verifyToken(_ token: String, now: Date = Date()) async throws(JWTRejection) -> VerifiedToken {
        guard token.utf8.count <= Self.maximumTokenLength else { throw JWTRejection("longer than \(Self.maximumTokenLength) bytes") }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerBytes = Base64URL.decode(parts[0]) else { throw JWTRejection("not a compact JWS") }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: Data(headerBytes))
        } catch {
            throw JWTRejection("unreadable header")
        }
        let keys: JWTKeyCollection
        switch (header.alg, hs256, rs256) {
        case ("RS256", _, _) where header.kid != nil && keySet != nil:
            if let kid = header.kid, let found = await keySet?.keys(for: kid) {
                keys = found
            } else if let rs256 {
                keys = await rs256.value
            } else {
                throw JWTRejection("no key with kid \(header.kid ?? "")")
            }
        case ("HS256", .some(let task), _), ("RS256", _, .some(let task)):
            keys = await task.value
        default:
            throw JWTRejection("algorithm \(header.alg) is not accepted")
        }

        let claims: TokenClaims
        do {
            claims = try await keys.verify(token, as: TokenClaims.self)
        } catch let error as JWTError where error.errorType == .signatureVerificationFailed {
            throw JWTRejection("bad signature")
        } catch {
            throw JWTRejection("invalid token (\(header.alg)): \(error)")
        }

        let leeway = TimeInterval(self.leeway.components.seconds) + TimeInterval(self.leeway.components.attoseconds) / 1e18
        guard now < claims.exp.value.addingTimeInterval(leeway) else { throw JWTRejection("expired") }
        if let notBefore = claims.nbf?.value, now < notBefore.addingTimeInterval(-leeway) {
            throw JWTRejection("not valid yet")
        }
        try checkPolicy(claims, now: now, leeway: leeway)
        let userId = claims.sub.value
        guard (1...128).contains(userId.unicodeScalars.count) else { throw JWTRejection("sub must have 1-128 characters") }
        guard TenantSlug.isValid(claims.tenant) else { throw JWTRejection("tenant is not a tenant slug") }
        let roles = Set((claims.roles ?? []).compactMap(Role.init(rawValue:)))
        let scopes = (claims.scope?.scopes ?? []).union(claims.scp?.scopes ?? [])
        return VerifiedToken(
            identity: Identity(userId: userId, tenantId: claims.tenant, roles: roles, scopes: scopes),
            expiresAt: claims.exp.value
        )
    }

    /// Issuer, audience and lifetime.
    private func checkPolicy(_ claims: TokenClaims, now: Date, leeway: TimeInterval) throws(JWTRejection) {
        if let issuer, claims.iss?.value != issuer { throw JWTRejection("issuer is not \(issuer)") }
        if let audience, claims.aud?.value.contains(audience) != true { throw JWTRejection("audience does not include \(audience)") }
        let maximum = TimeInterval(maximumLifetime.components.seconds)
        if let issuedAt = claims.iat?.value {
            guard issuedAt <= now.addingTimeInterval(leeway) else { throw JWTRejection("issued in the future") }
            guard claims.exp.value.timeIntervalSince(issuedAt) <= maximum else { throw JWTRejection("lifetime exceeds \(Int(maximum)) s") }
        } else {
            guard claims.exp.value.timeIntervalSince(now) <= maximum + leeway else { throw JWTRejection("lifetime exceeds \(Int(maximum)) s") }
        }
    }

    private struct Header: Decodable {
        var alg: String
        var kid: String?
    }
}
