import Foundation
import JWTKit
import ServicePlatform

/// Verifies the platform's bearer tokens: HS256 with a shared secret and/or RS256 with a public key.
///
/// The token's `alg` header picks the key; any other algorithm (`none` included) is refused, so an
/// RS256 public key can never be used as an HMAC secret. Required claims: `sub` (the user id,
/// 1-128 characters), `tenant` (a tenant slug), `exp`; optional: `roles` (unknown names are ignored),
/// `nbf`, `iat`. `exp` and `nbf` are checked with a small leeway for clock skew.
public struct JWTVerification: Sendable {
    /// Tokens longer than this are refused without parsing.
    public static let maximumTokenLength = 8192
    /// Shortest HS256 secret accepted: the hash output size, as RFC 7518 §3.2 requires.
    public static let minimumSecretLength = 32

    private let hs256: Task<JWTKeyCollection, Never>?
    private let rs256: Task<JWTKeyCollection, Never>?
    /// Clock skew tolerated on `exp` and `nbf`.
    public let leeway: Duration

    /// - Parameters:
    ///   - hs256Secret: the shared secret (`LMS_JWT_SECRET`), at least ``minimumSecretLength`` bytes.
    ///   - rs256PublicKeyPEM: an RSA public key (`BEGIN PUBLIC KEY`) or an X.509 certificate
    ///     carrying one (`BEGIN CERTIFICATE`), at least 2048 bits.
    /// - Throws: `ConfigurationError` when neither key is given or a given one is unusable.
    public init(hs256Secret: String? = nil, rs256PublicKeyPEM: String? = nil, leeway: Duration = .seconds(30)) throws(ConfigurationError) {
        guard hs256Secret != nil || rs256PublicKeyPEM != nil else {
            throw ConfigurationError("JWT verification needs an HS256 secret (LMS_JWT_SECRET) or an RS256 public key (LMS_JWT_PUBLIC_KEY_FILE)")
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
        self.leeway = leeway
    }

    /// The identity a token proves, or why it proves none.
    public func verify(_ token: String, now: Date = Date()) async throws(JWTRejection) -> Identity {
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
        let userId = claims.sub.value
        guard (1...128).contains(userId.unicodeScalars.count) else { throw JWTRejection("sub must have 1-128 characters") }
        guard TenantSlug.isValid(claims.tenant) else { throw JWTRejection("tenant is not a tenant slug") }
        let roles = Set((claims.roles ?? []).compactMap(Role.init(rawValue:)))
        let scopes = (claims.scope?.scopes ?? []).union(claims.scp?.scopes ?? [])
        return Identity(userId: userId, tenantId: claims.tenant, roles: roles, scopes: scopes)
    }

    private struct Header: Decodable {
        var alg: String
    }
}
