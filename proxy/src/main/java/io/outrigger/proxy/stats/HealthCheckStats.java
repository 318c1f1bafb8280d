package io.outrigger.proxy.stats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/** Envoy's {@code cluster.X.health_check.*} statistics of one cluster, labelled {@code cluster}. */
public final class HealthCheckStats {
  private final Counter attempt;
  private final Counter success;
  private final Counter failure;
  private final Counter networkFailure;
  private final AtomicLong healthy = new AtomicLong();

  public HealthCheckStats(MeterRegistry registry, String cluster) {
    attempt = counter(registry, "health_check_attempt", cluster, "Health checks started");
    success = counter(registry, "health_check_success", cluster, "Health checks that passed");
    failure =
        counter(
            registry,
            "health_check_failure",
            cluster,
            "Health checks that failed, for any reason (network failures included)");
    networkFailure =
        counter(
            registry,
            "health_check_network_failure",
            cluster,
            "Health checks that failed without an answer (connect failure, reset, timeout)");
    Gauge.builder("health_check_healthy", healthy, AtomicLong::get)
        .description("Hosts that pass active health checking")
        .tag("cluster", cluster)
        .strongReference(true)
        .register(registry);
  }

  private static Counter counter(MeterRegistry registry, String name, String cluster, String help) {
    return Counter.builder(name).description(help).tag("cluster", cluster).register(registry);
  }

  public void attempt() {
    attempt.increment();
  }

  public void success() {
    success.increment();
  }

  public void failure(boolean network) {
    failure.increment();
    if (network) {
      networkFailure.increment();
    }
  }

  public void healthy(long n) {
    healthy.set(n);
  }

  public double attempts() {
    return attempt.count();
  }

  public double successes() {
    return success.count();
  }

  public double failures() {
    return failure.count();
  }

  public double networkFailures() {
    return networkFailure.count();
  }

  public long healthy() {
    return healthy.get();
  }
}
