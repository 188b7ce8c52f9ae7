/// One dependency `GET /health/ready` probes (Postgres, Kafka...).
public struct ReadinessCheck: Sendable {
    public var name: String
    /// True when the dependency is usable. Runs with a time limit; a check that does not answer
    /// in time counts as failed.
    public var check: @Sendable () async -> Bool

    public init(name: String, check: @escaping @Sendable () async -> Bool) {
        self.name = name
        self.check = check
    }
}
