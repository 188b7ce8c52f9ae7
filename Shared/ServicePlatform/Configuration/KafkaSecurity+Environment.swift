import Foundation
import Kafka
import PostgresNIO

extension KafkaSecurity {
    /// Reads the Kafka security variables; each problem is appended to `problems`, naming its variable.
    ///
    /// - `LMS_KAFKA_SECURITY_PROTOCOL`: `plaintext` (default), `ssl`, `sasl_plaintext`, `sasl_ssl`.
    /// - `LMS_KAFKA_SASL_MECHANISM`: `SCRAM-SHA-512` (default), `SCRAM-SHA-256`, `PLAIN`.
    /// - `LMS_KAFKA_SASL_USERNAME`, and `LMS_KAFKA_SASL_PASSWORD` or `LMS_KAFKA_SASL_PASSWORD_FILE`.
    /// - `LMS_KAFKA_SSL_CA_LOCATION`, `LMS_KAFKA_SSL_CERTIFICATE_LOCATION`, `LMS_KAFKA_SSL_KEY_LOCATION`
    ///   (PEM files; certificate and key go together).
    ///
    /// Settings that the chosen protocol would ignore are refused: a SASL password under
    /// `plaintext` or a CA file without TLS is a mistake that would otherwise pass unnoticed.
    public static func fromEnvironment(_ environment: [String: String], problems: inout [String]) -> KafkaSecurity {
        func value(_ name: String) -> String? {
            guard let raw = environment[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        /// The path in `name` once its file holds PEM certificates (or, for `key`, a PEM private
        /// key): librdkafka would otherwise refuse it only when the client is created, naming its own property.
        func pemFile(_ name: String, key: Bool = false) -> String? {
            guard let path = value(name) else { return nil }
            guard FileManager.default.isReadableFile(atPath: path) else {
                problems.append("\(name): cannot read \(path)")
                return path
            }
            if key {
                if (try? NIOSSLPrivateKey(file: path, format: .pem)) == nil { problems.append("\(name): \(path) holds no PEM private key") }
            } else if ((try? NIOSSLCertificate.fromPEMFile(path)) ?? []).isEmpty {
                problems.append("\(name): \(path) holds no PEM certificate")
            }
            return path
        }

        var securityProtocol = SecurityProtocol.plaintext
        if let raw = value("LMS_KAFKA_SECURITY_PROTOCOL") {
            if let parsed = SecurityProtocol(rawValue: raw.lowercased()) {
                securityProtocol = parsed
            } else {
                let names = SecurityProtocol.allCases.map(\.rawValue).joined(separator: ", ")
                problems.append("LMS_KAFKA_SECURITY_PROTOCOL: \(raw) is not one of \(names)")
            }
        }

        var mechanism = SASLMechanism.scramSHA512
        if let raw = value("LMS_KAFKA_SASL_MECHANISM") {
            if let parsed = SASLMechanism(rawValue: raw.uppercased()) {
                mechanism = parsed
            } else {
                let names = SASLMechanism.allCases.map(\.rawValue).joined(separator: ", ")
                problems.append("LMS_KAFKA_SASL_MECHANISM: \(raw) is not one of \(names)")
            }
        }
        let username = value("LMS_KAFKA_SASL_USERNAME")
        var password = value("LMS_KAFKA_SASL_PASSWORD")
        if let path = value("LMS_KAFKA_SASL_PASSWORD_FILE") {
            if password != nil {
                problems.append("LMS_KAFKA_SASL_PASSWORD and LMS_KAFKA_SASL_PASSWORD_FILE are both set; keep one")
            } else if let text = try? String(contentsOfFile: path, encoding: .utf8) {
                password = text.trimmingCharacters(in: .newlines)
                if password?.isEmpty ?? true { problems.append("LMS_KAFKA_SASL_PASSWORD_FILE: \(path) is empty") }
            } else {
                problems.append("LMS_KAFKA_SASL_PASSWORD_FILE: cannot read \(path)")
            }
        }
        var credentials: Credentials?
        let saslVariables = ["LMS_KAFKA_SASL_MECHANISM", "LMS_KAFKA_SASL_USERNAME", "LMS_KAFKA_SASL_PASSWORD", "LMS_KAFKA_SASL_PASSWORD_FILE"]
        if securityProtocol.usesSASL {
            if username == nil {
                problems.append("LMS_KAFKA_SASL_USERNAME is required with LMS_KAFKA_SECURITY_PROTOCOL=\(securityProtocol.rawValue)")
            }
            if password == nil {
                problems.append(
                    "LMS_KAFKA_SASL_PASSWORD or LMS_KAFKA_SASL_PASSWORD_FILE is required with LMS_KAFKA_SECURITY_PROTOCOL=\(securityProtocol.rawValue)"
                )
            }
            if let username, let password { credentials = Credentials(mechanism: mechanism, username: username, password: password) }
        } else {
            for name in saslVariables where value(name) != nil {
                problems.append("\(name) needs LMS_KAFKA_SECURITY_PROTOCOL sasl_plaintext or sasl_ssl (it is \(securityProtocol.rawValue))")
            }
        }

        let tlsVariables = ["LMS_KAFKA_SSL_CA_LOCATION", "LMS_KAFKA_SSL_CERTIFICATE_LOCATION", "LMS_KAFKA_SSL_KEY_LOCATION"]
        guard securityProtocol.usesTLS else {
            for name in tlsVariables where value(name) != nil {
                problems.append("\(name) needs LMS_KAFKA_SECURITY_PROTOCOL ssl or sasl_ssl (it is \(securityProtocol.rawValue))")
            }
            return KafkaSecurity(securityProtocol: securityProtocol, credentials: credentials)
        }
        let certificate = pemFile("LMS_KAFKA_SSL_CERTIFICATE_LOCATION")
        let key = pemFile("LMS_KAFKA_SSL_KEY_LOCATION", key: true)
        if (certificate == nil) != (key == nil) {
            problems.append("LMS_KAFKA_SSL_CERTIFICATE_LOCATION and LMS_KAFKA_SSL_KEY_LOCATION go together")
        }
        return KafkaSecurity(
            securityProtocol: securityProtocol,
            credentials: credentials,
            caLocation: pemFile("LMS_KAFKA_SSL_CA_LOCATION"),
            certificateLocation: certificate,
            keyLocation: key
        )
    }
}
