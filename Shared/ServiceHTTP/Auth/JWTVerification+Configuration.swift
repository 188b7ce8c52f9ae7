import Logging
import ServicePlatform

extension JWTVerification {
    /// The verification a service's configuration describes: its static keys, its key set and
    /// its ``JWTSettings`` (issuer, audience, maximum lifetime).
    public init(configuration: ServiceConfiguration, logger: Logger) throws(ConfigurationError) {
        let settings = configuration.jwt
        var keySet: JWKSKeySet?
        if let document = settings.jwksJSON {
            do {
                keySet = try JWKSKeySet(document: document, logger: logger)
            } catch {
                throw ConfigurationError("LMS_JWT_JWKS_FILE: \(error.message)")
            }
        } else if let url = settings.jwksURL {
            keySet = JWKSKeySet(
                url: url,
                refreshInterval: settings.jwksRefreshInterval,
                minimumRefreshInterval: settings.jwksMinimumRefreshInterval,
                logger: logger
            )
        }
        try self.init(
            hs256Secret: configuration.jwtSecret,
            rs256PublicKeyPEM: configuration.jwtPublicKeyPEM,
            keySet: keySet,
            issuer: settings.issuer,
            audience: settings.audience,
            maximumLifetime: settings.maximumLifetime
        )
    }
}
