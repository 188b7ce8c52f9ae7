/// How a client authenticates to the brokers and protects the connection: librdkafka's
/// `security.protocol`, `sasl.*` and `ssl.*` properties, shared by the producer and every consumer.
public struct KafkaSecurity: Sendable, Hashable {
    /// librdkafka's `security.protocol`.
    public enum SecurityProtocol: String, Sendable, Hashable, CaseIterable {
        case plaintext
        case ssl
        case saslPlaintext = "sasl_plaintext"
        case saslSSL = "sasl_ssl"

        public var usesSASL: Bool { self == .saslPlaintext || self == .saslSSL }
        public var usesTLS: Bool { self == .ssl || self == .saslSSL }
    }

    /// librdkafka's `sasl.mechanisms` (the ones this project supports).
    public enum SASLMechanism: String, Sendable, Hashable, CaseIterable {
        case scramSHA256 = "SCRAM-SHA-256"
        case scramSHA512 = "SCRAM-SHA-512"
        case plain = "PLAIN"
    }

    /// SASL username and password.
    public struct Credentials: Sendable, Hashable, CustomStringConvertible {
        public var mechanism: SASLMechanism
        public var username: String
        public var password: String

        public init(mechanism: SASLMechanism, username: String, password: String) {
            self.mechanism = mechanism
            self.username = username
            self.password = password
        }

        /// Never shows the password.
        public var description: String { "\(mechanism.rawValue) as \(username)" }
    }

    public var securityProtocol: SecurityProtocol
    /// Required with the SASL protocols, ignored otherwise.
    public var credentials: Credentials?
    /// PEM file of the CA certificates that sign the brokers' certificates (`ssl.ca.location`);
    /// `nil` trusts the system's roots.
    public var caLocation: String?
    /// Client certificate and key (PEM files) for brokers that authenticate clients by TLS.
    public var certificateLocation: String?
    public var keyLocation: String?

    public init(
        securityProtocol: SecurityProtocol,
        credentials: Credentials? = nil,
        caLocation: String? = nil,
        certificateLocation: String? = nil,
        keyLocation: String? = nil
    ) {
        self.securityProtocol = securityProtocol
        self.credentials = credentials
        self.caLocation = caLocation
        self.certificateLocation = certificateLocation
        self.keyLocation = keyLocation
    }

    /// No TLS, no authentication (the development broker).
    public static let plaintext = KafkaSecurity(securityProtocol: .plaintext)

    /// The librdkafka properties these settings stand for.
    var properties: [String: String] {
        var properties = ["security.protocol": securityProtocol.rawValue]
        if securityProtocol.usesSASL, let credentials {
            properties["sasl.mechanisms"] = credentials.mechanism.rawValue
            properties["sasl.username"] = credentials.username
            properties["sasl.password"] = credentials.password
        }
        if securityProtocol.usesTLS {
            // librdkafka checks the broker's host name against its certificate by default
            // (`ssl.endpoint.identification.algorithm=https` since 2.0); say so explicitly.
            properties["ssl.endpoint.identification.algorithm"] = "https"
            properties["enable.ssl.certificate.verification"] = "true"
            if let caLocation { properties["ssl.ca.location"] = caLocation }
            if let certificateLocation { properties["ssl.certificate.location"] = certificateLocation }
            if let keyLocation { properties["ssl.key.location"] = keyLocation }
        }
        return properties
    }
}
