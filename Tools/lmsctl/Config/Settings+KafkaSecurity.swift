import Kafka
import ServicePlatform

extension Settings {
    /// TLS and SASL towards the brokers from the services' variables (`LMS_KAFKA_SECURITY_PROTOCOL`,
    /// `LMS_KAFKA_SASL_*`, `LMS_KAFKA_SSL_*`), environment first, then the env file.
    func kafkaSecurity() throws(CLIError) -> KafkaSecurity {
        let names = [
            "LMS_KAFKA_SECURITY_PROTOCOL", "LMS_KAFKA_SASL_MECHANISM", "LMS_KAFKA_SASL_USERNAME", "LMS_KAFKA_SASL_PASSWORD",
            "LMS_KAFKA_SASL_PASSWORD_FILE", "LMS_KAFKA_SSL_CA_LOCATION", "LMS_KAFKA_SSL_CERTIFICATE_LOCATION", "LMS_KAFKA_SSL_KEY_LOCATION",
        ]
        var variables: [String: String] = [:]
        for name in names { variables[name] = value(name) }
        var problems: [String] = []
        let security = KafkaSecurity.fromEnvironment(variables, problems: &problems)
        guard problems.isEmpty else { throw CLIError(lines: problems, status: .usage) }
        return security
    }
}
