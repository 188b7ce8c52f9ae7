import Foundation

/// Settings of a service's HTTP edge: connection timeouts, write rate limits and the retention of
/// `Idempotency-Key` answers. Every value has a default; the environment may override it.
///
/// | variable | default |
/// |---|---|
/// | `LMS_HTTP_IDLE_TIMEOUT_SECONDS` | 75 (a request head, each body chunk and an idle keep-alive connection must arrive within it) |
/// | `LMS_RATE_LIMIT_TENANT_PER_SECOND` / `LMS_RATE_LIMIT_TENANT_BURST` | 500 / 1000 writes per tenant |
/// | `LMS_RATE_LIMIT_SUBJECT_PER_SECOND` / `LMS_RATE_LIMIT_SUBJECT_BURST` | 50 / 100 writes per token subject |
/// | `LMS_IDEMPOTENCY_RETENTION_HOURS` | 24 |
/// | `LMS_IDEMPOTENCY_PRUNE_INTERVAL_SECONDS` | 3600 |
///
/// A rate of 0 turns that limit off. Limits are counted per process (per replica).
public struct HTTPEdgeSettings: Sendable, Hashable {
    public var idleTimeout: Duration = .seconds(75)
    public var tenantWritesPerSecond: Double = 500
    public var tenantWriteBurst: Int = 1000
    public var subjectWritesPerSecond: Double = 50
    public var subjectWriteBurst: Int = 100
    public var idempotencyRetention: Duration = .seconds(24 * 3600)
    public var idempotencyPruneInterval: Duration = .seconds(3600)

    public init() {}

    /// The settings from `environment`; each unusable value adds a line to `problems`.
    public static func fromEnvironment(_ environment: [String: String], problems: inout [String]) -> HTTPEdgeSettings {
        var settings = HTTPEdgeSettings()
        func number(_ name: String, minimum: Double) -> Double? {
            guard let raw = environment[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            guard let value = Double(raw), value.isFinite, value >= minimum else {
                problems.append("\(name): \(raw) is not a number of at least \(minimum == 0 ? "0" : "\(minimum)")")
                return nil
            }
            return value
        }
        if let seconds = number("LMS_HTTP_IDLE_TIMEOUT_SECONDS", minimum: 0.1) { settings.idleTimeout = .milliseconds(Int64(seconds * 1000)) }
        if let rate = number("LMS_RATE_LIMIT_TENANT_PER_SECOND", minimum: 0) { settings.tenantWritesPerSecond = rate }
        if let burst = number("LMS_RATE_LIMIT_TENANT_BURST", minimum: 1) { settings.tenantWriteBurst = Int(burst) }
        if let rate = number("LMS_RATE_LIMIT_SUBJECT_PER_SECOND", minimum: 0) { settings.subjectWritesPerSecond = rate }
        if let burst = number("LMS_RATE_LIMIT_SUBJECT_BURST", minimum: 1) { settings.subjectWriteBurst = Int(burst) }
        if let hours = number("LMS_IDEMPOTENCY_RETENTION_HOURS", minimum: 1) { settings.idempotencyRetention = .seconds(Int64(hours * 3600)) }
        if let seconds = number("LMS_IDEMPOTENCY_PRUNE_INTERVAL_SECONDS", minimum: 0.1) {
            settings.idempotencyPruneInterval = .milliseconds(Int64(seconds * 1000))
        }
        return settings
    }
}
