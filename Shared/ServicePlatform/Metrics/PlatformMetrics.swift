import Metrics
import Prometheus
import Synchronization

/// The process-wide Prometheus registry behind swift-metrics. Bootstrapped once per process (tests
/// host several services in one process), rendered by `GET /metrics`.
public enum PlatformMetrics {
    private static let bootstrapped = Mutex(false)
    public static let registry = PrometheusCollectorRegistry()

    /// Installs the Prometheus factory as the swift-metrics backend (idempotent).
    public static func bootstrap() {
        bootstrapped.withLock { done in
            guard !done else { return }
            var factory = PrometheusMetricsFactory(registry: registry)
            factory.defaultDurationHistogramBuckets = [
                .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
                .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
                .seconds(2), .seconds(5), .seconds(10),
            ]
            MetricsSystem.bootstrap(factory)
            done = true
        }
    }

    /// The Prometheus text exposition of every metric.
    public static func render() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
