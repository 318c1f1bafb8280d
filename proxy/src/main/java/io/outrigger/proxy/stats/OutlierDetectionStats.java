package io.outrigger.proxy.stats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Envoy's {@code cluster.X.outlier_detection.*} statistics of one cluster, labelled {@code
 * cluster}, the ejection counters also {@code type} ({@code consecutive_5xx}, {@code success_rate},
 * …).
 */
public final class OutlierDetectionStats {
  private final MeterRegistry registry;
  private final String cluster;
  private final AtomicLong active = new AtomicLong();
  private final Counter overflow;
  private final Map<String, Counter> enforced = new ConcurrentHashMap<>();
  private final Map<String, Counter> detected = new ConcurrentHashMap<>();

  public OutlierDetectionStats(MeterRegistry registry, String cluster) {
    this.registry = registry;
    this.cluster = cluster;
    Gauge.builder("outlier_detection_ejections_active", active, AtomicLong::get)
        .description("Hosts ejected by outlier detection now")
        .tag("cluster", cluster)
        .strongReference(true)
        .register(registry);
    overflow =
        Counter.builder("outlier_detection_ejections_overflow")
            .description("Ejections that max_ejection_percent prevented")
            .tag("cluster", cluster)
            .register(registry);
  }

  /** Called on the detector's thread whenever the number of ejected hosts changes. */
  public void ejectionsActive(int n) {
    active.set(n);
  }

  public long ejectionsActive() {
    return active.get();
  }

  /** A host was ejected for {@code type}. */
  public void ejectionEnforced(String type) {
    counter(enforced, "outlier_detection_ejections_enforced", type, "Ejections enforced")
        .increment();
  }

  /** A host was found to be an outlier for {@code type}, whether ejected or not. */
  public void ejectionDetected(String type) {
    counter(
            detected,
            "outlier_detection_ejections_detected",
            type,
            "Outliers detected, ejected or not (enforcing_* percentage, max_ejection_percent)")
        .increment();
  }

  public void ejectionOverflow() {
    overflow.increment();
  }

  public double enforced(String type) {
    Counter c = enforced.get(type);
    return c == null ? 0 : c.count();
  }

  public double detected(String type) {
    Counter c = detected.get(type);
    return c == null ? 0 : c.count();
  }

  public double overflow() {
    return overflow.count();
  }

  private Counter counter(Map<String, Counter> map, String name, String type, String help) {
    return map.computeIfAbsent(
        type,
        t ->
            Counter.builder(name)
                .description(help)
                .tag("cluster", cluster)
                .tag("type", t)
                .register(registry));
  }
}
