import Metrics
public import Prometheus
import Synchronization

/// The process's Prometheus registry, bootstrapped into swift-metrics once; `GET /metrics`
/// answers with its text exposition.
public enum NodeMetrics {
    private static let bootstrapped = Mutex(false)
    public static let registry = PrometheusCollectorRegistry()

    public static func bootstrap() {
        bootstrapped.withLock { done in
            guard !done else { return }
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            done = true
        }
    }

    public static func exposition() -> String { registry.emitToString() }
}
