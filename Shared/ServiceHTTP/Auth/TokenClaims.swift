import JWTKit

/// The claims of a platform token. Time claims are checked by ``JWTVerification`` (with its leeway),
/// not here; identity claims are validated there too.
struct TokenClaims: JWTPayload {
    var sub: SubjectClaim
    var tenant: String
    var roles: [String]?
    /// OAuth scopes, space-separated (`scope`) or as an array (`scp`); both are honoured.
    var scope: ScopeClaim?
    var scp: ScopeClaim?
    var exp: ExpirationClaim
    var nbf: NotBeforeClaim?
    var iat: IssuedAtClaim?
    var iss: IssuerClaim?
    /// A string or an array of strings.
    var aud: AudienceClaim?

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
